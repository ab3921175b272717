"""Backup benchmarks (issue 16), each a ratio in one run on the same data:

- ``backup_pg``: a GovDesk backup of a PostgreSQL database (``pg_dump -Fc -Z0`` streamed through
  zstd and AES-256-GCM chunks, the table facts read in the dump's snapshot, ``pg_dumpall
  --globals-only``, the signed manifest, fsync and rename: :func:`govdesk.backup.runner.
  write_backup`, what ``govdesk backup run`` does less its two catalogue rows) against a bare
  ``pg_dump -Fc`` to a file, both as a backup login (LOGIN BYPASSRLS, pg_read_all_data), never
  the owner; target ≤ 1.15. Peak memory of the client process (and of pg_dump) is reported.
- ``backup_verify``: the restore drill (decrypt and pipe into ``pg_restore --single-transaction``,
  then row counts and checksums of every table, the audit chain, the roles' privileges) against
  a bare ``pg_restore`` of the bare dump into an empty database; target ≤ 1.3.
- ``backup_sqlite``: the SQLite method (online backup API, page digests, container) against
  Python's ``sqlite3`` backup API alone; target ≤ 1.2.

``--db`` names the database (default: ``govdesk_search_province`` on the server, the province
demo, if it exists; for SQLite a file URL).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.common import _admin

PROVINCE = "govdesk_search_province"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from govdesk.backup.keys import load_key
from govdesk.backup.policy import PolicySpec
from govdesk.backup.runner import write_backup
from govdesk.progress import Progress
spec = PolicySpec(name="bench", source=sys.argv[3], method=sys.argv[4], schedule_cron="0 1 * * *",
                  dr_level=3, target=sys.argv[2], offsite_targets=("/tmp",), key_id=sys.argv[5])
key = load_key(sys.argv[5], directory=Path(sys.argv[6]))
started = time.perf_counter()
w = write_backup(spec, 0, sys.argv[1], "bench", Progress(), key)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "size": w.size, "dir": str(w.directory),
                  "self_max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_max_rss_mb":
                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _backup_login(server: str, database: str) -> tuple[str, Any]:
    """A backup login for the benchmark (removed by the returned function)."""
    name = f"govdesk_bench_backup_{uuid.uuid4().hex[:8]}"
    conn = _admin(server)
    cur = conn.cursor()
    cur.execute(f'CREATE ROLE "{name}" LOGIN BYPASSRLS IN ROLE pg_read_all_data')
    cur.execute(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"')

    def drop() -> None:
        cur.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM "{name}"')
        cur.execute(f'DROP ROLE "{name}"')
        conn.close()

    url = make_url(f"{server}/{database}").set(username=name)
    return url.render_as_string(hide_password=False), drop


def _ours(url: str, source: str, method: str, out: Path) -> dict[str, Any]:
    from govdesk.backup.keys import new_key

    keys = out / "keys"
    kid = new_key(directory=keys)
    target = out / "target"
    target.mkdir()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    done = subprocess.run([sys.executable, "-c", CHILD, url, str(target), source, method, kid,
                           str(keys)], capture_output=True, text=True, env=env, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(key_id=kid, keys=str(keys))
    return result


def _bare_dump(url: str, path: Path) -> float:
    from govdesk.backup.pg import libpq

    dsn, env = libpq(url)
    started = time.perf_counter()
    subprocess.run(["pg_dump", "-Fc", "-f", str(path), "-d", dsn], env=env, check=True)
    return time.perf_counter() - started


def _database(args: argparse.Namespace) -> str:
    if args.db:
        return str(make_url(args.db).database)
    return PROVINCE


def run_pg(args: argparse.Namespace, verify: bool = False) -> dict[str, Any]:
    database = _database(args)
    url, drop = _backup_login(args.pg, database)
    before = _uptime()
    try:
        with tempfile.TemporaryDirectory(prefix="govdesk-bench-backup-",
                                         dir=os.environ.get("TMPDIR")) as tmp:
            out = Path(tmp)
            bare_path = out / "bare.dump"
            bare = _bare_dump(url, bare_path)
            ours = _ours(url, "postgresql", "pg_dump", out)
            result: dict[str, Any] = {
                "database": database, "bare_pg_dump_s": round(bare, 2),
                "bare_size": bare_path.stat().st_size, "govdesk_s": round(ours["seconds"], 2),
                "govdesk_size": ours["size"], "ratio": round(ours["seconds"] / bare, 3),
                "target": 1.15, "client_peak_rss_mb": round(ours["self_max_rss_mb"], 1),
                "pg_dump_peak_rss_mb": round(ours["children_max_rss_mb"], 1)}
            if verify:
                result["verify"] = _verify(args, out, bare_path, ours)
    finally:
        drop()
    result.update(uptime_before=before, uptime_after=_uptime())
    return result


def _empty(server: str) -> tuple[str, Any]:
    name = f"govdesk_bench_restore_{uuid.uuid4().hex[:8]}"
    conn = _admin(server)
    conn.cursor().execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()

    return f"{server}/{name}", drop


def _verify(args: argparse.Namespace, out: Path, bare_path: Path,
            ours: dict[str, Any]) -> dict[str, Any]:
    from govdesk.backup import manifest
    from govdesk.backup.keys import load_key
    from govdesk.backup.pg import libpq
    from govdesk.backup.verify import check_directory, drill
    from govdesk.progress import Progress

    bare_url, drop_bare = _empty(args.pg)
    ours_url, drop_ours = _empty(args.pg)
    try:
        dsn, env = libpq(bare_url)
        started = time.perf_counter()
        subprocess.run(["pg_restore", "-d", dsn, str(bare_path)], env=env, check=True)
        bare = time.perf_counter() - started
        directory = Path(ours["dir"])

        def key_for(kid: str) -> bytes:
            return load_key(kid, directory=Path(ours["keys"]))

        started = time.perf_counter()
        body = check_directory(directory, key_for, manifest.file_sha256(
            directory / manifest.NAME), Progress())
        checked = time.perf_counter() - started
        seconds, diffs, rows, privs = drill(body, directory, key_for, ours_url, Progress())
        total = time.perf_counter() - started
    finally:
        drop_bare()
        drop_ours()
    return {"bare_pg_restore_s": round(bare, 2), "govdesk_verify_restore_s": round(total, 2),
            "of_which_check_s": round(checked, 2), "of_which_restore_s": round(seconds, 2),
            "ratio": round(total / bare, 3), "target": 1.3, "differences": diffs,
            "audit_rows": rows, "privileges_ok": privs}


def run_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    from govdesk.backup.sqlite import sqlite_path

    if not args.db or not args.db.startswith("sqlite"):
        raise SystemExit("backup_sqlite needs --db sqlite:///FILE (e.g. a province demo file)")
    path = sqlite_path(args.db)
    before = _uptime()
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-backup-") as tmp:
        out = Path(tmp)
        started = time.perf_counter()
        src, dst = sqlite3.connect(path), sqlite3.connect(out / "bare.sqlite3")
        src.backup(dst, pages=4096)
        dst.close()
        src.close()
        bare = time.perf_counter() - started
        size = (out / "bare.sqlite3").stat().st_size
        (out / "bare.sqlite3").unlink()
        ours = _ours(args.db, "sqlite", "sqlite", out)
    return {"file": str(path), "file_size": size, "bare_backup_api_s": round(bare, 2),
            "govdesk_s": round(ours["seconds"], 2), "govdesk_size": ours["size"],
            "ratio": round(ours["seconds"] / bare, 3), "target": 1.2,
            "client_peak_rss_mb": round(ours["self_max_rss_mb"], 1),
            "uptime_before": before, "uptime_after": _uptime(),
            "rss_note": "the client's peak RSS"}
