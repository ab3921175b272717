"""Backup and disaster-recovery policies (GB/T 20988 levels 1–6)."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govdesk.db.base import Base, Versioned


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
    retention_days: Mapped[int] = mapped_column(Integer, nullable=False)
    target: Mapped[str] = mapped_column(Text, nullable=False)
    offsite: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rto_hours: Mapped[float | None] = mapped_column()
    rpo_hours: Mapped[float | None] = mapped_column()
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
