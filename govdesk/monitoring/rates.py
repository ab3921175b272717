"""Each rule's hit rate over a period, so reviewers can tune its thresholds: the alerts it
raised (created in the period), where they stand, and what the closed ones turned out to be.
One grouped query."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import MonitorAlert, MonitorRule
from govdesk.errors import InputRejected
from govdesk.monitoring.alert_dto import RuleRate
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

WHY = "a rule's hit rate counts every region's alerts"


@service(Op.MONITOR_READ, scope=Scope.NONE, why=WHY)
def hit_rates(db: Database, who: Identity, days: int = 30) -> list[RuleRate]:
    """Per rule (every one, by code): the alerts raised in the last ``days`` days (1..3650)."""
    if not isinstance(days, int) or not 1 <= days <= 3650:
        raise InputRejected("monitor_period_bad", days=days)
    since = utcnow() - dt.timedelta(days=days)
    a = MonitorAlert
    with db.session() as s:
        counts: dict[tuple[str, str, str | None], tuple[int, int]] = {}
        for code, state, disposition, n, events in s.execute(
                select(a.rule_code, a.state, a.disposition, func.count(), func.sum(a.count))
                .where(a.created_at >= since).group_by(a.rule_code, a.state, a.disposition)):
            counts[(code, state, disposition)] = (int(n), int(events or 0))
        rules = s.execute(select(MonitorRule.code, MonitorRule.kind)
                          .order_by(MonitorRule.code)).all()
    out = []
    for code, kind in rules:
        mine = {k[1:]: v for k, v in counts.items() if k[0] == code}
        out.append(RuleRate(code, kind, days, _n(mine), _n(mine, "open"),
                            _n(mine, "acknowledged"), _n(mine, "closed"),
                            _n(mine, "closed", "true_positive"), _n(mine, "closed", "benign"),
                            _n(mine, "closed", "false_positive"),
                            sum(v[1] for v in mine.values())))
    return out


def _n(mine: dict[tuple[str, str | None], tuple[int, int]], state: str | None = None,
       disposition: str | None = None) -> int:
    return sum(v[0] for (st, d), v in mine.items()
               if (state is None or st == state) and (disposition is None or d == disposition))
