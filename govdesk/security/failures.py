"""Failed actions in the audit trail: what the service kernel does when a declared service
fails (:func:`record_failure`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from govdesk.db.engine import Database
from govdesk.security import audit

if TYPE_CHECKING:  # pragma: no cover
    from govdesk.security.kernel import ServiceSpec

log = logging.getLogger(__name__)


def record_failure(spec: ServiceSpec, arguments: Mapping[str, Any], exc: Exception) -> None:
    """Record the failure of the service ``spec`` called with ``arguments`` (its bound
    parameters): a refused permission (any service), and any failure of a service that changes
    data (:func:`govdesk.security.audit.failure_event`); nothing for a cancellation; and, for a
    service that records access (``access=``), the refused access event
    (:meth:`govdesk.security.access_log.Access.refused`). The kernel calls it for the outermost
    call only, after that call's transaction was rolled back; the record is written in a
    transaction of its own. Nothing is recorded when the call was given no database (a test's
    stand-in that must stay untouched). A call on the read replica is recorded on its primary
    (the standby takes no writes). Never raises instead of the original error, which the user
    must see: a failure to record is logged."""
    if spec.access is not None:
        spec.access.refused(spec, arguments, exc)
    db = arguments.get("db")
    event = audit.failure_event(exc, spec.writes)
    if event is None or not isinstance(db, Database):
        return
    db = db.writing()
    key = arguments.get(spec.resource) if spec.resource else None
    try:
        with db.session() as s:
            audit.record(s, arguments["who"], event, success=False,
                         object_type="data_resources" if key is not None else None,
                         object_id=key, detail=audit.failure_detail(spec.name, exc))
    except Exception:
        log.warning("could not record the failure of %s in the audit trail", spec.name,
                    exc_info=True)
