"""Roles, users, the audit trail (hash chain) and the access log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govdesk import vocab
from govdesk.db.base import Base, BigIntPK, Versioned, utcnow
from govdesk.db.models._enum import vocab_enum


class Role(Base):
    """One of the five roles; ``admin_trio`` marks the three separated administrators."""

    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(vocab_enum(vocab.ROLE), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(50), nullable=False)
    name_en: Mapped[str] = mapped_column(String(50), nullable=False)
    admin_trio: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class User(Versioned, Base):
    """A GovDesk user. Exactly one role, so nobody holds two of the three administrator roles.

    On PostgreSQL the user is also a login role of the same name; ``password_hash`` (argon2) is
    used on SQLite only.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(63), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"), nullable=False)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """An append-only audit record. ``row_hash`` = SHA-256(prev_hash + canonical content)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, index=True
    )
    username: Mapped[str] = mapped_column(String(63), nullable=False)
    role_code: Mapped[str | None] = mapped_column(String(20))
    event_type: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(100))
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    client_host: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    row_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)


class AccessEvent(Base):
    """One access to the catalogue or its data (a query, a detail view, a sample view, an
    export, a login), granted or refused: evidence for review and monitoring
    (``govdesk.security.access_log``). Append-only; on PostgreSQL partitioned by month on
    ``ts`` (primary key ``(id, ts)``, migration 0035) and stamped by the database."""

    __tablename__ = "access_events"
    __table_args__ = (Index("ix_access_events_ts_id", "ts", "id"),
                      Index("ix_access_events_username_ts", "username", "ts", "id"),
                      Index("ix_access_events_resource_ts", "resource_id", "ts", "id"),
                      Index("ix_access_events_organisation_ts", "organisation_id", "ts", "id"),
                      Index("ux_access_events_source_line", "source_id", "line_hash", "ts",
                            unique=True))

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    username: Mapped[str] = mapped_column(String(63), nullable=False)
    #: the role of the user (stamped by the database on PostgreSQL, like user, org and time)
    role_code: Mapped[str | None] = mapped_column(String(20))
    #: the organisation and resource as they were when it happened: plain values, no foreign
    #: keys (evidence is not rewritten by a deletion, nor tied to rows an import may not know)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    resource_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(vocab_enum(vocab.ACCESS_ACTION), nullable=False)
    row_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    client_host: Mapped[str | None] = mapped_column(String(255))
    #: why it failed (``denied``, ``not_found``, ``error``); NULL when it succeeded
    failure: Mapped[str | None] = mapped_column(vocab_enum(vocab.ACCESS_FAILURE))
    #: the resource id or code the caller named, as given (kept for a denial)
    object_ref: Mapped[str | None] = mapped_column(String(100))
    #: the service that recorded the event (``module.function``, shortened)
    operation: Mapped[str | None] = mapped_column(String(80))
    # provenance of an imported event (migration 0039); all NULL for GovDesk's own events
    #: the external log it came from (``access_log_sources.id``; set from the import)
    source_id: Mapped[int | None] = mapped_column(Integer)
    #: the import that added it (``access_log_imports.id``)
    import_id: Mapped[int | None] = mapped_column(BigInteger)
    #: SHA-256 of the normalised line and its occurrence in the file: the dedupe key per source
    line_hash: Mapped[str | None] = mapped_column(String(64))
    imported_by: Mapped[str | None] = mapped_column(String(63))
    imported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Setting(Versioned, Base):
    """A configuration value. ``scope`` says who may change it: ``security`` settings belong to
    the security administrator (lockout, idle lock), ``system`` ones to the system administrator."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    scope: Mapped[str] = mapped_column(String(20), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(63))


class AuditAnchor(Base):
    """Where an archived stretch of the audit trail ended: the chain continues from
    ``last_hash``. Written only by archiving, never changed."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    archived_through_id: Mapped[int] = mapped_column(BigIntPK, nullable=False, unique=True)
    last_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    archived_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                     default=utcnow)
    archived_by: Mapped[str] = mapped_column(String(63), nullable=False)
    file_name: Mapped[str] = mapped_column(Text, nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
