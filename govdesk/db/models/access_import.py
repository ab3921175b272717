"""External access logs (issue 15, migration 0039): the sources they come from, with their saved
column mapping, and one row per import of a file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govdesk.db.base import Base, BigIntPK

#: the kinds of source: the exchange platform's CSV or JSON-lines logs, pgAudit server logs
SOURCE_KINDS = ("exchange_csv", "exchange_jsonl", "pgaudit")


class AccessLogSource(Base):
    """A named external log (an exchange platform, a PostgreSQL server with pgAudit) and the
    mapping of its columns onto access events (JSON, see ``monitoring.log_mapping``). On
    PostgreSQL ``created_by``/``updated_by`` and their times are stamped by the database."""

    __tablename__ = "access_log_sources"
    __table_args__ = (
        CheckConstraint("kind IN ('" + "', '".join(SOURCE_KINDS) + "')",
                        name="ck_access_log_sources_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    mapping: Mapped[str] = mapped_column(Text, nullable=False)
    created_by: Mapped[str] = mapped_column(String(63), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(63), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AccessLogImport(Base):
    """One import of a file into a source: what was in it and what it added. Written on
    PostgreSQL only by ``govdesk_access_import_begin``/``_finish`` (``txid``: the transaction
    that may add rows under it, while ``finished_at`` is NULL)."""

    __tablename__ = "access_log_imports"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("access_log_sources.id"), nullable=False)
    file_name: Mapped[str] = mapped_column(String(500), nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    lines: Mapped[int] = mapped_column(Integer, nullable=False)
    good: Mapped[int] = mapped_column(Integer, nullable=False)
    imported: Mapped[int | None] = mapped_column(Integer)
    duplicates: Mapped[int | None] = mapped_column(Integer)
    bad: Mapped[int] = mapped_column(Integer, nullable=False)
    ignored: Mapped[int] = mapped_column(Integer, nullable=False)
    #: JSON: the lines skipped, counted by reason, with the first line numbers of each
    problems: Mapped[str] = mapped_column(Text, nullable=False)
    imported_by: Mapped[str] = mapped_column(String(63), nullable=False)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    txid: Mapped[int | None] = mapped_column(BigInteger)
