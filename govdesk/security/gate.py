"""The login gate on PostgreSQL (migration 0005): report failed logins, ask for lock status.

The gate connects as ``govdesk_gate`` to the same server and database as the user; its password,
when pg_hba.conf asks for one, comes from ``GOVDESK_GATE_PASSWORD``. When the gate cannot
connect, logins still work but failures are not counted: :class:`GateUnavailable` says so.
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import text
from sqlalchemy.engine import make_url

from govdesk.db.engine import Database
from govdesk.errors import GovDeskError

GATE_ROLE = "govdesk_gate"


class GateUnavailable(GovDeskError):
    """The login gate could not be reached; failed logins are not being counted."""


def gate_url(user_url: str) -> str:
    """The gate's URL: the user's server and database, the gate's login."""
    return make_url(user_url).set(
        username=GATE_ROLE, password=os.environ.get("GOVDESK_GATE_PASSWORD") or None
    ).render_as_string(hide_password=False)


def _call(user_url: str, sql: str, params: dict[str, object]) -> dt.datetime | None:
    gate = Database(gate_url(user_url))
    try:
        with gate.session() as s:
            value = s.execute(text(sql), params).scalar()
    except GovDeskError as exc:
        raise GateUnavailable("gate_unavailable", role=GATE_ROLE, reason=exc) from exc
    finally:
        gate.dispose()
    return value


def locked_until(user_url: str, username: str) -> dt.datetime | None:
    """Until when ``username`` is locked (None: not locked); lifts an expired automatic lock."""
    return _call(user_url, "SELECT govdesk_login_status(:u)", {"u": username})


def report_failure(user_url: str, username: str, host: str) -> dt.datetime | None:
    """Record a failed login; returns the lock's end when this failure locked the account."""
    return _call(user_url, "SELECT govdesk_login_failed(:u, :h)", {"u": username, "h": host})
