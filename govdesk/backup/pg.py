"""The PostgreSQL logical method: ``pg_dump`` in custom format to standard output, piped through
compression and encryption (no plain copy on disk), plus ``pg_dumpall --globals-only`` narrowed
to the roles this database's security model depends on (its groups ``gd_<db>_*`` and the logins
its ``users`` table names, see docs/architecture.md "Security in depth, per database").

Consistency: a REPEATABLE READ transaction exports its snapshot, ``pg_dump --snapshot`` dumps in
it, and the table facts (row count and ``bit_xor`` of ``hashtextextended`` over each row's text)
and the audit head are read in the same snapshot on another thread while the dump streams, so
the manifest describes exactly the rows the dump holds.

Passwords never go on a command line: ``PGPASSWORD`` in the child's environment. Role
passwords are dumped only when the dumping login is a superuser (``pg_authid``); otherwise the
globals carry ``--no-role-passwords`` and a restore on a new server needs new passwords.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from typing import IO, Any, ClassVar

import psycopg2
from sqlalchemy.engine import make_url

from govdesk.backup.container import ContainerWriter, Written, read_plain
from govdesk.backup.method import MethodOutput, RestoreContext, RunContext, TableFact, register
from govdesk.errors import InputRejected

DUMP = "database.dump.gdbk"
GLOBALS = "globals.sql.gdbk"
READ = 1 << 20

FACTS_SQL = ("SELECT count(*), coalesce(bit_xor(hashtextextended(t::text, 0)), 0) "
             'FROM public."{table}" t')
TABLES_SQL = ("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
PRIVILEGES_SQL = """
SELECT substr(r.rolname, length(i.prefix) + 2) AS role, c.relname, p.priv
FROM govdesk_instance i
JOIN pg_roles r ON starts_with(r.rolname, i.prefix || '_')
JOIN pg_class c ON c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v')
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p(priv)
WHERE has_table_privilege(r.oid, c.oid, p.priv)
ORDER BY 1, 2, 3
"""


#: the group roles people log in through (the audit and accounts roles own objects: a restore
#: by a login that is not a superuser gives their objects to itself, see ``restore``)
USER_ROLES = ("sysadmin", "secadmin", "auditor", "data_admin", "viewer")


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    u = make_url(url)
    parts = [f"dbname={u.database}"]
    if u.host:
        parts.append(f"host={u.host}")
    if u.port:
        parts.append(f"port={u.port}")
    if u.username:
        parts.append(f"user={u.username}")
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    return " ".join(parts), env


def connect(url: str) -> Any:
    dsn, env = libpq(url)
    return psycopg2.connect(dsn, password=env.get("PGPASSWORD"))


def _facts(cur: Any) -> tuple[dict[str, TableFact], dict[str, object] | None]:
    cur.execute(TABLES_SQL)
    tables = [r[0] for r in cur.fetchall()]
    facts = {}
    for table in tables:
        cur.execute(FACTS_SQL.format(table=table.replace('"', '""')))
        rows, acc = cur.fetchone()
        facts[table] = TableFact(int(rows), f"{int(acc) & (2**64 - 1):016x}")
    head: dict[str, object] | None = None
    if "audit_events" in tables:
        cur.execute("SELECT id, row_hash FROM audit_events ORDER BY id DESC LIMIT 1")
        found = cur.fetchone()
        head = {"id": found[0], "hash": found[1]} if found else {"id": 0, "hash": None}
    return facts, head


def privileges(cur: Any) -> dict[str, list[str]]:
    """Per group role (without the database prefix), the ``table:PRIVILEGE`` it holds."""
    cur.execute("SELECT to_regclass('govdesk_instance') IS NOT NULL")
    if not cur.fetchone()[0]:
        return {}
    cur.execute(PRIVILEGES_SQL)
    out: dict[str, list[str]] = {}
    for role, table, priv in cur.fetchall():
        if role in USER_ROLES:
            out.setdefault(role, []).append(f"{table}:{priv}")
    return out


def _pump(stream: IO[bytes], writer: ContainerWriter, ctx: RunContext) -> None:
    done = 0
    while block := stream.read(READ):
        writer.write(block)
        done += len(block)
        ctx.progress.report(min(0.85, 0.05 + done / (done + 50 * READ)))


def _check(proc: subprocess.Popen[bytes], tool: str) -> None:
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = proc.wait()
    if code != 0:
        raise InputRejected("backup_tool_failed", tool=tool, code=code,
                            detail=err.strip()[-2000:])


class _Snapshot:
    """A REPEATABLE READ transaction that exports its snapshot and reads facts in it."""

    def __init__(self, url: str) -> None:
        self.conn = connect(url)
        self.conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        self.cur = self.conn.cursor()
        self.cur.execute("SELECT pg_export_snapshot(), current_setting('server_version'), "
                         "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")
        self.name, self.version, self.superuser = self.cur.fetchone()
        self.login = str(make_url(url).username)
        self.result: tuple[Any, ...] | None = None
        self.error: BaseException | None = None

    def read_facts(self) -> None:
        try:
            facts, head = _facts(self.cur)
            self.cur.execute("SELECT version_num FROM alembic_version")
            revision = self.cur.fetchone()
            self.result = (facts, head, revision[0] if revision else None,
                           privileges(self.cur), self._role_names())
        except psycopg2.Error as exc:  # handed to the main thread, said for people
            self.error = InputRejected("backup_source_cannot_read", login=self.login,
                                       reason=str(exc).strip().splitlines()[0])
        except BaseException as exc:
            self.error = exc

    def _role_names(self) -> set[str]:
        self.cur.execute("SELECT to_regclass('govdesk_instance') IS NOT NULL")
        if not self.cur.fetchone()[0]:
            return set()
        self.cur.execute("SELECT r.rolname FROM pg_roles r, govdesk_instance i "
                         "WHERE starts_with(r.rolname, i.prefix || '_') "
                         "UNION SELECT username FROM users "
                         "UNION SELECT pg_get_userbyid(datdba) FROM pg_database "
                         "WHERE datname = current_database()")
        return {r[0] for r in self.cur.fetchall()}

    def close(self) -> None:
        self.conn.rollback()
        self.conn.close()


ROLE_LINE = re.compile(r'^(?:CREATE|ALTER) ROLE ("(?:[^"]|"")+"|[^ ;]+)')
GRANT_LINE = re.compile(r'^GRANT ("(?:[^"]|"")+"|[^ ;]+) TO ("(?:[^"]|"")+"|[^ ;]+)')


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def narrow_globals(sql: str, roles: set[str]) -> str:
    """Only the statements of ``pg_dumpall --globals-only`` about ``roles`` (and its SET lines):
    other databases' roles, tablespaces and the server's superusers are left out."""
    out = []
    for line in sql.splitlines():
        role, grant = ROLE_LINE.match(line), GRANT_LINE.match(line)
        if role:
            keep = _unquote(role.group(1)) in roles
        elif grant:
            keep = _unquote(grant.group(1)) in roles and _unquote(grant.group(2)) in roles
        else:
            keep = line.startswith("SET ") or line.startswith("--") or not line.strip()
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


class PgDumpMethod:
    """PostgreSQL, logical: ``pg_dump -Fc`` streamed, plus the security model's roles."""

    name: ClassVar[str] = "pg_dump"
    source: ClassVar[str] = "postgresql"
    continuous: ClassVar[bool] = False

    def unavailable(self) -> str | None:
        ok = all(shutil.which(t) for t in ("pg_dump", "pg_dumpall", "pg_restore"))
        return None if ok else "backup_tool_missing"

    def achievable_rpo_hours(self, interval_hours: float) -> float:
        return interval_hours

    def _globals(self, ctx: RunContext, snap: _Snapshot, roles: set[str]) -> Any:
        dsn, env = libpq(ctx.source_url)
        args = ["pg_dumpall", "--globals-only", "--no-tablespaces", "-d", dsn]
        if not snap.superuser:
            args.append("--no-role-passwords")
        done = subprocess.run(args, env=env, capture_output=True, check=False)
        if done.returncode != 0:
            raise InputRejected("backup_tool_failed", tool="pg_dumpall", code=done.returncode,
                                detail=done.stderr.decode("utf-8", "replace").strip()[-2000:])
        writer = ContainerWriter(ctx.workdir / GLOBALS, ctx.key)
        writer.write(narrow_globals(done.stdout.decode("utf-8"), roles).encode("utf-8"))
        return writer.close()

    def _dump(self, ctx: RunContext, snap: _Snapshot) -> list[Written]:
        """The database's containers: ``pg_dump -Fc`` streamed into one."""
        dsn, env = libpq(ctx.source_url)
        proc = subprocess.Popen(["pg_dump", "-Fc", "-Z0", f"--snapshot={snap.name}", "-d", dsn],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        writer = ContainerWriter(ctx.workdir / DUMP, ctx.key)
        try:
            assert proc.stdout is not None
            _pump(proc.stdout, writer, ctx)
            _check(proc, "pg_dump")
            return [writer.close()]
        except BaseException:
            proc.kill()
            writer.abort()
            raise

    def run(self, ctx: RunContext) -> MethodOutput:
        snap = _Snapshot(ctx.source_url)
        try:
            reader = threading.Thread(target=snap.read_facts, name="backup-facts", daemon=True)
            reader.start()
            try:
                files = self._dump(ctx, snap)
            except BaseException:
                reader.join()
                if snap.error is not None:  # the facts failed first: that is the cause
                    raise snap.error from None
                raise
            reader.join()
            if snap.error is not None:
                raise snap.error
            assert snap.result is not None
            facts, head, revision, privs, roles = snap.result
            files.append(self._globals(ctx, snap, roles))
        finally:
            snap.close()
        return MethodOutput(files, facts, snap.version, _tool_version(), revision, head,
                            {"privileges": privs, "role_passwords": bool(snap.superuser)})

    def restore(self, ctx: RestoreContext) -> None:
        dsn, env = libpq(ctx.target_url)
        args = restore_args(ctx) + ["--single-transaction", "-d", dsn]
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert proc.stdin is not None
        try:
            for block in read_plain(ctx.backup_dir / DUMP, ctx.key_for):
                proc.stdin.write(block)
                ctx.progress.check()
            proc.stdin.close()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        _check(proc, "pg_restore")

    def facts(self, url: str) -> tuple[dict[str, TableFact], dict[str, object] | None]:
        conn = connect(url)
        try:
            with conn.cursor() as cur:
                return _facts(cur)
        finally:
            conn.close()


def restore_args(ctx: RestoreContext) -> list[str]:
    """Create the roles first when asked; the ``pg_restore`` options every PostgreSQL method
    shares: stop at the first error, ``--no-owner`` unless the restoring login is a superuser
    (ownership by the audit and accounts roles needs one), ``--clean`` over the live database."""
    if ctx.with_globals and GLOBALS in ctx.files:
        apply_globals(ctx)
    conn = connect(ctx.target_url)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cur.fetchone()[0])
    conn.close()
    args = ["pg_restore", "--exit-on-error"]
    if not superuser:
        args.append("--no-owner")
    if ctx.clean:
        args += ["--clean", "--if-exists"]
    return args


def apply_globals(ctx: RestoreContext) -> None:
    """Create the dumped roles on the target's server; a role that exists is left as it is."""
    sql = b"".join(read_plain(ctx.backup_dir / GLOBALS, ctx.key_for)).decode("utf-8")
    conn = connect(ctx.target_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in _statements(sql):
                try:
                    cur.execute(statement)
                except psycopg2.errors.DuplicateObject:
                    continue
    finally:
        conn.close()


def _statements(sql: str) -> Iterator[str]:
    for line in sql.splitlines():
        if line.strip() and not line.startswith("--"):
            yield line


def _tool_version() -> str:
    out = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip()


register(PgDumpMethod())
