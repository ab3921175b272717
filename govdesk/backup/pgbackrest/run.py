"""Running pgBackRest: one subprocess per command, as the cluster's OS user, with a time limit,
and its failures turned into GovDesk errors with a sentence in the user's language.

No secret is ever on a command line (the passphrase is in the 0600 include file, see
:mod:`.config`); a command that overruns its time limit is killed with its whole process group
(pgBackRest starts helper processes), and pgBackRest only marks a backup complete in its
``backup.info`` at the very end, so a killed run leaves nothing that looks like a good backup.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass

from govdesk.backup.pgbackrest.config import PgBackRestPolicy, base_args
from govdesk.backup.pgbackrest.messages import COMMANDS
from govdesk.errors import GovDeskError
from govdesk.messages import Text

#: the oldest pgBackRest GovDesk drives (``restore --archive-mode=off``: 2.28; verify's
#: ``--output=text``: 2.33; tested with 2.45)
MIN_VERSION = (2, 33)
#: pgBackRest's error line: "ERROR: [037]: info command requires option: repo1-cipher-pass"
_ERROR = re.compile(r"ERROR: \[(?P<code>\d{3})\]: (?P<detail>.*)")
#: pgBackRest error codes with a message of their own: the repository's cipher (a wrong
#: passphrase shows as a format or crypto error), WAL archiving that does not arrive, a lock
_WRONG_KEY = {"028", "029", "043"}  # FormatError, CryptoError, ...
_ARCHIVE = {"044", "082", "087"}  # ArchiveMismatch, ArchiveTimeout, ArchiveDisabled
_LOCKED = {"050"}


class PgBackRestError(GovDeskError):
    """pgBackRest could not do what was asked (not installed, failed, timed out); the message
    names the command and carries pgBackRest's own text as ``detail``."""


@dataclass(frozen=True)
class Capability:
    """Whether the pgBackRest method can be offered here: the version found, or the reason
    (an error whose text says why, in both languages)."""

    available: bool
    version: str | None = None
    reason: GovDeskError | None = None

    def reason_text(self, lang: str = "zh") -> str:
        return self.reason.text(lang) if self.reason else ""


def capability(program: str = "pgbackrest") -> Capability:
    """Whether pgBackRest is installed and recent enough to be offered as a method."""
    path = shutil.which(program)
    if path is None:
        return Capability(False, reason=PgBackRestError("pgbr_not_installed"))
    try:
        out = subprocess.run([path, "version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Capability(False, reason=PgBackRestError("pgbr_unusable", detail=str(exc)))
    found = re.search(r"pgBackRest (\d+)\.(\d+)", out.stdout)
    if out.returncode != 0 or not found:
        detail = (out.stderr or out.stdout).strip()[:300]
        return Capability(False, reason=PgBackRestError("pgbr_unusable", detail=detail))
    version = f"{found.group(1)}.{found.group(2)}"
    if (int(found.group(1)), int(found.group(2))) < MIN_VERSION:
        return Capability(False, version, PgBackRestError(
            "pgbr_too_old", version=version, needed=".".join(map(str, MIN_VERSION))))
    return Capability(True, version)


def pgbackrest(policy: PgBackRestPolicy, command: str, *options: str,
               timeout_s: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``pgbackrest COMMAND OPTIONS`` for ``policy``'s stanza as its OS user; the finished
    process (stdout is the command's output). Raises :class:`PgBackRestError` when it is not
    installed, fails (the error line read and classified) or runs past its time limit."""
    args = [*base_args(policy), *options, command]
    if os.geteuid() == 0 and policy.os_user and policy.os_user != "root":
        args = ["runuser", "-u", policy.os_user, "--", *args]
    limit = policy.timeout_s if timeout_s is None else timeout_s
    what = COMMANDS.get(command, Text(command, command))
    try:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, errors="replace", start_new_session=True,
                                cwd="/")
    except OSError as exc:
        raise PgBackRestError("pgbr_unusable", detail=str(exc)) from exc
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise PgBackRestError("pgbr_timeout", command=what, seconds=limit) from None
    result = subprocess.CompletedProcess(args, proc.returncode, out, err)
    if proc.returncode != 0:
        raise failure(what, proc.returncode, out, err)
    return result


def _kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.communicate()


def first_line(text: str, limit: int = 300) -> str:
    """The first line of a tool's message, without its trailing colon, control characters or
    undecodable bytes (a wrong passphrase decrypts a file to noise that pgBackRest quotes)."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    line = "".join(c for c in line if c.isprintable() and c != "\ufffd").rstrip(":").strip()
    return line[:limit]


def failure(command: Text, returncode: int, out: str, err: str) -> PgBackRestError:
    """The error for a pgBackRest run that exited with ``returncode``: its ``ERROR: [NNN]``
    line classified (wrong passphrase, archiving broken, locked), else the generic one."""
    found = _ERROR.search(err) or _ERROR.search(out)
    code = found.group("code") if found else str(returncode)
    hints = [line.strip() for line in err.splitlines() if line.strip().startswith("HINT:")]
    detail = " ".join([first_line(found.group("detail") if found else (err or out)), *hints])
    if code in _WRONG_KEY:
        return PgBackRestError("pgbr_wrong_key", command=command, detail=detail)
    if code in _ARCHIVE:
        return PgBackRestError("pgbr_archive_broken", command=command, detail=detail)
    if code in _LOCKED:
        return PgBackRestError("pgbr_locked", command=command, detail=detail)
    return PgBackRestError("pgbr_failed", command=command, code=code, detail=detail)
