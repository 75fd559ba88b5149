"""Errors the command line turns into one line on stderr and exit code 2."""


class InputError(Exception):
    """An unusable input (missing file, not a CSV, required column absent, no as-of date...).

    The message is one plain sentence and never carries a name or register number.
    """
