"""How a declared service records its calls as access events: ``@service(...,
access=Access("view"))`` (the kernel reads it; :mod:`govdesk.security.access_log` writes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govdesk.db.engine import Database
from govdesk.errors import InputRejected, PermissionDenied

if TYPE_CHECKING:  # pragma: no cover
    from govdesk.security.kernel import ServiceSpec

#: the actions (vocab ACCESS_ACTION) and failures (vocab ACCESS_FAILURE)
QUERY, VIEW, SAMPLE_VIEW, SAMPLE_UNMASK, EXPORT, LOGIN = (
    "query", "view", "sample_view", "sample_unmask", "export", "login")
DENIED, NOT_FOUND, ERROR = "denied", "not_found", "error"


# -- the declaration the kernel reads ---------------------------------------------------------
def sample_action(arguments: Mapping[str, Any]) -> str:
    """A sample view's action: unmasked when the call asked for it."""
    return SAMPLE_UNMASK if arguments.get("unmask") else SAMPLE_VIEW


ActionRule = str | Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Access:
    """What a declared service records: ``action`` (a code, or a function of the call's
    arguments, e.g. masked or unmasked), and ``rows``, the row count taken from the result
    (None: 0; a detail view counts 1)."""

    action: ActionRule
    rows: Callable[[Any], int] | None = None

    def action_for(self, arguments: Mapping[str, Any]) -> str:
        return self.action(arguments) if callable(self.action) else self.action

    def succeeded(self, spec: ServiceSpec, arguments: Mapping[str, Any], result: Any) -> None:
        """Record a call that returned ``result``. Raises AccessNotRecorded."""
        db = arguments.get("db")
        if not isinstance(db, Database):
            return
        rid, ref = _named(spec, arguments)
        rows = self.rows(result) if self.rows is not None else 0
        from govdesk.security import access_log

        access_log.record(db, arguments["who"], access_log.Event(
            self.action_for(arguments), rows, True, None, rid, ref, _operation(spec.name)))

    def refused(self, spec: ServiceSpec, arguments: Mapping[str, Any], exc: Exception) -> None:
        """Record a refusal (permission, or a named resource not found); other failures (bad
        input, a cancellation) are not access. Never raises: logged instead."""
        from govdesk.security import access_log
        from govdesk.security.kernel import ResourceNotFound

        db = arguments.get("db")
        if isinstance(exc, ResourceNotFound):
            failure = NOT_FOUND
        elif isinstance(exc, PermissionDenied):
            failure = DENIED
        else:
            return
        if not isinstance(db, Database):
            return
        _rid, ref = _named(spec, arguments)
        try:
            access_log.record(db, arguments["who"], access_log.Event(
                self.action_for(arguments), 0, False, failure, None, ref, _operation(spec.name)))
        except (access_log.AccessNotRecorded, InputRejected, PermissionDenied):
            pass  # logged by record(); the refusal is what the user must see


def _named(spec: ServiceSpec, arguments: Mapping[str, Any]) -> tuple[int | None, str | None]:
    """The resource the call names: (id, None) for an id, (None, code) for a code; a refusal
    keeps only the reference (the database resolves it)."""
    value = arguments.get(spec.resource) if spec.resource else None
    if value is None:
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, str(value)
    return None, str(value).strip()


def _operation(name: str) -> str:
    """``govdesk.catalog.search.browse.get_resource`` → ``catalog.search.browse.get_resource``."""
    return name.removeprefix("govdesk.")[:80]
