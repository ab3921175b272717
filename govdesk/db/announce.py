"""Changes noted on a unit of work, published when (and only when) it commits.

A mutating service calls :func:`note` inside its ``with db.session() as s:`` block. The notes
ride on the session (``session.info``); after the commit they go to
:func:`govdesk.changes.publish` (the operation runner's recording), after a rollback they are
dropped, so nothing that was not written is ever announced. On PostgreSQL the database also
announces the writes itself (migration 0019, ``NOTIFY govdesk_changes``) for other clients.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from govdesk.changes import Changed, Changes, publish

_KEY = "govdesk_changes"


def note(session: Session, *changed: Changed) -> None:
    """Announce ``changed`` when ``session``'s transaction commits."""
    session.info.setdefault(_KEY, []).extend(changed)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    noted = session.info.pop(_KEY, None)
    if noted:
        publish(Changes.of(*noted))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_KEY, None)
