"""A scratch database for a restore drill: the one the caller names (left as it is after), or
one GovDesk makes and removes: a temporary file for SQLite, on PostgreSQL a database
``<live>_<suffix>`` on the same server (the login needs CREATEDB), dropped after the drill."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from sqlalchemy.engine import make_url

from govdesk.db.engine import Database
from govdesk.errors import InputRejected


class ScratchUnavailable(InputRejected):
    """No scratch database could be made: the environment's problem, not the backup's."""


class Scratch:
    """``with Scratch(db, url, suffix) as scratch_url: ...``"""

    def __init__(self, db: Database, url: str | None, suffix: str) -> None:
        self.db, self.url, self.suffix = db, url, suffix
        self._made: str | None = None
        self._dir: Path | None = None

    def __enter__(self) -> str:
        if self.url is not None:
            return self.url
        if not self.db.is_postgres:
            self._dir = Path(tempfile.mkdtemp(prefix="govdesk-drill-"))
            return f"sqlite:///{self._dir / 'drill.sqlite3'}"
        from govdesk.backup.pg import connect

        live = make_url(self.db.url)
        name = f"{live.database}_{self.suffix}"[:63]
        import psycopg2

        conn = connect(self.db.url)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        except psycopg2.Error as exc:
            raise ScratchUnavailable("scratch_cannot_create", name=name,
                                reason=str(exc).strip().splitlines()[0]) from exc
        finally:
            conn.close()
        self._made = name
        return live.set(database=name).render_as_string(hide_password=False)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
        if self._made is not None:
            from govdesk.backup.pg import connect

            conn = connect(self.db.url)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{self._made}" WITH (FORCE)')
            conn.close()
