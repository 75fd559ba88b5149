"""The errors a user can fix, one family for every layer.

Every error meant for the person at the keyboard derives from `PopdashError`: its message
is one plain sentence that names no inmate. The command line catches the family once
(exit 2) and the dashboard shows it by type, so a new error class needs no new handler.
"""

from __future__ import annotations


class PopdashError(ValueError):
    """Something the user can fix (a file, a setting, an option); the message is one sentence."""


class LoadError(PopdashError):
    """A file that cannot be loaded at all; the message is one sentence with no personal data."""


def one_sentence(exc: BaseException) -> str:
    """The first line of an error's message, ending in a full stop."""
    text = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
    return text if text.endswith((".", "?", "!")) else text + "."
