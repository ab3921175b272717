"""Regions (GB/T 2260 twelve-digit statistical codes, six levels) and organisations."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdesk import vocab
from govdesk.db.base import Base, Versioned
from govdesk.db.models._enum import vocab_enum


class Region(Base):
    """An administrative division. ``level``: 0 national, 1 province … 5 village (community)."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    parent_code: Mapped[str | None] = mapped_column(
        String(12), ForeignKey("regions.code"), index=True
    )
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)


class Organisation(Versioned, Base):
    """A disabled persons' federation at some level, or an external department. A deactivated
    one (``is_active`` false) still names the provider of its resources but is not offered for
    new ones; organisations are never deleted (migration 0023)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(vocab_enum(vocab.ORG_KIND), nullable=False)
    region_code: Mapped[str] = mapped_column(
        String(12), ForeignKey("regions.code"), nullable=False, index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True,
                                            server_default=true())

    region: Mapped[Region] = relationship()
