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
READ = 1 << 20  #: a multiple of every SQLite page size
#: zstd level: 1, as database pages compress well at it and level 3 cost twice the time
#: (measured on the province file: 19 s against 48 s for 1.7 GB on the shared machine)
LEVEL = 1


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///`` URL."""
    return Path(make_url(url).database or "")


def _page_owners(conn: sqlite3.Connection) -> tuple[int, dict[int, str]]:
    """The page size and, per page number, the table or index it belongs to (``dbstat``)."""
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    return size, {int(p): str(n) for n, p in conn.execute("SELECT name, pageno FROM dbstat")}


class _Pages:
    """Per table its row count, the SHA-256 of its pages as the file is read (:meth:`feed`,
    blocks of whole pages from the start), and the audit head. A restore by this method gives
    the file back page for page, so equal pages mean equal rows."""

    def __init__(self, path: Path) -> None:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            self.tables = [str(r[0]) for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%' ORDER BY name")]
            self.rows = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
                         for t in self.tables}  # noqa: S608 (names from the catalog)
            self.page_size, self.owners = _page_owners(conn)
            self.head: dict[str, object] | None = None
            if "audit_events" in self.tables:
                found = conn.execute("SELECT id, row_hash FROM audit_events ORDER BY id DESC "
                                     "LIMIT 1").fetchone()
                self.head = {"id": found[0], "hash": found[1]} if found \
                    else {"id": 0, "hash": None}
        finally:
            conn.close()
        self.digests = {t: hashlib.sha256() for t in self.tables}
        self.page = 1

    def feed(self, block: bytes) -> None:
        size, view = self.page_size, memoryview(block)
        for at in range(0, len(block), size):
            owner = self.digests.get(self.owners.get(self.page, ""))
            if owner is not None:
                owner.update(view[at:at + size])
            self.page += 1

    def facts(self) -> dict[str, TableFact]:
        return {t: TableFact(self.rows[t], self.digests[t].hexdigest()[:16])
                for t in self.tables}


def _facts(path: Path) -> tuple[dict[str, TableFact], dict[str, object] | None]:
    pages = _Pages(path)
    with open(path, "rb") as f:
        while block := f.read(READ):
            pages.feed(block)
    return pages.facts(), pages.head


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
        pages = _Pages(copy)
        writer = ContainerWriter(ctx.workdir / FILE, ctx.key, level=LEVEL)
        try:
            size, done = copy.stat().st_size, 0
            with open(copy, "rb") as f:
                while block := f.read(READ):
                    writer.write(block)
                    pages.feed(block)
                    done += len(block)
                    ctx.progress.report(0.4 + 0.5 * done / max(size, 1))
            written = writer.close()
        except BaseException:
            writer.abort()
            raise
        finally:
            copy.unlink(missing_ok=True)
        return MethodOutput([written], pages.facts(), sqlite3.sqlite_version,
                            f"python {sys.version.split()[0]} sqlite3", revision, pages.head)

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
