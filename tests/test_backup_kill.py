"""A backup killed half way (SIGKILL: no clean-up runs) leaves nothing that looks like a
complete backup: only a ``.partial`` directory without a manifest, no catalogue row, and a job
that the next run marks ``interrupted``. Both databases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from backup_world import backup_login, make_world
from govdesk.backup.prune import list_backups, list_jobs
from govdesk.backup.runner import run_policy
from govdesk.backup.store import reap_interrupted
from govdesk.backup.verify import check_directory, key_finder
from govdesk.db.engine import Database
from govdesk.errors import InputRejected
from govdesk.progress import Progress

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys, time
from govdesk.backup.runner import run_policy
from govdesk.db.engine import Database
from govdesk.progress import Progress
from govdesk.security.identity import identity_from_connection, Identity
from govdesk.security.roles import Role

class Slow(Progress):
    def show(self, fraction, message):
        print("progress", fraction, flush=True)
        time.sleep(0.3)

db = Database(sys.argv[1])
who = identity_from_connection(db) if db.is_postgres else Identity(sys.argv[4], Role.SYSADMIN)
run_policy(db, who, int(sys.argv[2]), source_url=sys.argv[3], progress=Slow())
print("finished", flush=True)
"""


def test_a_killed_run_leaves_no_valid_looking_backup(
        demo_db: Database, accounts_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    w = make_world(demo_db, accounts_for, tmp_path, monkeypatch)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, w.db.url, str(w.policy_id),
         backup_login(demo_db, request), w.who.username],
        stdout=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    reports = 0
    for line in proc.stdout:  # kill once it has written part of a container
        assert not line.startswith("finished"), "the backup finished before it was killed"
        reports += 1
        partial = list(w.local.glob("*.partial"))
        if reports >= 3 and partial and any(f.suffix == ".gdbk" and f.stat().st_size > 0
                                            for f in partial[0].iterdir()):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(0.1)
    left = list(w.local.iterdir())
    assert [p.name.endswith(".partial") for p in left] == [True]
    assert not (left[0] / "manifest.json").exists()
    with pytest.raises(InputRejected, match="manifest.json is missing"):
        check_directory(left[0], key_finder(w.keys), None, Progress())
    assert list(w.offsite.iterdir()) == []
    assert list_backups(w.db, w.who) == []
    assert [j.result for j in list_jobs(w.db, w.who, w.policy_id)] == ["running"]
    assert reap_interrupted(w.db) == 1
    assert [j.result for j in list_jobs(w.db, w.who, w.policy_id)] == ["interrupted"]
    # the next run removes what the killed one left (a SQLite run's plain copy among it)
    info = run_policy(w.db, w.who, w.policy_id, source_url=backup_login(demo_db, request))
    assert [p.name for p in w.local.iterdir()] == [info.label]
