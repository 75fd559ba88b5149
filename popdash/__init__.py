"""popdash: the command line over loaders/ and analytics/."""
