"""The SQLite method: the online backup API (``sqlite3.Connection.backup``) into a private copy
in the backup's work directory, the table facts read from that copy (so they describe exactly
what was saved), then the copy streamed into a container and deleted.

The table facts are each table's row count and the SHA-256 of its pages (``dbstat`` says which
page is whose), read from the copy: hashing every row in Python would cost more than the backup.
The plain copy exists on disk for the time of the backup, in the work directory (mode 0700),
because the backup API writes to a database file; a copy in memory would cost the database's
size in memory. A restore writes the decrypted file next to the target and renames it into
place, so a failed restore leaves no half file under the target's name.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path
from typing import ClassVar

from sqlalchemy.engine import make_url

from govdesk.backup.container import ContainerWriter, read_plain
from govdesk.backup.method import MethodOutput, RestoreContext, RunContext, TableFact, register

FILE = "database.sqlite3.gdbk"
PAGES = 4096  #: pages copied per step of the backup API (a cancel is seen between steps)
READ = 1 << 20


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL."""
    return Path(make_url(url).database or "")


def _page_owners(conn: sqlite3.Connection) -> tuple[int, dict[int, str]]:
    """The page size and, per page number, the table or index it belongs to (``dbstat``)."""
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    return size, {int(p): str(n) for n, p in conn.execute("SELECT name, pageno FROM dbstat")}


def _facts(path: Path) -> tuple[dict[str, TableFact], dict[str, object] | None]:
    """Per table its row count and the SHA-256 of its pages (a restore by this method gives the
    file back page for page, so equal pages mean equal rows); the audit head."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        rows = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
                for t in tables}  # noqa: S608 (names from the catalog)
        page_size, owners = _page_owners(conn)
        head: dict[str, object] | None = None
        if "audit_events" in tables:
            found = conn.execute("SELECT id, row_hash FROM audit_events ORDER BY id DESC "
                                 "LIMIT 1").fetchone()
            head = {"id": found[0], "hash": found[1]} if found else {"id": 0, "hash": None}
    finally:
        conn.close()
    digests = {t: hashlib.sha256() for t in tables}
    with open(path, "rb") as f:
        page = 1
        while block := f.read(page_size * 256):
            for at in range(0, len(block), page_size):
                owner = digests.get(owners.get(page, ""))
                if owner is not None:
                    owner.update(block[at:at + page_size])
                page += 1
    return {t: TableFact(rows[t], digests[t].hexdigest()[:16]) for t in tables}, head


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(found[0]) if found else None


class SqliteMethod:
    """The embedded SQLite file, by the online backup API."""

    name: ClassVar[str] = "sqlite"
    source: ClassVar[str] = "sqlite"
    continuous: ClassVar[bool] = False

    def unavailable(self) -> str | None:
        return None

    def achievable_rpo_hours(self, interval_hours: float) -> float:
        return interval_hours

    def run(self, ctx: RunContext) -> MethodOutput:
        copy = ctx.workdir / "plain.sqlite3"
        src = sqlite3.connect(sqlite_path(ctx.source_url))
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst, pages=PAGES,
                       progress=lambda _s, left, total: ctx.progress.report(
                           0.4 * (1 - left / total) if total else 0.4))
            revision = _revision(dst)
        finally:
            dst.close()
            src.close()
        facts, head = _facts(copy)
        writer = ContainerWriter(ctx.workdir / FILE, ctx.key)
        try:
            size, done = copy.stat().st_size, 0
            with open(copy, "rb") as f:
                while block := f.read(READ):
                    writer.write(block)
                    done += len(block)
                    ctx.progress.report(0.4 + 0.5 * done / max(size, 1))
            written = writer.close()
        except BaseException:
            writer.abort()
            raise
        finally:
            copy.unlink(missing_ok=True)
        return MethodOutput([written], facts, sqlite3.sqlite_version,
                            f"python {sys.version.split()[0]} sqlite3", revision, head)

    def restore(self, ctx: RestoreContext) -> None:
        target = sqlite_path(ctx.target_url)
        partial = target.with_name(target.name + ".restoring")
        partial.unlink(missing_ok=True)
        try:
            with open(partial, "xb") as out:
                for block in read_plain(ctx.backup_dir / FILE, ctx.key_for):
                    out.write(block)
                    ctx.progress.check()
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    def facts(self, url: str) -> tuple[dict[str, TableFact], dict[str, object] | None]:
        return _facts(sqlite_path(url))


register(SqliteMethod())
