"""Fixtures: a fresh database per test on SQLite and on PostgreSQL.

Migrations run once per session into templates (an SQLite file; a PostgreSQL database used with
CREATE DATABASE ... TEMPLATE); each test gets a copy. PostgreSQL is the local server at
127.0.0.1:5432 (trust auth, user postgres) or ``GOVDESK_TEST_PG`` (a server URL without a
database). With CI=true a missing server fails the run instead of skipping.

PostgreSQL databases are set up the way the README deploys them: owned by a **non-superuser**
login with CREATEROLE (``govdesk_owner_<run>_<pid>``), which runs the migrations and is the
connection of the ``db`` fixtures. The superuser (``_pg_admin``) only creates and drops databases
and plays the attacker who has the server itself.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="govdesk-tests-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GOVDESK_DATA_DIR"] = str(_TMP / "data")
os.environ["XDG_CONFIG_HOME"] = str(_TMP / "config")  # QSettings stay out of the user's home
os.environ.pop("GOVDESK_DB_URL", None)

import psycopg2  # noqa: E402
import pytest  # noqa: E402
from psycopg2 import sql  # noqa: E402

from govdesk.db.engine import Database  # noqa: E402
from govdesk.db.migrate import upgrade  # noqa: E402
from govdesk.demo.load import load_demo  # noqa: E402

PG_SERVER = os.environ.get("GOVDESK_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
RUN_ID = uuid.uuid4().hex[:8]
OWNER = f"govdesk_owner_{RUN_ID}_{os.getpid()}"


def _pg_dsn(dbname: str) -> str:
    return PG_SERVER.replace("postgresql+psycopg2://", "postgresql://") + f"/{dbname}"


def _pg_admin() -> psycopg2.extensions.connection:
    conn = psycopg2.connect(_pg_dsn("postgres"), connect_timeout=5)
    conn.autocommit = True
    return conn


def owner_url(dbname: str) -> str:
    """The SQLAlchemy URL of ``dbname`` as the non-superuser database owner."""
    from sqlalchemy.engine import make_url

    return make_url(f"{PG_SERVER}/{dbname}").set(username=OWNER, password=None) \
        .render_as_string(hide_password=False)


def superuser_db(db: Database) -> Database:
    """A handle on ``db``'s database as the server's superuser: the attacker who has the server
    itself (dispose of it after use). Only tests that play that attacker use it."""
    return Database(f"{PG_SERVER}/{db.engine.url.database}")


def _ensure_owner() -> None:
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE NOSUPERUSER").format(
                    sql.Identifier(OWNER)))
    finally:
        conn.close()


def pg_available() -> str | None:
    """None when the test server answers, else why not."""
    try:
        _pg_admin().close()
    except psycopg2.OperationalError as exc:
        return str(exc).strip().splitlines()[0]
    return None


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server URL; skips (fails in CI) when no server runs."""
    problem = pg_available()
    if problem:
        message = (f"PostgreSQL test server not reachable at {PG_SERVER} ({problem}); start it with "
                   "`pg_ctlcluster --skip-systemctl-redirect 15 main start`")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return PG_SERVER


def pg_create(name: str, template: str | None = None) -> None:
    """Create ``name`` (from ``template``) owned by the non-superuser owner."""
    _ensure_owner()
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            if template:
                cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(template), sql.Identifier(OWNER)))
            else:
                cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(OWNER)))
    finally:
        conn.close()


def drop_database_roles(cur: psycopg2.extensions.cursor, dbname: str) -> None:
    """Drop the per-database GovDesk roles (``gd_<db>_*``) a migrated ``dbname`` created."""
    cur.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (f"gd_{dbname}_",))
    for (role,) in cur.fetchall():
        cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def pg_drop(name: str) -> None:
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            drop_database_roles(cur, name)
    finally:
        conn.close()


class Templates:
    """Migrated template databases, made on first use, dropped at session end."""

    def __init__(self) -> None:
        self.sqlite: dict[str, Path] = {}
        self.pg: dict[str, str] = {}

    def sqlite_file(self, kind: str) -> Path:
        if kind not in self.sqlite:
            path = _TMP / f"template-{kind}.sqlite3"
            db = Database(f"sqlite:///{path}")
            upgrade(db)
            if kind == "demo":
                load_demo(db, "small")
            db.dispose()
            self.sqlite[kind] = path
        return self.sqlite[kind]

    def pg_database(self, kind: str) -> str:
        if kind not in self.pg:
            name = f"govdesk_tpl_{RUN_ID}_{os.getpid()}_{kind}"
            if kind == "demo":
                pg_create(name, self.pg_database("schema"))
                db = Database(owner_url(name))
                load_demo(db, "small")
            else:
                pg_create(name)
                db = Database(owner_url(name))
                upgrade(db)
            db.dispose()
            self.pg[kind] = name
        return self.pg[kind]

    def drop_all(self) -> None:
        # databases first: a copy holds grants to its template's per-database roles
        names = list(self.pg.values())
        conn = _pg_admin()
        try:
            with conn.cursor() as cur:
                for name in reversed(names):
                    cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)))
                for name in names:
                    drop_database_roles(cur, name)
        finally:
            conn.close()
        conn = _pg_admin()
        try:
            with conn.cursor() as cur:
                cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(OWNER)))
        finally:
            conn.close()


def sweep_stale_databases() -> None:
    """Drop test databases left by runs that died (their process is gone)."""
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT datname FROM pg_database WHERE datname ~ "
                        "'^govdesk_(tpl|test|empty)_[0-9a-f]+_[0-9]+_'")
            names = [r[0] for r in cur.fetchall()]
            cur.execute("SELECT rolname FROM pg_roles WHERE rolname ~ "
                        "'^(govdesk_owner_[0-9a-f]+_[0-9]+|gd_govdesk_(tpl|test|empty)_[0-9a-f]+_[0-9]+_.*)$'")
            roles = [r[0] for r in cur.fetchall()]
    finally:
        conn.close()

    def dead(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # pragma: no cover - someone else's live process
            return False
        return False

    for name in names:
        if dead(int(name.split("_")[3])):
            pg_drop(name)
    conn = _pg_admin()
    try:
        with conn.cursor() as cur:
            for role in roles:
                parts = role.split("_")
                pid = int(parts[3] if role.startswith("govdesk_owner_") else parts[4])
                if dead(pid):
                    try:
                        cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
                    except psycopg2.Error:  # still owns objects somewhere: leave it
                        pass
    finally:
        conn.close()


@pytest.fixture(scope="session")
def templates() -> Iterator[Templates]:
    if pg_available() is None:
        sweep_stale_databases()
    t = Templates()
    yield t
    if t.pg:
        t.drop_all()
    shutil.rmtree(_TMP, ignore_errors=True)


def _fresh(request: pytest.FixtureRequest, templates: Templates, kind: str) -> Iterator[Database]:
    backend = request.param
    if backend == "sqlite":
        path = _TMP / f"test-{uuid.uuid4().hex}.sqlite3"
        shutil.copy(templates.sqlite_file(kind), path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        path.unlink(missing_ok=True)
    else:
        request.getfixturevalue("pg_server")
        name = f"govdesk_test_{RUN_ID}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        pg_create(name, templates.pg_database(kind))
        db = Database(owner_url(name))
        yield db
        db.dispose()
        pg_drop(name)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, templates: Templates) -> Iterator[Database]:
    """A migrated database with reference data only (regions, roles, grades, categories)."""
    yield from _fresh(request, templates, "schema")


@pytest.fixture(params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, templates: Templates) -> Iterator[Database]:
    """A migrated database with the small demo loaded."""
    yield from _fresh(request, templates, "demo")


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database with no schema at all."""
    if request.param == "sqlite":
        path = _TMP / f"empty-{uuid.uuid4().hex}.sqlite3"
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        path.unlink(missing_ok=True)
    else:
        request.getfixturevalue("pg_server")
        name = f"govdesk_empty_{RUN_ID}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        pg_create(name)
        db = Database(owner_url(name))
        yield db
        db.dispose()
        pg_drop(name)


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def pg_db(request: pytest.FixtureRequest, templates: Templates) -> Iterator[Database]:
    """A migrated PostgreSQL database (for server-only behaviour)."""
    yield from _fresh(request, templates, "schema")


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def pg_demo_db(request: pytest.FixtureRequest, templates: Templates) -> Iterator[Database]:
    """A PostgreSQL database with the small demo loaded."""
    yield from _fresh(request, templates, "demo")


class Accounts:
    """Creates GovDesk accounts for a test and removes their server-wide login roles after."""

    PASSWORD = "Test-Passw0rd!"

    def __init__(self, db: Database) -> None:
        from govdesk.security.identity import Identity

        self.db = db
        self.roles: list[str] = []
        self.owner = Identity.local_owner() if not db.is_postgres else None
        self._admin = None
        self._admin_db: Database | None = None
        self.handles: list[Database] = []

    def _owner_identity(self):  # type: ignore[no-untyped-def]
        from govdesk.security.identity import Identity, identity_from_connection

        return identity_from_connection(self.db) if self.db.is_postgres else Identity.local_owner()

    def add(self, role: str, region: str | None = None, organisation_id: int | None = None):  # type: ignore[no-untyped-def]
        """Create a user of ``role``; returns its Identity."""
        from govdesk.security.identity import Identity
        from govdesk.security.roles import Role
        from govdesk.security.users import create_user

        name = f"t{uuid.uuid4().hex[:10]}_{role}"
        if self._admin is None:
            from sqlalchemy import select

            from govdesk.db.models import User

            with self.db.session() as s:
                query = select(User.username).where(User.role_code == "sysadmin",
                                                    User.is_active.is_(True))
                if self.db.is_postgres:  # one whose login role still exists
                    from sqlalchemy import text as sql_text

                    query = query.where(sql_text(
                        "EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = users.username "
                        "AND r.rolcanlogin)"))
                existing = s.scalar(query.limit(1))
            if existing:  # e.g. the demo database's demo_sysadmin
                self._admin = Identity(existing, Role.SYSADMIN, host="test")
        if self._admin is None:
            admin_name = f"t{uuid.uuid4().hex[:10]}_sysadmin"
            create_user(self.db, self._owner_identity(), admin_name, Role.SYSADMIN, self.PASSWORD)
            self.roles.append(admin_name)
            self._admin = Identity(admin_name, Role.SYSADMIN, host="test")
            if role == "sysadmin":
                return self._admin
        # on PostgreSQL accounts are made by the database's account functions, which only a
        # system administrator's own login may call
        admin_db = self.admin_db()
        create_user(admin_db, self._admin, name, Role(role), self.PASSWORD, region_code=region,
                    organisation_id=organisation_id)
        self.roles.append(name)
        return Identity(name, Role(role), region.ljust(12, "0") if region else None,
                        organisation_id, host="test")

    def admin_db(self) -> Database:
        """A handle logged in as this set's system administrator (the db itself on SQLite)."""
        if not self.db.is_postgres:
            return self.db
        if self._admin is None:
            self.add("sysadmin")
        assert self._admin is not None
        if self._admin_db is None:
            self._admin_db = Database(self.url_for(self._admin.username))
            self.handles.append(self._admin_db)
        return self._admin_db

    def login(self, role: str, region: str | None = None,
              organisation_id: int | None = None):  # type: ignore[no-untyped-def]
        """A new user of ``role``, logged in: (Database, Identity). On PostgreSQL the handle
        connects as that login role, so the server's grants and policies apply; it is disposed
        of with the accounts."""
        from govdesk.security.identity import identity_from_connection

        who = self.add(role, region, organisation_id)
        if not self.db.is_postgres:
            return self.db, who
        handle = Database(self.url_for(who.username))
        self.handles.append(handle)
        return handle, identity_from_connection(handle)

    def connect(self, username: str):  # type: ignore[no-untyped-def]
        """A plain psycopg2 connection logged in as ``username`` (bypassing GovDesk)."""
        url = self.db.engine.url.set(username=username, password=self.PASSWORD)
        return psycopg2.connect(url.render_as_string(hide_password=False)
                                .replace("postgresql+psycopg2://", "postgresql://"))

    def url_for(self, username: str) -> str:
        return self.db.engine.url.set(username=username, password=self.PASSWORD) \
            .render_as_string(hide_password=False)

    def drop(self) -> None:
        for handle in self.handles:
            handle.dispose()
        if not self.db.is_postgres or not self.roles:
            return
        self.db.dispose()
        conn = psycopg2.connect(_pg_dsn(str(self.db.engine.url.database)))
        conn.autocommit = True
        try:
            with conn.cursor() as cur:  # the database may outlive the test (module fixtures)
                cur.execute("UPDATE users SET is_active = false WHERE username = ANY(%s)",
                            (self.roles,))
                for name in self.roles:
                    cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        finally:
            conn.close()


@pytest.fixture
def accounts_for():  # type: ignore[no-untyped-def]
    """``accounts_for(db)`` -> Accounts; login roles are dropped after the test."""
    made: list[Accounts] = []

    def make(db: Database) -> Accounts:
        a = Accounts(db)
        made.append(a)
        return a

    yield make
    for a in made:
        a.drop()


@pytest.fixture(params=["sqlite"])
def sqlite_db(request: pytest.FixtureRequest, templates: Templates) -> Iterator[Database]:
    """A migrated SQLite database (for behaviour that exists only there: local accounts)."""
    yield from _fresh(request, templates, "schema")


@pytest.fixture(params=["sqlite"])
def sqlite_demo_db(request: pytest.FixtureRequest, templates: Templates) -> Iterator[Database]:
    """The SQLite demo database with its documented demo accounts."""
    yield from _fresh(request, templates, "demo")


@pytest.fixture(autouse=True)
def fresh_local_settings() -> Iterator[None]:
    """Every test starts with this computer's settings (QSettings) empty, as on a new machine:
    a window reopens on the area last shown, so one test's last area would be the next one's
    first (tests that need a setting write it themselves)."""
    core = sys.modules.get("PySide6.QtCore")
    if core is not None:
        core.QSettings().clear()
        core.QSettings().sync()
    yield


@pytest.fixture(autouse=True)
def no_database_on_gui_thread(request: pytest.FixtureRequest) -> Iterator[object]:
    """GUI tests (marked ``gui``) fail when GovDesk's UI code talks to a database on the GUI
    thread (a statement or a new connection; see tests/gui_thread_guard.py): every such call
    belongs on the OperationRunner's worker threads."""
    if request.node.get_closest_marker("gui") is None:
        yield None
        return
    import threading

    from gui_thread_guard import GuiThreadGuard

    assert threading.current_thread() is threading.main_thread()  # where Qt's GUI thread is
    guard = GuiThreadGuard().install()
    try:
        yield guard
    finally:
        guard.remove()
    if guard.violations:
        pytest.fail("database work on the GUI thread:\n" + guard.report(), pytrace=False)
