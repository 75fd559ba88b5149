"""Errors of the command line's own options; `popdash.cli` turns every `PopdashError` into exit 2."""

from __future__ import annotations

from loaders.errors import PopdashError


class InputError(PopdashError):
    """An unusable option or input (missing file, not a CSV, a date that is not a date...).

    The message is one plain sentence and never carries a name or register number.
    """
