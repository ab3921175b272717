"""The backup core without a database: the container (round trip; a flipped byte, a truncated
file, reordered chunks, trailing data and a wrong key each named), the manifest's signature,
retention as a table of backup dates -> kept set, the honest capability of a policy."""

from __future__ import annotations

import datetime as dt
import os
import struct
from pathlib import Path

import pytest

from govdesk.backup import manifest
from govdesk.backup.container import (
    CHUNK,
    HEADER,
    LENGTH,
    ContainerDamaged,
    ContainerWriter,
    read_plain,
)
from govdesk.backup.keys import key_id, load_key, new_key
from govdesk.backup.policy import PolicySpec, capability, next_runs, require_capable
from govdesk.backup.retention import Candidate, Retention, decide
from govdesk.errors import InputRejected

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def _payload(n: int = 3 * CHUNK + 12345) -> bytes:
    # incompressible so the container holds several chunks
    return os.urandom(n)


def _write(path: Path, data: bytes, key: bytes | None = KEY) -> None:
    w = ContainerWriter(path, key)
    for i in range(0, len(data), 100_000):
        w.write(data[i:i + 100_000])
    w.close()


def _read(path: Path, key: bytes = KEY) -> bytes:
    return b"".join(read_plain(path, lambda _kid: key))


def _offsets(path: Path) -> list[int]:
    """Where each chunk's length field starts."""
    raw, at, out = path.read_bytes(), HEADER.size, []
    while at < len(raw):
        out.append(at)
        at += LENGTH.size + struct.unpack(">I", raw[at:at + 4])[0]
    return out


@pytest.mark.parametrize("key", [KEY, None], ids=["encrypted", "plain"])
def test_round_trip(tmp_path: Path, key: bytes | None) -> None:
    data = _payload()
    _write(tmp_path / "c", data, key)
    assert len(_offsets(tmp_path / "c")) >= 4
    assert _read(tmp_path / "c") == data
    if key is not None:
        assert data[:64] not in (tmp_path / "c").read_bytes()


def test_a_flipped_byte_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c"
    _write(path, _payload())
    second = _offsets(path)[1]
    raw = bytearray(path.read_bytes())
    raw[second + 100] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(ContainerDamaged) as caught:
        _read(path)
    assert caught.value.kind == "corrupt" and caught.value.params["chunk"] == 1
    assert "chunk 1" in caught.value.text("en") and "第 1 块" in caught.value.text("zh")


def test_a_flipped_header_byte_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c"
    _write(path, _payload())
    raw = bytearray(path.read_bytes())
    raw[30] ^= 0x80  # inside the salt
    path.write_bytes(bytes(raw))
    with pytest.raises(ContainerDamaged, match="chunk 0 is damaged"):
        _read(path)


@pytest.mark.parametrize("cut", ["boundary", "mid_chunk", "mid_length"])
def test_a_truncated_file_is_named(tmp_path: Path, cut: str) -> None:
    path = tmp_path / "c"
    _write(path, _payload())
    last = _offsets(path)[-1]
    raw = path.read_bytes()
    end = {"boundary": last, "mid_chunk": last + 50, "mid_length": last + 2}[cut]
    path.write_bytes(raw[:end])
    with pytest.raises(ContainerDamaged) as caught:
        _read(path)
    assert caught.value.kind == "truncated"
    assert "truncated" in caught.value.text("en")


def test_reordered_chunks_are_named(tmp_path: Path) -> None:
    path = tmp_path / "c"
    _write(path, _payload())
    o = _offsets(path)
    raw = path.read_bytes()
    first, second = raw[o[0]:o[1]], raw[o[1]:o[2]]
    path.write_bytes(raw[:o[0]] + second + first + raw[o[2]:])
    with pytest.raises(ContainerDamaged) as caught:
        _read(path)
    assert caught.value.kind == "reordered"
    assert caught.value.params["chunk"] == 0 and caught.value.params["found"] == 1


def test_data_after_the_final_chunk_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c"
    _write(path, b"small")
    path.write_bytes(path.read_bytes() + b"extra")
    with pytest.raises(ContainerDamaged) as caught:
        _read(path)
    assert caught.value.kind == "trailing"


def test_a_wrong_key_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c"
    _write(path, b"secret rows")
    with pytest.raises(ContainerDamaged) as caught:
        _read(path, OTHER)
    assert caught.value.kind == "wrong_key"
    assert key_id(KEY) in caught.value.text("en") and key_id(OTHER) in caught.value.text("en")
    assert "wrong key" in caught.value.text("en") and "密钥错误" in caught.value.text("zh")


def test_not_a_container(tmp_path: Path) -> None:
    (tmp_path / "c").write_bytes(b"PGDMP plain dump")
    with pytest.raises(ContainerDamaged, match="not a GovDesk backup file"):
        _read(tmp_path / "c")


def test_keys_live_in_private_files_named_by_their_id(tmp_path: Path) -> None:
    kid = new_key(directory=tmp_path)
    path = tmp_path / f"{kid}.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert key_id(load_key(kid, directory=tmp_path)) == kid
    with pytest.raises(InputRejected, match="was not found"):
        load_key("0" * 32, directory=tmp_path)
    path.chmod(0o644)
    with pytest.raises(InputRejected, match="chmod 600"):
        load_key(kid, directory=tmp_path)


def test_the_manifest_is_signed(tmp_path: Path) -> None:
    body = {"key_id": key_id(KEY), "tables": {"t": {"rows": 3, "checksum": "ab"}}}
    sha = manifest.write(tmp_path, body, KEY)
    assert manifest.read(tmp_path, lambda _k: KEY, sha) == body
    path = tmp_path / manifest.NAME
    path.write_text(path.read_text().replace('"rows": 3', '"rows": 4'))
    with pytest.raises(InputRejected, match="signature does not hold|not the manifest"):
        manifest.read(tmp_path, lambda _k: KEY)
    with pytest.raises(InputRejected, match="not the manifest the catalogue recorded"):
        manifest.read(tmp_path, lambda _k: KEY, sha)


# -- retention: a table of backup dates -> the kept set ----------------------------------------

UTC = dt.timezone.utc


def _days(*stamps: str) -> list[Candidate]:
    return [Candidate(i, dt.datetime.fromisoformat(s).replace(tzinfo=UTC))
            for i, s in enumerate(stamps, start=1)]


# 1..10: two a day on 2026-12-01..02, then one a day 12-03..12-08; 11: a month earlier;
# 12: a year earlier
DATES = _days("2026-12-01T01:00", "2026-12-01T13:00", "2026-12-02T01:00", "2026-12-02T13:00",
              "2026-12-03T01:00", "2026-12-04T01:00", "2026-12-05T01:00", "2026-12-06T01:00",
              "2026-12-07T01:00", "2026-12-08T01:00", "2026-11-01T01:00", "2025-12-01T01:00")

RETENTION_TABLE = [
    # (policy, kept ids)
    (Retention(keep_last=3, keep_daily=0, keep_weekly=0, keep_monthly=0, keep_yearly=0,
               min_copies=0), {10, 9, 8}),
    (Retention(keep_last=0, keep_daily=4, keep_weekly=0, keep_monthly=0, keep_yearly=0,
               min_copies=0), {10, 9, 8, 7}),
    # daily keeps the newest of a day: 12-02 -> 4 (13:00), 12-01 -> 2
    (Retention(keep_last=0, keep_daily=10, keep_weekly=0, keep_monthly=0, keep_yearly=0,
               min_copies=0), {10, 9, 8, 7, 6, 5, 4, 2, 11, 12}),
    # ISO weeks: 12-07..12-08 (week 50) -> 10; 11-30..12-06 (week 49) -> 8; 11-01 -> 11
    (Retention(keep_last=0, keep_daily=0, keep_weekly=3, keep_monthly=0, keep_yearly=0,
               min_copies=0), {10, 8, 11}),
    (Retention(keep_last=0, keep_daily=0, keep_weekly=0, keep_monthly=3, keep_yearly=0,
               min_copies=0), {10, 11, 12}),
    (Retention(keep_last=0, keep_daily=0, keep_weekly=0, keep_monthly=0, keep_yearly=2,
               min_copies=0), {10, 12}),
    (Retention(keep_last=1, keep_daily=2, keep_weekly=0, keep_monthly=2, keep_yearly=0,
               min_copies=0), {10, 9, 11}),
    # min_copies fills up with the newest others
    (Retention(keep_last=1, keep_daily=0, keep_weekly=0, keep_monthly=0, keep_yearly=0,
               min_copies=3), {10, 9, 8}),
    (Retention(keep_last=0, keep_daily=0, keep_weekly=0, keep_monthly=0, keep_yearly=0,
               min_copies=0), set()),
]


@pytest.mark.parametrize(("policy", "kept"), RETENTION_TABLE)
def test_retention_keeps_exactly_what_the_policy_says(policy: Retention, kept: set[int]) -> None:
    decision = decide(DATES, policy, tz=UTC)
    assert set(decision.kept) == kept
    assert set(decision.dropped) == {c.id for c in DATES} - kept


def test_a_legal_hold_is_kept_for_ever_and_a_failed_backup_fills_no_rule() -> None:
    held = [Candidate(c.id, c.taken_at, legal_hold=c.id == 12, usable=c.id != 10)
            for c in DATES]
    decision = decide(held, Retention(keep_last=2, keep_daily=0, keep_weekly=0,
                                      keep_monthly=0, keep_yearly=0, min_copies=0), tz=UTC)
    assert set(decision.kept) == {12, 9, 8}
    assert decision.kept[12] == ("legal_hold",)


def test_days_are_counted_in_the_given_zone() -> None:
    east8 = dt.timezone(dt.timedelta(hours=8))
    two = _days("2026-12-01T15:00", "2026-12-01T17:00")  # 23:00 and 01:00 next day at +08:00
    once = Retention(keep_last=0, keep_daily=5, keep_weekly=0, keep_monthly=0, keep_yearly=0,
                     min_copies=0)
    assert set(decide(two, once, tz=UTC).kept) == {2}
    assert set(decide(two, once, tz=east8).kept) == {1, 2}


# -- capability ---------------------------------------------------------------------------------

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def _spec(**changes: object) -> PolicySpec:
    base = dict(name="p", source="sqlite", method="sqlite", schedule_cron="0 1 * * *",
                dr_level=3, target="/tmp", offsite_targets=("/mnt/off",), key_id="k" * 32)
    base.update(changes)
    return PolicySpec(**base)  # type: ignore[arg-type]


def test_next_five_runs() -> None:
    runs = next_runs("0 1 * * *", NOW)
    assert [r.day for r in runs] == [5, 6, 7, 8, 9] and all(r.hour == 1 for r in runs)
    with pytest.raises(InputRejected, match="not a valid cron"):
        next_runs("every night", NOW)


def test_a_nightly_dump_reaches_a_day_not_thirty_minutes() -> None:
    cap = capability(_spec(), NOW)
    assert cap.ok and cap.achievable_rpo_hours == 24.0
    with pytest.raises(InputRejected) as caught:
        require_capable(_spec(rpo_hours=0.5), NOW)
    assert caught.value.code == "backup_rpo_unreachable"
    assert "WAL" in caught.value.text("en") and "24.0" in caught.value.text("en")


def test_level5_needs_wal_and_level6_is_refused() -> None:
    codes5 = {m.code for m in capability(_spec(dr_level=5, schedule_cron="*/10 * * * *"),
                                         NOW).problems}
    assert "backup_level_needs_wal" in codes5
    codes6 = {m.code for m in capability(_spec(dr_level=6), NOW).problems}
    assert "backup_level6_impossible" in codes6


def test_targets_looser_than_the_level_weekly_and_offsite_are_refused() -> None:
    assert {m.code for m in capability(_spec(rpo_hours=48.0), NOW).problems} \
        == {"backup_target_looser"}
    assert "backup_not_weekly" in {
        m.code for m in capability(_spec(dr_level=1, schedule_cron="0 3 1 * *"), NOW).problems}
    assert {m.code for m in capability(_spec(offsite_targets=()), NOW).problems} \
        == {"backup_needs_offsite"}
    assert {m.code for m in capability(_spec(key_id=None), NOW).problems} == {"backup_needs_key"}
    assert {m.code for m in capability(_spec(method="pg_dump"), NOW).problems} \
        == {"backup_method_source"}


def test_globals_keep_only_this_databases_roles() -> None:
    from govdesk.backup.pg import narrow_globals

    dumped = "\n".join([
        "--", "-- Roles", "--", "SET default_transaction_read_only = off;",
        "CREATE ROLE gd_gov_sysadmin;", "ALTER ROLE gd_gov_sysadmin WITH NOSUPERUSER NOLOGIN;",
        'CREATE ROLE "zj admin";', 'ALTER ROLE "zj admin" WITH LOGIN;',
        "CREATE ROLE postgres;", "ALTER ROLE postgres WITH SUPERUSER LOGIN PASSWORD 'x';",
        "CREATE ROLE gd_other_viewer;",
        'GRANT gd_gov_sysadmin TO "zj admin" GRANTED BY postgres;',
        "GRANT gd_other_viewer TO \"zj admin\" GRANTED BY postgres;",
        "CREATE TABLESPACE fast OWNER postgres LOCATION '/ssd';"])
    kept = narrow_globals(dumped, {"gd_gov_sysadmin", "zj admin"}).splitlines()
    assert "CREATE ROLE gd_gov_sysadmin;" in kept and 'CREATE ROLE "zj admin";' in kept
    assert 'GRANT gd_gov_sysadmin TO "zj admin" GRANTED BY postgres;' in kept
    assert not [line for line in kept if "postgres WITH" in line or "gd_other" in line
                or "TABLESPACE" in line]
