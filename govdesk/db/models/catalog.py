"""The data-resource catalogue: categories, grade schemes, resources, data items (sharing
grants are in :mod:`govdesk.db.models.sharing`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdesk import vocab
from govdesk.db.base import Base, Versioned
from govdesk.db.models._enum import vocab_enum


class Category(Versioned, Base):
    """A node of the catalogue classification tree (类 1 digit, 项 +2, 目 +3, 细目 +n)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(vocab_enum(vocab.CATEGORY_KIND), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class GradeScheme(Versioned, Base):
    """A grading scheme (GB/T 43697-2024 by default, or a province's own); one is active."""

    __tablename__ = "grade_schemes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    grades: Mapped[list[Grade]] = relationship(
        back_populates="scheme", order_by="Grade.rank", cascade="all, delete-orphan"
    )


class Grade(Versioned, Base):
    """One grade of a scheme, with its handling rules. Higher ``rank`` = stricter (就高从严)."""

    __tablename__ = "grades"
    __table_args__ = (
        UniqueConstraint("scheme_id", "code", name="uq_grades_scheme_code"),
        CheckConstraint("min_dr_level BETWEEN 1 AND 6", name="min_dr_level_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("grade_schemes.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    masking_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    export_allowed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    export_encryption_required: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False
    )
    #: Space-separated codes of :data:`govdesk.vocab.SHARING_TYPE` this grade allows.
    sharing_types_allowed: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    #: distinct security administrators who must approve a grant (at least one always does)
    approvals_required: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: the longest a sharing grant of data of this grade may run, in days (valid_from to
    #: valid_until, both included)
    max_grant_days: Mapped[int] = mapped_column(Integer, nullable=False, default=365)
    min_dr_level: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    audit_retention_days: Mapped[int] = mapped_column(Integer, nullable=False, default=180)
    #: Space-separated detector codes (govdesk.catalog.profiling.detectors) this grade is suggested for.
    detectors: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    scheme: Mapped[GradeScheme] = relationship(back_populates="grades")


class DataResource(Versioned, Base):
    """A catalogue entry with every core metadata field of the catalogue standard."""

    __tablename__ = "data_resources"
    __table_args__ = (
        Index("ix_data_resources_category_code", "category_id", "code"),
        Index("ix_data_resources_region_code", "region_code", "code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False, index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), nullable=False)
    provider_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), nullable=False, index=True
    )
    provider_code: Mapped[str | None] = mapped_column(String(40))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    format: Mapped[str] = mapped_column(vocab_enum(vocab.RESOURCE_FORMAT), nullable=False)
    sharing_type: Mapped[str] = mapped_column(vocab_enum(vocab.SHARING_TYPE), nullable=False)
    sharing_condition: Mapped[str | None] = mapped_column(Text)
    sharing_basis: Mapped[str | None] = mapped_column(Text)
    sharing_method: Mapped[str | None] = mapped_column(vocab_enum(vocab.SHARING_METHOD))
    open_type: Mapped[str] = mapped_column(vocab_enum(vocab.OPEN_TYPE), nullable=False)
    open_condition: Mapped[str | None] = mapped_column(Text)
    update_cycle: Mapped[str] = mapped_column(vocab_enum(vocab.UPDATE_CYCLE), nullable=False)
    publish_date: Mapped[dt.date | None] = mapped_column(Date)
    #: Codes of related resources, separated by ";".
    related_codes: Mapped[str | None] = mapped_column(Text)
    grade_id: Mapped[int | None] = mapped_column(ForeignKey("grades.id"), index=True)
    status: Mapped[str] = mapped_column(
        vocab_enum(vocab.WORKFLOW_STATUS), nullable=False, default="draft", index=True
    )
    created_by: Mapped[str | None] = mapped_column(String(63))
    submitted_by: Mapped[str | None] = mapped_column(String(63))

    items: Mapped[list[DataItem]] = relationship(
        back_populates="resource", order_by="DataItem.seq", cascade="all, delete-orphan"
    )


class DataItem(Versioned, Base):
    """A field (信息项) of a resource: name, type, length, grade, authoritative-source flag."""

    __tablename__ = "data_items"
    __table_args__ = (UniqueConstraint("resource_id", "seq", name="uq_data_items_resource_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), nullable=False
    )
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    data_type: Mapped[str] = mapped_column(vocab_enum(vocab.DATA_TYPE), nullable=False)
    length: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    grade_id: Mapped[int | None] = mapped_column(ForeignKey("grades.id"))
    is_authoritative: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    standard_code: Mapped[str | None] = mapped_column(String(40), index=True)

    resource: Mapped[DataResource] = relationship(back_populates="items")


class ResourceSample(Base):
    """One sample row of a resource (JSON object keyed by data-item name), for profiling."""

    __tablename__ = "resource_samples"
    __table_args__ = (
        UniqueConstraint("resource_id", "row_no", name="uq_resource_samples_resource_row"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), nullable=False
    )
    row_no: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[str] = mapped_column(Text, nullable=False)


class ResourceSearch(Base):
    """The search document of a resource (see :mod:`govdesk.catalog.search.index`)."""

    __tablename__ = "resource_search"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    bigrams: Mapped[str] = mapped_column(Text, nullable=False)
    #: the resource's code, so a search can bound its first page by code in one index scan
    code: Mapped[str | None] = mapped_column(String(40), index=True)


class ResourceVersion(Base):
    """A saved version of a resource: the whole resource and its items as JSON."""

    __tablename__ = "resource_versions"
    __table_args__ = (
        UniqueConstraint("resource_id", "version", name="uq_resource_versions_resource_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    snapshot: Mapped[str] = mapped_column(Text, nullable=False)
    saved_by: Mapped[str] = mapped_column(String(63), nullable=False)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class GradeSuggestion(Versioned, Base):
    """A grade suggested for a data item from a profiled sample file, waiting for a security
    administrator to accept or reject it (never applied on its own)."""

    __tablename__ = "grade_suggestions"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status_values"),
        CheckConstraint("confidence BETWEEN 0 AND 1", name="confidence_range"),
        Index("ix_grade_suggestions_status_resource", "status", "resource_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), nullable=False)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("data_items.id", ondelete="SET NULL"))
    column_name: Mapped[str] = mapped_column(String(200), nullable=False)
    detector: Mapped[str] = mapped_column(String(40), nullable=False)
    confidence: Mapped[float] = mapped_column(Float, nullable=False)
    guardian: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    grade_id: Mapped[int] = mapped_column(ForeignKey("grades.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    source_file: Mapped[str] = mapped_column(String(260), nullable=False)
    proposed_by: Mapped[str] = mapped_column(String(63), nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(63))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ResourceProfile(Base):
    """The profile of a sample file attached to a resource: per-column statistics and
    detections as JSON (never the values themselves) and the data-quality score."""

    __tablename__ = "resource_profiles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("data_resources.id", ondelete="CASCADE"), nullable=False, index=True)
    source_file: Mapped[str] = mapped_column(String(260), nullable=False)
    row_count: Mapped[int] = mapped_column(Integer, nullable=False)
    columns: Mapped[str] = mapped_column(Text, nullable=False)
    identifier_validity: Mapped[float | None] = mapped_column(Float)
    metadata_completeness: Mapped[float] = mapped_column(Float, nullable=False)
    quality_score: Mapped[float] = mapped_column(Float, nullable=False)
    profiled_by: Mapped[str] = mapped_column(String(63), nullable=False)
    profiled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
