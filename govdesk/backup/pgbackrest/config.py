"""A pgBackRest stanza as GovDesk configures it: the policy, the configuration files written
from it, the server settings that archive WAL into it, and the RPO it can achieve.

The configuration is two files in the policy's ``config_dir``: ``pgbackrest.conf`` (repositories,
retention, cipher type, compression, the cluster's data directory and port: safe to show) and
``conf.d/cipher.conf`` (only the repositories' passphrases, mode 0600, owned by the OS user that
runs PostgreSQL). pgBackRest reads both through ``--config`` and ``--config-include-path``. The
passphrase comes from the OS keyring or a key file (:class:`KeySource`); it is never written
into the database, never put on a command line, and ``archive-push`` (run by the server's
``archive_command``) finds it in the 0600 file, as pgBackRest's own documentation sets it up.
"""

from __future__ import annotations

import os
import pwd
import re
import stat
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from govdesk.backup.pgbackrest import messages as _messages  # noqa: F401  (registers the codes)
from govdesk.errors import InputRejected

#: pgBackRest's limit on repositories per stanza
MAX_REPOS = 4
#: the cipher of the repositories: pgBackRest's own (aes-256-cbc, the only one it has)
CIPHER = "aes-256-cbc"
#: where the passphrases of GovDesk's backup repositories live in the OS keyring
KEYRING_SERVICE = "GovDesk-backup"
#: seconds allowed for ``archive-push`` of one closed WAL segment to reach every repository
#: (a local or mounted directory: under a second measured here; kept generous for a slow mount)
ARCHIVE_PUSH_MARGIN_S = 60

_STANZA = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Repo:
    """One repository: a local directory, or an off-site directory or mount, checked on its own.
    Retention counts full backups (``retention_full``) and differentials (``retention_diff``,
    None for pgBackRest's default: kept with their full backup)."""

    path: Path
    offsite: bool = False
    retention_full: int = 2
    retention_diff: int | None = None


@dataclass(frozen=True)
class KeySource:
    """Where the repositories' passphrase lives: a key file (one line, readable by its owner
    only) or an entry of the OS keyring (service :data:`KEYRING_SERVICE`)."""

    key_file: Path | None = None
    keyring_name: str | None = None


@dataclass(frozen=True)
class PgBackRestPolicy:
    """What GovDesk needs to run pgBackRest for one PostgreSQL cluster (a policy of the
    physical method). ``os_user`` is the cluster's owner: the tool runs as that user (through
    ``runuser`` when GovDesk runs as root) and the files are given to it."""

    stanza: str
    pg_data: Path
    repos: tuple[Repo, ...]
    config_dir: Path
    key: KeySource = field(default_factory=KeySource)
    pg_port: int = 5432
    pg_socket_dir: Path = Path("/var/run/postgresql")
    encrypt: bool = True
    compress_type: str = "zst"
    archive_timeout_s: int = 60
    process_max: int = 1
    os_user: str | None = "postgres"
    timeout_s: float = 6 * 3600

    @property
    def config_file(self) -> Path:
        return self.config_dir / "pgbackrest.conf"

    @property
    def include_dir(self) -> Path:
        return self.config_dir / "conf.d"


def check_policy(policy: PgBackRestPolicy) -> None:
    """Refuse a policy pgBackRest cannot take, naming the field: a stanza name of other
    characters, relative paths, a value with a line break (it would add a setting to the file),
    no or too many repositories, a negative retention or timeout."""
    if not _STANZA.match(policy.stanza):
        _bad("stanza", policy.stanza, "letters, digits, - and _")
    if not policy.repos:
        raise InputRejected("pgbr_no_repo")
    if len(policy.repos) > MAX_REPOS:
        raise InputRejected("pgbr_too_many_repos", limit=MAX_REPOS, count=len(policy.repos))
    paths = {"pg_data": policy.pg_data, "config_dir": policy.config_dir,
             "pg_socket_dir": policy.pg_socket_dir}
    paths.update({f"repo{i}": r.path for i, r in enumerate(policy.repos, 1)})
    for name, path in paths.items():
        if not path.is_absolute():
            _bad(name, str(path), "an absolute path")
        if any(c in str(path) for c in "\n\r="):
            _bad(name, str(path), "no line break or '='")
    for i, repo in enumerate(policy.repos, 1):
        if repo.retention_full < 1 or (repo.retention_diff is not None
                                       and repo.retention_diff < 1):
            _bad(f"repo{i}.retention", str(repo.retention_full), "at least 1")
    if policy.compress_type not in ("zst", "lz4", "gz", "bz2", "none"):
        _bad("compress_type", policy.compress_type, "zst, lz4, gz, bz2 or none")
    if policy.archive_timeout_s < 0 or policy.timeout_s <= 0 or policy.process_max < 1:
        _bad("archive_timeout_s", str(policy.archive_timeout_s), "not negative")


def _bad(name: str, value: str, why: str) -> None:
    raise InputRejected("pgbr_bad_value", field=name, value=value, why=why)


def render_config(policy: PgBackRestPolicy) -> str:
    """The text of ``pgbackrest.conf`` for ``policy`` (no passphrase in it)."""
    check_policy(policy)
    lines = ["[global]", f"log-path={policy.config_dir / 'log'}",
             f"lock-path={policy.config_dir / 'lock'}", f"spool-path={policy.config_dir / 'spool'}",
             f"compress-type={policy.compress_type}", f"process-max={policy.process_max}",
             "log-level-console=warn", "log-level-file=info", "start-fast=y"]
    for i, repo in enumerate(policy.repos, 1):
        lines += [f"repo{i}-path={repo.path}", f"repo{i}-retention-full={repo.retention_full}"]
        if repo.retention_diff is not None:
            lines.append(f"repo{i}-retention-diff={repo.retention_diff}")
        if policy.encrypt:
            lines.append(f"repo{i}-cipher-type={CIPHER}")
    lines += ["", f"[{policy.stanza}]", f"pg1-path={policy.pg_data}",
              f"pg1-port={policy.pg_port}", f"pg1-socket-path={policy.pg_socket_dir}"]
    return "\n".join(lines) + "\n"


def render_cipher(policy: PgBackRestPolicy, passphrase: str) -> str:
    """The text of ``conf.d/cipher.conf``: the passphrase of every repository."""
    if not passphrase or any(c in passphrase for c in "\n\r"):
        _bad("passphrase", "***", "one line, not empty")
    return "[global]\n" + "".join(f"repo{i}-cipher-pass={passphrase}\n"
                                  for i in range(1, len(policy.repos) + 1))


def passphrase(key: KeySource) -> str:
    """The repositories' passphrase from the key file or the OS keyring. Refuses a key file
    other users can read, and says where it looked when there is none."""
    if key.key_file is not None:
        try:
            mode = key.key_file.stat().st_mode
            text = key.key_file.read_text(encoding="utf-8").strip()
        except OSError:
            raise InputRejected("pgbr_key_missing", where=str(key.key_file)) from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InputRejected("pgbr_key_file_open", path=str(key.key_file),
                                mode=oct(stat.S_IMODE(mode)))
        if text:
            return text
        raise InputRejected("pgbr_key_missing", where=str(key.key_file))
    if key.keyring_name is not None:
        import keyring
        from keyring.errors import KeyringError
        try:
            found = keyring.get_password(KEYRING_SERVICE, key.keyring_name)
        except KeyringError:
            found = None
        if found:
            return found
        raise InputRejected("pgbr_key_missing", where=f"{KEYRING_SERVICE}/{key.keyring_name}")
    raise InputRejected("pgbr_key_missing", where="-")


def write_config(policy: PgBackRestPolicy, secret: str | None = None) -> Path:
    """Write the stanza's configuration into ``policy.config_dir`` (and the directories for
    its logs, locks and spool), given to ``policy.os_user`` when GovDesk runs as root; the
    passphrase (``secret``, else :func:`passphrase` of the policy's key) into a 0600 file
    beside it. Returns the main file."""
    check_policy(policy)
    for sub in ("", "conf.d", "log", "lock", "spool"):
        (policy.config_dir / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
    policy.config_file.write_text(render_config(policy), encoding="utf-8")
    policy.config_file.chmod(0o640)
    cipher = policy.include_dir / "cipher.conf"
    if policy.encrypt:
        cipher.touch(mode=0o600)
        cipher.chmod(0o600)
        cipher.write_text(render_cipher(policy, secret or passphrase(policy.key)),
                          encoding="utf-8")
    elif cipher.exists():
        cipher.unlink()
    _give_to_owner(policy)
    return policy.config_file


def _give_to_owner(policy: PgBackRestPolicy) -> None:
    if os.geteuid() != 0 or policy.os_user is None:
        return
    owner = pwd.getpwnam(policy.os_user)
    for path in [policy.config_dir, *policy.config_dir.rglob("*")]:
        os.chown(path, owner.pw_uid, owner.pw_gid)


def base_args(policy: PgBackRestPolicy) -> list[str]:
    """``pgbackrest`` with the options that find this stanza's configuration."""
    return ["pgbackrest", f"--config={policy.config_file}",
            f"--config-include-path={policy.include_dir}", f"--stanza={policy.stanza}"]


def archive_settings(policy: PgBackRestPolicy) -> dict[str, str]:
    """The server settings (postgresql.conf) that archive every WAL segment into the stanza:
    ``archive_mode``, ``archive_command``, ``archive_timeout`` and ``wal_level``. A change of
    ``archive_mode`` or ``wal_level`` needs a server restart."""
    command = " ".join(base_args(policy)) + " archive-push %p"
    return {"archive_mode": "on", "archive_command": command,
            "archive_timeout": str(policy.archive_timeout_s), "wal_level": "replica"}


def achievable_rpo(policy: PgBackRestPolicy) -> timedelta | None:
    """The most data a failure can lose with continuous WAL archiving: a committed transaction
    is in a WAL segment the server closes at the latest ``archive_timeout`` seconds later (or
    sooner, when the segment fills), which ``archive-push`` then copies into every repository
    (:data:`ARCHIVE_PUSH_MARGIN_S`). None when ``archive_timeout`` is 0: a quiet server may
    keep a segment open without limit, so no RPO can be promised."""
    if policy.archive_timeout_s == 0:
        return None
    return timedelta(seconds=policy.archive_timeout_s + ARCHIVE_PUSH_MARGIN_S)
