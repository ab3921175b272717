"""The audit chain's head, anchored outside the database.

The hash chain (``audit.py``) shows any change made by someone who cannot recompute it; a
PostgreSQL superuser (or whoever holds the SQLite file) can: switch the triggers off, delete the
newest rows or edit old ones, recompute every hash, and plain ``audit verify`` passes. An
**anchor** is a small JSON file the audit administrator writes from time to time and keeps away
from the database server: the id and hash of the newest row, signed with HMAC-SHA256 under a key
that lives only in a key file or the OS keyring, never in the database. ``verify_with_anchor``
then proves that the anchored row is still there with the same hash (no tail deletion, no
rewrite up to it) and that the chain from there to today's head is intact.

What an anchor cannot prove: rows written *after* it. Anchor regularly (after each review) and
after every archive (an archive removes the rows an older anchor points at).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from govdesk.db.engine import Database
from govdesk.db.models import AuditAnchor, AuditEvent
from govdesk.errors import InputRejected
from govdesk.files import output_file
from govdesk.messages import Message
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op

FORMAT = "govdesk-audit-anchor/1"
KEYRING_SERVICE = "govdesk-audit-anchor"
KEY_ENV = "GOVDESK_AUDIT_KEY_FILE"


# -- the key --------------------------------------------------------------------------------


def new_key_file(path: Path) -> str:
    """Write a new random 256-bit key to ``path`` (mode 0600, never over an existing file);
    returns its key id. Keep the file with the audit administrator, away from the server."""
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise InputRejected("key_file_exists", path=path) from exc
    except OSError as exc:
        raise InputRejected("key_file_cannot_create", path=path, reason=exc.strerror) from exc
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.b64encode(key).decode("ascii") + "\n")
    return key_id(key)


def key_id(key: bytes) -> str:
    """A public name for a key (a hash of it, not the key)."""
    return hashlib.sha256(b"govdesk-anchor-key\n" + key).hexdigest()[:16]


def _read_key_file(path: Path) -> bytes:
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise InputRejected("key_file_not_private", path=path)
        raw = path.read_text(encoding="ascii").strip()
        key = base64.b64decode(raw, validate=True)
    except FileNotFoundError as exc:
        raise InputRejected("key_file_missing", path=path) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputRejected("key_file_invalid", path=path) from exc
    if len(key) < 32:
        raise InputRejected("key_file_too_short", path=path)
    return key


def store_key_in_keyring(database: str) -> str:
    """Create a new key in the OS keyring for ``database``; returns its key id."""
    import keyring

    from govdesk.security.credentials import keyring_status

    status = keyring_status()
    if not status.usable:
        raise InputRejected("no_keyring", reason=status.reason)
    key = secrets.token_bytes(32)
    keyring.set_password(KEYRING_SERVICE, database, base64.b64encode(key).decode("ascii"))
    return key_id(key)


def load_key(key_file: Path | None, database: str) -> bytes:
    """The anchor key: ``key_file``, else the file named by ``GOVDESK_AUDIT_KEY_FILE``, else the
    OS keyring entry for ``database``. Raises InputRejected when there is none."""
    if key_file is None and os.environ.get(KEY_ENV):
        key_file = Path(os.environ[KEY_ENV])
    if key_file is not None:
        return _read_key_file(key_file)
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, database)
    except Exception:  # keyring raises many kinds when no backend can load
        stored = None
    if not stored:
        raise InputRejected("no_anchor_key", database=database)
    return base64.b64decode(stored)


# -- the anchor -----------------------------------------------------------------------------


def database_identity(db: Database) -> str:
    """What an anchor names its database by: on PostgreSQL the database's name (the same for
    every login, and kept by a dump and restore), on SQLite the file's absolute path."""
    if not db.is_postgres:
        return "sqlite:" + str(Path(db.engine.url.database or "").resolve())
    with db.engine.connect() as c:
        return "postgresql:" + str(c.execute(text("SELECT current_database()")).scalar_one())


def _signature(payload: dict[str, Any], key: bytes) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """A signed chain head, as written to the anchor file."""

    database: str
    last_id: int
    last_hash: str
    rows: int
    archived_through: int
    archive_hash: str
    created_at: str
    signed_by: str
    key_id: str


@service(Op.AUDIT_ANCHOR)
def write_anchor(db: Database, who: Identity, out: Path, key: bytes) -> Anchor:
    """Anchor the chain head to ``out`` (audit administrators). The anchoring is audited first,
    so the anchor covers its own record. Raises PermissionDenied, InputRejected (file)."""
    output_file(out)
    database = database_identity(db)
    with db.session() as s:
        audit.record(s, who, EventType.AUDIT_ANCHOR, object_type="audit_events",
                     object_id=out.name, detail={"key_id": key_id(key)})
    with db.session() as s:
        head = s.execute(select(AuditEvent.id, AuditEvent.row_hash)
                         .order_by(AuditEvent.id.desc()).limit(1)).one()
        rows = int(s.scalar(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.id <= head[0])) or 0)
        archive = s.execute(select(AuditAnchor.archived_through_id, AuditAnchor.last_hash)
                            .order_by(AuditAnchor.archived_through_id.desc()).limit(1)).first()
        archived = int(archive[0]) if archive else 0
        start_hash = str(archive[1]) if archive else audit.GENESIS
    anchor = Anchor(database, int(head[0]), str(head[1]), rows, archived, start_hash,
                    dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    who.username, key_id(key))
    payload = {"format": FORMAT, **anchor.__dict__}
    document = {**payload, "hmac": _signature(payload, key)}
    try:
        out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
    except OSError as exc:
        raise InputRejected("anchor_cannot_write", path=out, reason=exc.strerror) from exc
    return anchor


@dataclass(frozen=True)
class AnchorCheck:
    """Outcome of :func:`verify_with_anchor`. ``ok`` only when the anchor's signature holds,
    its row is unchanged and the chain from it to the head is intact; ``reason`` says what
    failed and where."""

    ok: bool
    reason: str  #: what failed, in English (logs, the audit detail, ``--json``)
    anchored_id: int
    checked: int
    rows_since: int
    why: Message | None = None  #: the same for people, in their language


def read_anchor(path: Path) -> dict[str, Any]:
    """The anchor file's JSON; InputRejected when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputRejected("anchor_missing", path=path) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputRejected("anchor_not_json", path=path) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputRejected("anchor_invalid", path=path)
    return document


@service(Op.AUDIT_READ, owner=True)
def verify_with_anchor(db: Database, who: Identity, path: Path, key: bytes) -> AnchorCheck:
    """Check the trail against an anchor (audit and security administrators; the database owner
    too). The check is audited. Raises InputRejected for a file that is no anchor or an anchor
    of another database; a wrong key or an altered file is a failed check."""
    document = read_anchor(path)
    claimed = document.get("hmac", "")
    payload = {k: v for k, v in document.items() if k != "hmac"}
    try:
        anchored_id = int(payload["last_id"])
        anchored_hash = str(payload["last_hash"])
        database = str(payload["database"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputRejected("anchor_fields_missing", path=path) from exc
    result = _check(db, payload, claimed, key, anchored_id, anchored_hash, database)
    with db.session() as s:
        audit.record(s, who, EventType.AUDIT_VERIFY, object_type="audit_events",
                     success=result.ok,
                     detail={"anchor": path.name, "anchored_id": anchored_id,
                             "checked": result.checked, "reason": result.reason})
    return result


def _check(db: Database, payload: dict[str, Any], claimed: Any, key: bytes, anchored_id: int,
           anchored_hash: str, database: str) -> AnchorCheck:
    def fail(code: str, checked: int = 0, **params: object) -> AnchorCheck:
        why = Message(code, params)
        return AnchorCheck(False, why.text("en"), anchored_id, checked, 0, why)

    if not isinstance(claimed, str) or not hmac.compare_digest(claimed, _signature(payload, key)):
        return fail("anchor_bad_signature")
    here = database_identity(db)
    if database != here:
        raise InputRejected("anchor_other_database", database=database, here=here)
    try:
        start_id = int(payload["archived_through"])
        start_hash = str(payload["archive_hash"])
        anchored_rows = int(payload["rows"])
    except (KeyError, TypeError, ValueError):
        return fail("anchor_no_archive_start")
    with db.session() as s:
        row_hash = s.scalar(select(AuditEvent.row_hash).where(AuditEvent.id == anchored_id))
        newest = s.scalar(select(func.max(AuditEvent.id))) or 0
        archived = int(s.scalar(select(func.max(AuditAnchor.archived_through_id))) or 0)
        since = int(s.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.id > anchored_id)) or 0)
        kept = int(s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.id > start_id, AuditEvent.id <= anchored_id)) or 0)
    if row_hash is None:
        if archived >= anchored_id:
            return fail("anchor_head_archived", row=anchored_id)
        if newest < anchored_id:
            return fail("anchor_tail_deleted", row=anchored_id, newest=newest)
        return fail("anchor_head_missing", row=anchored_id)
    if row_hash != anchored_hash:
        return fail("anchor_rewritten", row=anchored_id)
    if archived != start_id:
        # an archive since the anchor removed rows the anchor vouches for (archives keep 180
        # days, so an anchor older than an archive is stale) - or someone forged one to stop
        # verification short of the rows they changed
        return fail("anchor_archive_moved", archived=archived, start=start_id)
    if kept != anchored_rows:
        return fail("anchor_count_changed", rows=anchored_rows, row=anchored_id, kept=kept)
    chain = audit.verify_from(db, start_id, start_hash)
    if not chain.ok:
        return AnchorCheck(False, chain.reason, anchored_id, chain.checked, 0, chain.why)
    return AnchorCheck(True, "", anchored_id, chain.checked, since)
