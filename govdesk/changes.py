"""What a mutating operation changed: kinds of object and their ids, as plain values.

A service says what it changed by noting a :class:`Changed` on its unit of work
(``govdesk.db.announce.note(session, Changed(RESOURCES, {rid}))``); the note is published here
when, and only when, that unit of work commits, to every :func:`recording` open in the same
thread (the GUI's operation runner opens one around each operation and puts what it recorded on
the application's change bus; tests open one around a call). Return values stay what they were
(a status, a report, None); nested service calls (a revert saves, an import writes) add up.

On PostgreSQL the database itself announces the same kinds and ids with ``NOTIFY
govdesk_changes`` inside the writing transaction (migration 0019), so other clients hear them
(``govdesk.db.notify``); what they hear arrives as ``Changes(remote=True)``.

The ids name rows, never their contents: notifications are visible to every listener of the
database, and what a client then reads is still governed by its grants and row-level security.
``ids=None`` means "any of this kind" (too many to list, or not known).

Qt-free and database-free (a base module).
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: data resources, their data items, versions, samples' metadata, quality profiles, shares
RESOURCES = "resources"
#: the category tree
CATEGORIES = "categories"
#: grade schemes and grades (and so every resource's handling rules)
GRADES = "grades"
#: grade suggestions (the review queue)
SUGGESTIONS = "suggestions"
#: user accounts
USERS = "users"
#: settings (security policy, system settings)
SETTINGS = "settings"
#: the organisations directory (federations and departments)
ORGANISATIONS = "organisations"
#: sharing grants (requests, decisions, revocations): what an organisation may read changes
#: too, so a grant's step also announces its resource under RESOURCES
GRANTS = "grants"
#: the audit trail only (an export, an unmasked view, a verification); every other change is
#: audited too, so the audit trail is affected by any change
AUDIT = "audit"

#: monitoring alerts and rules (a run, a triage step, a rule's thresholds, the calendar)
MONITOR = "monitor"

KINDS = (RESOURCES, CATEGORIES, GRADES, SUGGESTIONS, USERS, SETTINGS, ORGANISATIONS, AUDIT,
         GRANTS, MONITOR)

Id = int | str


@dataclass(frozen=True)
class Changed:
    """Rows of one kind that changed: ``ids`` (resource ids, setting keys…), or None for any."""

    kind: str
    ids: frozenset[Id] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of change {self.kind!r}")
        if self.ids is not None and not isinstance(self.ids, frozenset):
            object.__setattr__(self, "ids", frozenset(self.ids))

    @classmethod
    def of(cls, kind: str, ids: Iterable[Id] | None = None) -> Changed:
        return cls(kind, None if ids is None else frozenset(ids))

    def to_json(self) -> str:
        """The NOTIFY payload form: ``{"kind": …, "ids": [...] | null}``."""
        ids = None if self.ids is None else sorted(self.ids, key=lambda i: (str(type(i)), i))
        return json.dumps({"kind": self.kind, "ids": ids}, separators=(",", ":"))

    @classmethod
    def from_json(cls, payload: str) -> Changed | None:
        """The change a payload describes, or None when it is not one we know."""
        try:
            data = json.loads(payload)
            kind, ids = data["kind"], data.get("ids")
            if kind not in KINDS or not (ids is None or isinstance(ids, list)):
                return None
            if ids is not None and not all(isinstance(i, (int, str)) for i in ids):
                return None
            return cls.of(kind, ids)
        except (ValueError, TypeError, KeyError):
            return None


@dataclass(frozen=True)
class Changes:
    """Everything one operation (or one batch of notifications) changed, one entry per kind."""

    changed: tuple[Changed, ...] = ()
    #: heard from another client (PostgreSQL NOTIFY), not done by this one
    remote: bool = field(default=False, compare=False)

    @classmethod
    def of(cls, *changed: Changed, remote: bool = False) -> Changes:
        """``changed`` merged per kind (any ``None`` ids of a kind wins)."""
        by_kind: dict[str, frozenset[Id] | None] = {}
        for c in changed:
            if c.kind in by_kind:
                old = by_kind[c.kind]
                by_kind[c.kind] = None if old is None or c.ids is None else old | c.ids
            else:
                by_kind[c.kind] = c.ids
        return cls(tuple(Changed(k, by_kind[k]) for k in KINDS if k in by_kind), remote)

    @classmethod
    def everything(cls, remote: bool = False) -> Changes:
        """Anything may have changed (e.g. notifications were missed while disconnected)."""
        return cls.of(*(Changed(k) for k in KINDS), remote=remote)

    def __bool__(self) -> bool:
        return bool(self.changed)

    def __or__(self, other: Changes) -> Changes:
        return Changes.of(*self.changed, *other.changed, remote=self.remote and other.remote)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.changed)

    def affects(self, *kinds: str) -> bool:
        """True when any of ``kinds`` changed."""
        return any(c.kind in kinds for c in self.changed)

    def ids(self, kind: str) -> frozenset[Id] | None:
        """The ids of ``kind`` that changed: empty when none did, None when any may have."""
        for c in self.changed:
            if c.kind == kind:
                return c.ids
        return frozenset()

    def touches(self, kind: str, id_: Id) -> bool:
        """True when row ``id_`` of ``kind`` may have changed."""
        ids = self.ids(kind)
        return ids is None or id_ in ids


class Recorder:
    """Collects the committed changes published while its :func:`recording` is open."""

    def __init__(self) -> None:
        self.changes = Changes()

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes


_recorders: contextvars.ContextVar[tuple[Recorder, ...]] = contextvars.ContextVar(
    "govdesk_change_recorders", default=())


@contextmanager
def recording() -> Iterator[Recorder]:
    """Record the changes committed in this thread (this context) until the block ends."""
    rec = Recorder()
    token = _recorders.set((*_recorders.get(), rec))
    try:
        yield rec
    finally:
        _recorders.reset(token)


def publish(changes: Changes) -> None:
    """Hand committed ``changes`` to every open recording. Called by the unit of work at commit
    (``govdesk.db.announce``) and by writers that commit outside a session (the demo loader)."""
    if changes:
        for rec in _recorders.get():
            rec.add(changes)
