"""The manifest of a backup: a JSON file written last into the backup's directory, itself
authenticated: HMAC-SHA256 under a key derived from the backup key (HKDF, info
``govdesk-backup-manifest``), or a plain SHA-256 when the backup is not encrypted.

It records the tool and server versions, the schema revision (Alembic), per file its SHA-256
and size (as on disk) and plain size, per table its row count and checksum, the audit trail's
head (id and hash), the key id, the policy and the times. The catalogue keeps the manifest's
own SHA-256, so a manifest swapped for another valid one is seen too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govdesk.backup.method import KeyFor
from govdesk.errors import InputRejected

FORMAT = "govdesk-backup/1"
NAME = "manifest.json"


def _mac(body: dict[str, Any], key: bytes | None) -> tuple[str, str]:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if key is None:
        return "sha256", hashlib.sha256(text.encode("utf-8")).hexdigest()
    mac_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"govdesk-backup-manifest").derive(key)
    return "hmac-sha256", hmac.new(mac_key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a directory's entries durable (POSIX; a no-op where directories cannot be opened)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(directory: Path, body: dict[str, Any], key: bytes | None) -> str:
    """Write the manifest (fsynced, then the directory); returns its SHA-256."""
    kind, mac = _mac(body, key)
    data = json.dumps({"format": FORMAT, "manifest": body, "mac_kind": kind, "mac": mac},
                      ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    with open(directory / NAME, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    fsync_dir(directory)
    return hashlib.sha256(data).hexdigest()


def read(directory: Path, key_for: KeyFor, expected_sha256: str | None = None
         ) -> dict[str, Any]:
    """The manifest's body once its MAC (and, given, its SHA-256) holds; InputRejected saying
    why not."""
    path = directory / NAME
    try:
        data = path.read_bytes()
        wrapper = json.loads(data)
        body = wrapper["manifest"]
    except FileNotFoundError as exc:
        raise InputRejected("backup_manifest_invalid", path=directory,
                            reason="manifest.json is missing") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputRejected("backup_manifest_invalid", path=directory,
                            reason="not a GovDesk manifest") from exc
    if expected_sha256 and hashlib.sha256(data).hexdigest() != expected_sha256:
        raise InputRejected("backup_manifest_invalid", path=directory,
                            reason="it is not the manifest the catalogue recorded")
    kid = body.get("key_id")
    kind, mac = _mac(body, key_for(kid) if kid else None)
    if wrapper.get("format") != FORMAT or wrapper.get("mac_kind") != kind \
            or not hmac.compare_digest(str(wrapper.get("mac")), mac):
        raise InputRejected("backup_manifest_invalid", path=directory,
                            reason="its signature does not hold")
    return dict(body)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()
