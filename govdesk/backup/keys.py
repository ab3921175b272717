"""Backup keys: 256-bit keys in the OS keyring or in key files (mode 0600), never in the
database. A key is named by its id, a fingerprint (a hash of the key, not the key), which the
policy, the container header and the manifest carry.

Where a key is looked for, in this order: the OS keyring (service ``govdesk-backup``, the key id
as the user name), then the key directory (``$GOVDESK_BACKUP_KEY_DIR``, else ``backup-keys`` in
GovDesk's data directory) as ``<key id>.key``. A key file must be private (0600 on POSIX).
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from govdesk.config import data_dir
from govdesk.errors import InputRejected

KEYRING_SERVICE = "govdesk-backup"
KEY_DIR_ENV = "GOVDESK_BACKUP_KEY_DIR"
KEY_BYTES = 32


def key_id(key: bytes) -> str:
    """The key's public fingerprint: 32 hex digits of SHA-256 over a label and the key."""
    return hashlib.sha256(b"govdesk-backup-key\n" + key).hexdigest()[:32]


def key_dir() -> Path:
    """The directory key files are kept in (created on demand, mode 0700)."""
    configured = os.environ.get(KEY_DIR_ENV)
    return Path(configured) if configured else data_dir() / "backup-keys"


def _write_key_file(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise InputRejected("key_file_exists", path=path) from exc
    except OSError as exc:
        raise InputRejected("key_file_cannot_create", path=path, reason=exc.strerror) from exc
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(key).decode("ascii") + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_key_file(path: Path) -> bytes:
    """The key in ``path``; InputRejected when it is missing, readable by others or not a key."""
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise InputRejected("key_file_not_private", path=path)
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except FileNotFoundError as exc:
        raise InputRejected("key_file_missing", path=path) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputRejected("backup_key_file_invalid", path=path) from exc
    if len(key) != KEY_BYTES:
        raise InputRejected("backup_key_file_invalid", path=path)
    return key


def new_key(*, use_keyring: bool = False, directory: Path | None = None) -> str:
    """Make a new random key, keep it in the OS keyring (``use_keyring``) or as a key file in
    ``directory`` (default :func:`key_dir`); returns its id. Keep a copy of the key away from
    the backups: without it they cannot be read."""
    key = secrets.token_bytes(KEY_BYTES)
    kid = key_id(key)
    if use_keyring:
        import keyring

        from govdesk.security.credentials import keyring_status

        status = keyring_status()
        if not status.usable:
            raise InputRejected("no_keyring", reason=status.reason)
        keyring.set_password(KEYRING_SERVICE, kid, base64.b64encode(key).decode("ascii"))
    else:
        _write_key_file((directory or key_dir()) / f"{kid}.key", key)
    return kid


def _from_keyring(kid: str) -> bytes | None:
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, kid)
    except Exception:  # keyring raises many kinds when no backend can load
        return None
    return base64.b64decode(stored) if stored else None


def load_key(kid: str, *, directory: Path | None = None) -> bytes:
    """The key whose id is ``kid`` (keyring, then key directory); InputRejected naming the id
    and where it was looked for when there is none, or when a file holds another key."""
    key = _from_keyring(kid)
    if key is None:
        path = (directory or key_dir()) / f"{kid}.key"
        if not path.exists():
            raise InputRejected("backup_key_missing", key_id=kid, where=str(path))
        key = read_key_file(path)
    if key_id(key) != kid:
        raise InputRejected("backup_key_mismatch", key_id=kid, found=key_id(key))
    return key
