"""pgBackRest as a backup method against a real second cluster: a stanza written from a
policy (two repositories, encrypted with a key file, zstd), WAL archived by the cluster's own
``archive_command``, a full backup, rows written after it at known times, a point-in-time
restore into a new data directory started as another cluster that has exactly the rows
written before the chosen time, a wrong passphrase refused clearly, and ``verify`` naming a
damaged repository file."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest

from govdesk.backup import pgbackrest as pgbr
from govdesk.errors import InputRejected
from tests.scratch_cluster import (
    Cluster,
    empty_data_dir,
    postgres_dir,
    require_cluster_tools,
    scratch_cluster,
)

pytestmark = pytest.mark.postgres


@dataclass
class Stanza:
    cluster: Cluster
    policy: pgbr.PgBackRestPolicy
    base: Path


@pytest.fixture(scope="module")
def stanza() -> Iterator[Stanza]:
    """A cluster archiving into a new stanza with one full backup in each repository and
    rows 1-3 written before it."""
    require_cluster_tools("pgbackrest")
    with postgres_dir() as base, scratch_cluster(start=False, prefix="gdpgbr") as cluster:
        key = base / "backup.key"
        key.write_text("a passphrase of the test, one line\n")
        key.chmod(0o600)
        policy = pgbr.PgBackRestPolicy(
            stanza="govdesk", pg_data=cluster.data_dir, pg_port=cluster.port,
            repos=(pgbr.Repo(base / "repo-local"), pgbr.Repo(base / "repo-offsite", offsite=True)),
            config_dir=base / "conf", key=pgbr.KeySource(key_file=key), timeout_s=300)
        pgbr.write_config(policy)
        cluster.configure(pgbr.archive_settings(policy))
        cluster.ctl("start")
        cluster.psql("CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL "
                     "DEFAULT clock_timestamp()); INSERT INTO t (id) VALUES (1), (2), (3)")
        pgbr.stanza_create(policy)
        pgbr.check(policy)
        pgbr.backup(policy, "full")
        yield Stanza(cluster, policy, base)


def test_the_configuration_keeps_the_passphrase_out_of_the_main_file(stanza: Stanza) -> None:
    main = stanza.policy.config_file.read_text()
    secret = stanza.policy.include_dir / "cipher.conf"
    assert "cipher-pass" not in main and "repo1-cipher-type=aes-256-cbc" in main
    assert "compress-type=zst" in main and "repo2-path=" in main
    assert secret.stat().st_mode & 0o777 == 0o600
    assert "a passphrase of the test" in secret.read_text()
    assert "passphrase" not in pgbr.archive_settings(stanza.policy)["archive_command"]


def test_info_reports_the_backup_and_the_archive_range(stanza: Stanza) -> None:
    status = pgbr.info(stanza.policy)
    assert status.ok and status.cipher == "aes-256-cbc"
    assert {b.repo for b in status.backups} == {1, 2}
    assert all(b.kind == "full" and not b.error for b in status.backups)
    newest = status.newest
    assert newest is not None and newest.repo_size > 0
    assert status.archive_min is not None and status.archive_max is not None
    assert status.archive_min <= newest.wal_start <= newest.wal_stop <= status.archive_max
    assert status.window_start is not None and status.window_start <= newest.stopped
    assert status.archived_at is not None


def _rows(cluster: Cluster) -> list[tuple[int, str]]:
    out = cluster.psql("SELECT id, at FROM t ORDER BY id")
    return [(int(i), at) for i, at in (line.split("|") for line in out.splitlines() if line)]


def test_point_in_time_restore_has_exactly_the_rows_written_before_the_target(
        stanza: Stanza) -> None:
    live = stanza.cluster
    live.psql("INSERT INTO t (id) VALUES (4)")
    live.psql("SELECT pg_switch_wal()")
    time.sleep(1.2)
    target = datetime.fromisoformat(live.psql("SELECT clock_timestamp()").strip())
    time.sleep(1.2)
    live.psql("INSERT INTO t (id) VALUES (5)")
    live.psql("SELECT pg_switch_wal()")
    pgbr.check(stanza.policy)  # the segment with row 5's commit is in the repository
    before = [row for row in _rows(live)
              if datetime.fromisoformat(row[1]) < target]
    assert [i for i, _ in before] == [1, 2, 3, 4]
    with scratch_cluster(start=False, prefix="gdrestore") as copy:
        empty_data_dir(copy)
        with pytest.raises(InputRejected) as live_refused:
            pgbr.restore(stanza.policy, stanza.policy.pg_data, to_time=target)
        assert live_refused.value.code == "pgbr_restore_live"
        done = pgbr.restore(stanza.policy, copy.data_dir, to_time=target)
        assert done.target == copy.data_dir
        copy.ctl("start")
        _wait_promoted(copy)
        assert _rows(copy) == before
        assert copy.psql("SHOW archive_mode").strip() == "off"
        assert copy.psql("SHOW port").strip() == str(copy.port) != str(live.port)
    assert [i for i, _ in _rows(live)] == [1, 2, 3, 4, 5]  # the live cluster untouched


def _wait_promoted(cluster: Cluster, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while cluster.psql("SELECT pg_is_in_recovery()").strip() != "f":
        assert time.monotonic() < deadline, "the restored cluster was not promoted"
        time.sleep(0.3)


def test_a_wrong_passphrase_is_a_clear_error(stanza: Stanza) -> None:
    wrong = replace(stanza.policy, config_dir=stanza.base / "conf-wrong")
    pgbr.write_config(wrong, secret="not the passphrase")
    with pytest.raises(pgbr.PgBackRestError) as refused:
        pgbr.info(wrong)
    assert refused.value.code == "pgbr_wrong_key", refused.value.text("en")
    assert "口令" in refused.value.text("zh") and "passphrase" in refused.value.text("en")
    assert "not the passphrase" not in refused.value.text("en")


def test_verify_names_a_damaged_repository_file(stanza: Stanza) -> None:
    assert all(r.ok and not r.damaged for r in pgbr.verify(stanza.policy))
    offsite = stanza.policy.repos[1].path / "backup" / "govdesk"
    victim = next(offsite.glob("*F/pg_data/PG_VERSION*"))
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    local, remote = pgbr.verify(stanza.policy)
    assert local.ok and not local.damaged
    assert not remote.ok
    assert remote.damaged == (str(victim.relative_to(offsite.parent.parent / "backup" /
                                                      "govdesk")),)


def test_a_backup_killed_half_way_leaves_no_backup_that_looks_complete(stanza: Stanza) -> None:
    stanza.cluster.psql("CREATE TABLE bulk AS SELECT g, md5(g::text) AS h "
                        "FROM generate_series(1, 300000) g")
    before = {b.label for b in pgbr.info(stanza.policy).backups}
    hurried = replace(stanza.policy, timeout_s=1.0)
    with pytest.raises(pgbr.PgBackRestError) as stopped:
        pgbr.backup(hurried, "full", repo=1)
    assert stopped.value.code == "pgbr_timeout"
    assert "1 秒内未完成" in stopped.value.text("zh")
    status = pgbr.info(stanza.policy)  # the lock is free again, the stanza readable
    assert {b.label for b in status.backups} == before
    assert _no_backup_process_after(stanza.policy, 5.0), "pgBackRest outlived its time limit"
    pgbr.backup(stanza.policy, "incr", repo=1)  # and the next runs work
    pgbr.backup(stanza.policy, "diff", repo=1)
    kinds = [b.kind for b in pgbr.info(stanza.policy).backups if b.repo == 1]
    assert kinds == ["full", "incr", "diff"]


def _no_backup_process_after(policy: pgbr.PgBackRestPolicy, seconds: float) -> bool:
    """True once no pgBackRest backup process of ``policy`` runs (its helpers may take a
    moment to exit after their parent was stopped), within ``seconds``."""
    deadline = time.monotonic() + seconds
    while subprocess.run(["pgrep", "-f", f"pgbackrest.*{policy.config_file}.*backup"],
                         capture_output=True).returncode == 0:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True
