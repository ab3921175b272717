"""Errors that services raise, each mapped to the CLI exit code of the headless contract.

Exit codes: 0 ok, 1 rejected input, 2 usage, 3 permission denied, 4 conflict, 5 unexpected
error (a reference to quote; the details in the error log, see :mod:`govdesk.crashlog`).
Every error carries a message code and its parameters (``InputRejected("category_missing",
code="0101")``), never a finished sentence: the GUI and the CLI render it in the user's language
with :meth:`GovDeskError.text` (the codes and their Chinese and English texts are registered in
the catalogue of :mod:`govdesk.messages`). ``str()`` of an error is the English text, for logs
and tracebacks. Every message is meant for the user: it says what went wrong and where.
"""

from __future__ import annotations

from typing import Any

from govdesk.messages import DEFAULT_LANG, jsonable, render

#: the exit codes of the headless contract, defined here once
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DENIED, EXIT_CONFLICT, EXIT_UNEXPECTED = 0, 1, 2, 3, 4, 5
#: the command worked and found something a person must act on (``govdesk sharing alerts``),
#: so a scheduler can tell "all quiet" (0) from "send the report" without parsing the output
EXIT_ALERTS = 6


class GovDeskError(Exception):
    """Base class for errors the user should see as a message (never as a traceback).

    ``code`` names a registered message, ``params`` fill its templates. Subclasses whose message
    is built from parts (a list of problems) override :meth:`text` and :meth:`json_params`.
    """

    exit_code: int = EXIT_INPUT

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(code)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` ("zh" or "en"; "zh_CN" and "en_US" are understood too)."""
        return render(self.code, lang, self.params)

    def json_params(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """The parameters as JSON can carry them (translatable ones in ``lang``)."""
        return {k: jsonable(v, lang) for k, v in self.params.items()}

    def to_json(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """What a headless command reports: code, parameters, the message in ``lang``."""
        return {"code": self.code, "params": self.json_params(lang), "message": self.text(lang),
                "exit_code": self.exit_code}

    def __str__(self) -> str:
        return self.text("en")


class InputRejected(GovDeskError):
    """The input (a file, an argument, a field value) is invalid; nothing was written."""

    exit_code = EXIT_INPUT


class UsageError(GovDeskError):
    """The command was called wrongly."""

    exit_code = EXIT_USAGE


class PermissionDenied(GovDeskError):
    """The current user's role does not allow the operation."""

    exit_code = EXIT_DENIED


class ConflictError(GovDeskError):
    """Someone else changed the row since it was read; nothing was overwritten."""

    exit_code = EXIT_CONFLICT


class DuplicateKey(ConflictError):
    """A value that must be unique was written by someone else first (two imports adding the
    same new resource code, a save racing an import); nothing was saved. ``table``, ``columns``
    and ``value`` name it as far as the database said (SQLite does not give the value)."""

    def __init__(self, code: str, /, *, table: str | None = None, columns: str | None = None,
                 value: str | None = None, **params: Any) -> None:
        super().__init__(code, **params)
        self.table, self.columns, self.value = table, columns, value


class DatabaseBusy(ConflictError):
    """Another user's write held the database longer than GovDesk waits (SQLite allows one
    writer at a time); nothing was saved and the same action may simply be tried again."""

    exit_code = EXIT_CONFLICT


class SchemaError(GovDeskError):
    """The database schema is not the revision this GovDesk knows (too new, too old or foreign)."""

    exit_code = EXIT_INPUT


class DatabaseUnavailable(GovDeskError):
    """The database could not be reached (server down, wrong URL, dropped connection)."""

    exit_code = EXIT_INPUT


class ReadOnlyDatabase(GovDeskError):
    """A write reached a read-only server: a hot standby (the read replica), or a handle opened
    read-only. Nothing was written; writes go to the primary."""

    exit_code = EXIT_INPUT
