"""popdash: the command line over the read side (reports/), analytics/ and loaders/."""
