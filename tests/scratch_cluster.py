"""Scratch PostgreSQL clusters for tests that need a server of their own: one with pgAudit
preloaded (log import), a pgBackRest stanza with WAL archiving (point-in-time recovery), a
streaming standby (the read replica).

A cluster is made with Debian's ``pg_createcluster`` beside the main one, on a free port, with
trust authentication on the local socket and loopback (tests only), and is dropped on exit.
The tools run as the ``postgres`` operating-system user when the tests run as root (a cluster's
files belong to it). With CI=true a machine that cannot make one fails instead of skipping.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pg_version() -> str | None:
    """The newest PostgreSQL major version with Debian's cluster tools here, or None."""
    etc = Path("/etc/postgresql")
    if shutil.which("pg_createcluster") is None or not etc.is_dir():
        return None
    versions = sorted((p.name for p in etc.iterdir() if p.name.isdigit()), key=int)
    return versions[-1] if versions else None


def require_cluster_tools(*extra: str) -> str:
    """The PostgreSQL version, or skip (fail in CI) where the cluster tools or ``extra``
    programs (``pgbackrest``...) are missing."""
    version = pg_version()
    missing = [p for p in extra if shutil.which(p) is None]
    if version is None or missing:
        what = ", ".join(missing) if missing else "Debian's pg_createcluster"
        message = f"needs {what} (Debian's postgresql-common; .ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return version


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``args`` as ourselves (Debian's cluster tools switch to the cluster's owner
    themselves); raise with the tool's output on failure."""
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n"
                           f"{result.stdout}\n{result.stderr}")
    return result  # type: ignore[no-any-return]


def as_postgres(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``args`` as the ``postgres`` OS user when we are root (tools that write a cluster's
    files: pg_basebackup, pgbackrest); raise with the tool's output on failure."""
    if os.geteuid() == 0 and _has_postgres_user():
        args = ["runuser", "-u", "postgres", "--", *args]
    return run(args, **kwargs)


@dataclass
class Cluster:
    """A running scratch cluster: its version, name, port and data directory."""

    version: str
    name: str
    port: int
    data_dir: Path
    conf_dir: Path

    def dsn(self, dbname: str = "postgres", user: str = "postgres") -> str:
        """A libpq URL of ``dbname`` on this cluster as ``user``."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        """A SQLAlchemy URL of ``dbname`` on this cluster as ``user``."""
        return f"postgresql+psycopg2://{user}@127.0.0.1:{self.port}/{dbname}"

    def ctl(self, action: str) -> None:
        """``pg_ctlcluster`` start, stop, restart or reload."""
        run(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name,
                     action])
        if action in ("start", "restart"):
            wait_ready(self.port)

    def configure(self, settings: dict[str, str], name: str = "govdesk_more") -> None:
        """Add ``settings`` to the cluster's configuration (a file of its own in conf.d);
        they take effect at the next start, restart or (where allowed) reload."""
        lines = [f"{k} = '{v}'" for k, v in settings.items()]
        (self.conf_dir / "conf.d" / f"{name}.conf").write_text("\n".join(lines) + "\n")

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run ``sql`` with psql as the superuser; its unaligned output."""
        return run(["psql", "-X", "-qAt", "-h", "127.0.0.1", "-p", str(self.port),
                            "-U", "postgres", "-d", dbname, "-c", sql]).stdout


def wait_ready(port: int, timeout: float = 30.0) -> None:
    """Wait until the server on ``port`` accepts connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the scratch cluster on port {port} did not start in {timeout:.0f} s")


def _trust_hba(conf_dir: Path) -> None:
    (conf_dir / "pg_hba.conf").write_text(
        "local all all trust\n"
        "local replication all trust\n"
        "host all all 127.0.0.1/32 trust\n"
        "host replication all 127.0.0.1/32 trust\n")


@contextlib.contextmanager
def scratch_cluster(settings: dict[str, str] | None = None, *, start: bool = True,
                    prefix: str = "gdtest") -> Iterator[Cluster]:
    """A new cluster with ``settings`` added to its postgresql.conf (``shared_preload_libraries``,
    ``archive_command``...), started unless ``start`` is false; dropped on exit, whatever
    happened."""
    version = require_cluster_tools()
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    port = free_port()
    run(["pg_createcluster", "--port", str(port), version, name])
    conf_dir = Path(f"/etc/postgresql/{version}/{name}")
    cluster = Cluster(version, name, port,
                      Path(f"/var/lib/postgresql/{version}/{name}"), conf_dir)
    try:
        _trust_hba(conf_dir)
        lines = [f"{k} = '{v}'" for k, v in (settings or {}).items()]
        lines.append("listen_addresses = '127.0.0.1'")
        (conf_dir / "conf.d").mkdir(exist_ok=True)
        (conf_dir / "conf.d" / "govdesk_test.conf").write_text("\n".join(lines) + "\n")
        if start:
            cluster.ctl("start")
        yield cluster
    finally:
        with contextlib.suppress(RuntimeError):
            run(["pg_dropcluster", "--stop", version, name])


@contextlib.contextmanager
def postgres_dir(prefix: str = "gdtest_") -> Iterator[Path]:
    """A new directory under the system's temporary folder that the ``postgres`` OS user owns
    and can reach (pytest's tmp_path is private to root), removed on exit."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        path.chmod(0o755)
        if os.geteuid() == 0 and _has_postgres_user():
            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def empty_data_dir(cluster: Cluster) -> None:
    """Remove everything in a stopped cluster's data directory (the directory itself stays,
    with its owner), so a restore or a base backup can fill it."""
    for child in cluster.data_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _has_postgres_user() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True
