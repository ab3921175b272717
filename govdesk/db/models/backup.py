"""Backup and disaster-recovery tables (GB/T 20988 levels 1–6; issue 16, migration 0038).

- ``backup_policies``: what is backed up (the central PostgreSQL database or the embedded SQLite
  file), how (``method``), how often (cron), where (a local directory and off-site directories),
  how long (keep last/daily/weekly/monthly/yearly, a minimum number of copies), encryption and
  the key's id (never the key), the DR level with its RPO/RTO targets;
- ``backup_sets``: the catalogue of finished backups (one directory each, with its manifest);
- ``backup_jobs``: every run, verification, drill, restore and prune with start, end, size,
  result and error.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from govdesk.db.base import Base, BigIntPK, Versioned, utcnow


class BackupPolicy(Versioned, Base):
    """What is backed up, how often (cron), where, for how long, and the DR level it meets."""

    __tablename__ = "backup_policies"
    __table_args__ = (
        CheckConstraint("dr_level BETWEEN 1 AND 6", name="dr_level_range"),
        CheckConstraint("retention_days > 0", name="retention_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    scope: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    dr_level: Mapped[int] = mapped_column(Integer, nullable=False)
    schedule_cron: Mapped[str] = mapped_column(String(100), nullable=False)
    backup_type: Mapped[str] = mapped_column(String(20), nullable=False, default="full")
    #: superseded by the keep_* columns (0038); kept as the oldest age a copy is kept for
    retention_days: Mapped[int] = mapped_column(Integer, nullable=False)
    #: the local target directory (the demo rows hold a description)
    target: Mapped[str] = mapped_column(Text, nullable=False)
    offsite: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rto_hours: Mapped[float | None] = mapped_column()
    rpo_hours: Mapped[float | None] = mapped_column()
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # -- migration 0038 --
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="postgresql",
                                        server_default="postgresql")
    method: Mapped[str] = mapped_column(String(20), nullable=False, default="pg_dump",
                                        server_default="pg_dump")
    keep_last: Mapped[int] = mapped_column(Integer, nullable=False, default=7, server_default="7")
    keep_daily: Mapped[int] = mapped_column(Integer, nullable=False, default=7,
                                            server_default="7")
    keep_weekly: Mapped[int] = mapped_column(Integer, nullable=False, default=4,
                                             server_default="4")
    keep_monthly: Mapped[int] = mapped_column(Integer, nullable=False, default=12,
                                              server_default="12")
    keep_yearly: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                             server_default="0")
    min_copies: Mapped[int] = mapped_column(Integer, nullable=False, default=3,
                                            server_default="3")
    #: JSON list of off-site directories (mounts), each checked and written on its own
    offsite_targets: Mapped[str | None] = mapped_column(Text)
    encrypted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True,
                                            server_default="1")
    #: fingerprint of the key (keyring or key file); the key itself is never stored here
    key_id: Mapped[str | None] = mapped_column(String(64))


class BackupSet(Base):
    """One finished backup: a directory named ``label`` under the policy's local target with
    its containers and its manifest (written last)."""

    __tablename__ = "backup_sets"
    __table_args__ = (
        CheckConstraint("status IN ('complete', 'verified', 'verify_failed', 'pruned')",
                        name="backup_status"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("backup_policies.id", ondelete="SET NULL"), index=True)
    label: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    location: Mapped[str] = mapped_column(Text, nullable=False)
    offsite_copies: Mapped[str | None] = mapped_column(Text)  #: JSON list of directories
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    key_id: Mapped[str | None] = mapped_column(String(64))
    manifest_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    schema_revision: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="complete")
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    drill_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    drill_seconds: Mapped[float | None] = mapped_column(Float)  #: the achieved RTO
    legal_hold: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                             server_default="0")
    pruned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class BackupJob(Base):
    """One run, verification, drill (verify with restore), restore or prune."""

    __tablename__ = "backup_jobs"
    __table_args__ = (
        CheckConstraint("kind IN ('run', 'verify', 'drill', 'restore', 'prune')",
                        name="backup_job_kind"),
        CheckConstraint(
            "result IN ('running', 'ok', 'failed', 'cancelled', 'interrupted')",
            name="backup_job_result"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("backup_policies.id", ondelete="SET NULL"), index=True)
    backup_id: Mapped[int | None] = mapped_column(
        ForeignKey("backup_sets.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                    default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    result: Mapped[str] = mapped_column(String(20), nullable=False, default="running")
    error: Mapped[str | None] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(63), nullable=False)
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
