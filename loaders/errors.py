"""The one exception `loaders.load` raises for an unusable input."""


class LoadError(ValueError):
    """A file that cannot be loaded at all; the message is one sentence with no personal data."""
