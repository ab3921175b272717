"""Errors that services raise, each mapped to the CLI exit code of the headless contract.

Exit codes: 0 ok, 1 rejected input, 2 usage, 3 permission denied, 4 conflict.
Every message is meant for the user: it says what went wrong and where. ``str(error)`` is the
English text; an error that also has a Chinese text gives it with ``error.text("zh")`` (the CLI
and the GUI show the user's language that way).
"""

from __future__ import annotations


class GovDeskError(Exception):
    """Base class for errors the user should see as a message (never as a traceback)."""

    exit_code: int = 1

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(message)
        #: the message in Chinese, when there is one
        self.zh = zh

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("zh", "zh_CN" or "en"); English when there is no Chinese."""
        if lang.startswith("zh") and getattr(self, "zh", None):
            return str(self.zh)
        return str(self)


class InputRejected(GovDeskError):
    """The input (a file, an argument, a field value) is invalid; nothing was written."""

    exit_code = 1


class UsageError(GovDeskError):
    """The command was called wrongly."""

    exit_code = 2


class PermissionDenied(GovDeskError):
    """The current user's role does not allow the operation."""

    exit_code = 3


class ConflictError(GovDeskError):
    """Someone else changed the row since it was read; nothing was overwritten."""

    exit_code = 4


class DuplicateKey(ConflictError):
    """A value that must be unique was written by someone else first (two imports adding the
    same new resource code, a save racing an import); nothing was saved. ``table``, ``columns``
    and ``value`` name it as far as the database said (SQLite does not give the value)."""

    def __init__(self, message: str, *, zh: str | None = None, table: str | None = None,
                 columns: str | None = None, value: str | None = None) -> None:
        super().__init__(message, zh=zh)
        self.table, self.columns, self.value = table, columns, value


class DatabaseBusy(ConflictError):
    """Another user's write held the database longer than GovDesk waits (SQLite allows one
    writer at a time); nothing was saved and the same action may simply be tried again."""

    exit_code = 4


class SchemaError(GovDeskError):
    """The database schema is not the revision this GovDesk knows (too new, too old or foreign)."""

    exit_code = 1


class DatabaseUnavailable(GovDeskError):
    """The database could not be reached (server down, wrong URL, dropped connection)."""

    exit_code = 1
