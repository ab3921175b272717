"""Declarative base, naming convention and column helpers shared by every table.

A fixed constraint naming convention keeps Alembic migrations identical on SQLite and
PostgreSQL (batch mode on SQLite needs names to find constraints).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: A 64-bit key on PostgreSQL that is still SQLite's auto-incrementing ROWID alias.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    """Timezone-aware current UTC time (the only clock services use)."""
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of every GovDesk table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin for editable rows: an optimistic-locking version and change timestamps.

    The mapper counts ``version`` up on every UPDATE and adds ``WHERE version = <read value>``;
    a stale UPDATE then raises ``StaleDataError``, which services turn into
    :class:`govdesk.errors.ConflictError`.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow,
        server_default=func.now(),
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


#: database objects that migrations create outside the ORM metadata (search indexes, FTS tables)
DATABASE_ONLY_OBJECTS = frozenset({
    "resource_fts", "resource_bigram_fts", "ix_resource_search_text_trgm",
    "ix_resource_search_bigrams", "bigram_array", "ix_resource_search_grams", "grams",
    "govdesk_instance", "unmask_tickets", "audit_pending", "ix_audit_pending_xact",
    "audit_chain_head", "audit_events_seen",
    "ix_resource_search_region", "ix_data_resources_region_pattern",
    "ix_resource_search_region2_code", "ix_resource_search_region4_code",
    "ix_resource_search_region6_code", "ix_audit_events_username_ts",
    "ix_audit_events_event_type_ts", "grade_tombstones", "ix_grade_tombstones_scheme_code",
    "ix_data_items_resource_items",
    # PostgreSQL's access-log scale (migration 0035): partitions, BRIN, rollups, archives
    "access_events_default", "ix_access_events_ts_brin", "access_rollups_hourly",
    "access_rollups_daily", "access_rollups_users_daily", "access_rollups_resources_daily",
    "access_archives", "ux_access_rollups_daily", "ux_access_rollups_users_daily",
    "ux_access_rollups_resources_daily",
})

#: a monthly partition of ``access_events`` (PostgreSQL, migration 0035)
ACCESS_PARTITION = re.compile(r"access_events_y\d{4}m\d{2}\Z")

#: columns that exist only in the database, as (table, column): PostgreSQL's copy of each
#: resource's region in its search document (migration 0013, written by a trigger)
DATABASE_ONLY_COLUMNS = frozenset({("resource_search", "region_code")})


def tracked_by_metadata(obj: Any, name: str | None, type_: str, reflected: bool,
                        compare_to: Any) -> bool:
    """Alembic ``include_object`` hook: False for :data:`DATABASE_ONLY_OBJECTS`,
    :data:`DATABASE_ONLY_COLUMNS` and FTS5's shadow tables, so autogenerate and the schema test
    do not try to drop them."""
    if not name:
        return True
    table = getattr(getattr(obj, "table", None), "name", None)
    if type_ == "column" and (table, name) in DATABASE_ONLY_COLUMNS:
        return False
    if ACCESS_PARTITION.match(name):
        return False
    return not (name in DATABASE_ONLY_OBJECTS or name.startswith(("resource_fts_",
                                                                   "resource_bigram_fts_")))
