"""Errors that services raise, each mapped to the CLI exit code of the headless contract.

Exit codes: 0 ok, 1 rejected input, 2 usage, 3 permission denied, 4 conflict, 5 unexpected
error (a reference to quote; the details in the error log, see :mod:`govdesk.crashlog`).
Every message is meant for the user: it says what went wrong and where.
"""

from __future__ import annotations

#: the exit codes of the headless contract, defined here once
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_DENIED, EXIT_CONFLICT, EXIT_UNEXPECTED = 0, 1, 2, 3, 4, 5


class GovDeskError(Exception):
    """Base class for errors the user should see as a message (never as a traceback)."""

    exit_code: int = EXIT_INPUT


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
