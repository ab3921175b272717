"""Backup policy services on both databases, as a real system administrator: a policy its
method cannot hold is refused with the reason and nothing is written; a saved one lists its
capability and next five runs; an edit from a stale version is a conflict; targets are each
checked on their own; a cancelled run leaves no backup and a ``cancelled`` job; the demo's
policies show what keeps them from holding."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from backup_world import backup_login, make_world
from govdesk.backup.policies import check_targets, create_policy, list_policies, update_policy
from govdesk.backup.prune import list_backups, list_jobs
from govdesk.backup.runner import run_policy
from govdesk.db.engine import Database
from govdesk.errors import ConflictError, InputRejected
from govdesk.progress import Cancelled, Progress


def test_policies(demo_db: Database, accounts_for: Any, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    mine = next(p for p in list_policies(w.db, w.who) if p.id == w.policy_id)
    assert mine.capability.ok and len(mine.next_runs) == 5
    demo = [p for p in list_policies(w.db, w.who) if p.id != w.policy_id]
    assert len(demo) == 5 and all(not p.capability.ok for p in demo)
    wal = next(p for p in demo if p.spec.method == "pgbackrest")
    assert wal.spec.dr_level == 5
    before = len(list_policies(w.db, w.who))
    with pytest.raises(InputRejected) as caught:
        create_policy(w.db, w.who, dataclasses.replace(mine.spec, name="half-hourly promise",
                                                       rpo_hours=0.5))
    assert caught.value.code == "backup_rpo_unreachable"
    with pytest.raises(InputRejected) as caught:
        create_policy(w.db, w.who, dataclasses.replace(mine.spec, name="zero loss", dr_level=6))
    assert caught.value.code == "backup_level6_impossible"
    assert len(list_policies(w.db, w.who)) == before
    saved = update_policy(w.db, w.who, mine.id, mine.version,
                          dataclasses.replace(mine.spec, schedule_cron="0 */6 * * *"))
    assert saved.capability.achievable_rpo_hours == 6.0
    with pytest.raises(ConflictError):
        update_policy(w.db, w.who, mine.id, mine.version, mine.spec)
    w.offsite.rmdir()
    checks = check_targets(w.db, w.who, mine.id)
    assert [(c.offsite, c.ok) for c in checks] == [(False, True), (True, False)]
    assert checks[1].problem is not None and checks[1].problem.code == "target_missing"


class CancelSoon(Progress):
    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def show(self, fraction: float, message: str) -> None:
        self.seen += 1
        if self.seen == 2:
            self.cancel()


def test_a_cancelled_run_leaves_nothing(demo_db: Database, accounts_for: Any, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        request: pytest.FixtureRequest) -> None:
    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    with pytest.raises(Cancelled):
        run_policy(w.db, w.who, w.policy_id, progress=CancelSoon(),
                   source_url=backup_login(demo_db, request))
    assert list(w.local.iterdir()) == [] and list(w.offsite.iterdir()) == []
    assert list_backups(w.db, w.who) == []
    assert [j.result for j in list_jobs(w.db, w.who, w.policy_id)] == ["cancelled"]


def test_run_due_runs_what_is_due_once(demo_db: Database, accounts_for: Any, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       request: pytest.FixtureRequest) -> None:
    import datetime as dt

    from govdesk.backup.runner import run_due

    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    source = backup_login(demo_db, request)
    now = dt.datetime.now(dt.timezone.utc)
    first = run_due(w.db, w.who, now=now, source_url=source)
    mine = [d for d in first if d.policy_id == w.policy_id]
    assert len(mine) == 1 and mine[0].backup is not None and mine[0].error is None
    # the demo's policies are due too and fail for what they lack, each on its own
    assert all(d.error is not None for d in first if d.policy_id != w.policy_id)
    again = run_due(w.db, w.who, now=now, source_url=source)
    assert w.policy_id not in [d.policy_id for d in again]  # ran since its last cron time
    later = run_due(w.db, w.who, now=now + dt.timedelta(days=1, hours=1), source_url=source)
    assert [d.backup is not None for d in later if d.policy_id == w.policy_id] == [True]
