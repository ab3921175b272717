"""Services of the access-log import (issue 15): the sources with their saved mapping, and
checking or importing a file (see docs/architecture.md, "Importing external access logs").

Check, then import: every line is read and checked first; a file with bad lines imports
nothing, and the report lists every problem (line, column, reason), unless the caller accepts
them (``accept_problems``): then the good lines are imported and the import's row and audit
event record how many lines were skipped and why. Lines that are not access events (a pgAudit
entry of a class the mapping does not name, a server message) are counted as ignored, by
reason. Importing the same file again adds nothing (the dedupe key per source).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk.db.base import utcnow
from govdesk.db.engine import Database
from govdesk.db.models import AccessLogSource, DataResource, Organisation
from govdesk.db.models.access_import import SOURCE_KINDS
from govdesk.errors import InputRejected
from govdesk.monitoring.log_mapping import (
    ExchangeMapping,
    Mapping,
    PgAuditMapping,
    mapping_json,
    parse_mapping,
)
from govdesk.monitoring.log_parse import (
    LineProblem,
    Lookups,
    Parsed,
    Row,
    parse_csv,
    parse_jsonl,
)
from govdesk.monitoring.log_write import Stage
from govdesk.monitoring.pgaudit_parse import parse_pgaudit
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

#: line numbers kept per reason in an import's record
FIRST_LINES = 20


@dataclass(frozen=True)
class SourceInfo:
    """An access-log source: its name, kind and saved mapping (JSON text)."""

    id: int
    name: str
    kind: str
    mapping: str
    created_by: str
    updated_by: str


@dataclass(frozen=True)
class ImportReport:
    """What a check or an import found and did. ``status``: ``checked`` (nothing written on
    purpose), ``refused`` (bad lines, not accepted: nothing written), ``imported``.
    ``problems`` holds the first 1,000 problems; ``bad`` counts every bad line."""

    status: str
    source: str
    file: str
    sha256: str
    lines: int
    good: int
    bad: int
    ignored: dict[str, int]
    problems: list[LineProblem] = field(default_factory=list)
    bad_by_reason: dict[str, int] = field(default_factory=dict)
    imported: int = 0
    duplicates: int = 0
    import_id: int | None = None


def _info(row: AccessLogSource) -> SourceInfo:
    return SourceInfo(row.id, row.name, row.kind, row.mapping, row.created_by, row.updated_by)


@service(Op.ACCESS_LOG_IMPORT, Op.ACCESS_LOG_READ, scope=Scope.NONE,
         why="sources are not regional: one exchange platform or server serves the province")
def list_sources(db: Database, who: Identity) -> list[SourceInfo]:
    """Every access-log source, by name."""
    with db.session() as s:
        return [_info(r) for r in s.scalars(select(AccessLogSource).order_by(AccessLogSource.name))]


def _kind(kind: str) -> str:
    if kind not in SOURCE_KINDS:
        raise InputRejected("log_kind_unknown", kind=kind, known=", ".join(SOURCE_KINDS))
    return kind


def _save(s: Session, who: Identity, name: str, kind: str | None,
          mapping: str | None) -> tuple[AccessLogSource, Mapping]:
    """The source ``name`` (made when ``kind`` is given and it does not exist yet) with
    ``mapping`` saved if given; audited when anything changed."""
    row = s.scalar(select(AccessLogSource).where(AccessLogSource.name == name))
    if row is None:
        if kind is None:
            raise InputRejected("log_source_unknown", name=name)
        parsed = parse_mapping(_kind(kind), mapping)
        now = utcnow()
        row = AccessLogSource(name=name, kind=kind, mapping=mapping_json(parsed),
                              created_by=who.username, created_at=now,
                              updated_by=who.username, updated_at=now)
        s.add(row)
        s.flush()
        _audit(s, who, row)
        return row, parsed
    if kind is not None and kind != row.kind:
        raise InputRejected("log_source_kind", name=name, kind=row.kind, asked=kind)
    if mapping is None:
        return row, parse_mapping(row.kind, row.mapping)
    parsed = parse_mapping(row.kind, mapping)
    if mapping_json(parsed) != row.mapping:
        row.mapping, row.updated_by, row.updated_at = mapping_json(parsed), who.username, utcnow()
        s.flush()
        _audit(s, who, row)
    return row, parsed


def _audit(s: Session, who: Identity, row: AccessLogSource) -> None:
    """A source saved, in the audit trail: on PostgreSQL the table's change trigger writes it
    (migration 0039), whatever the client; on SQLite this service does."""
    if s.get_bind().dialect.name != "postgresql":
        audit.record(s, who, "data_change", object_type="access_log_sources", object_id=row.id,
                     detail={"name": row.name, "kind": row.kind, "mapping": row.mapping})


@service(Op.ACCESS_LOG_IMPORT, writes=True, scope=Scope.NONE,
         why="sources are not regional: one exchange platform or server serves the province")
def save_source(db: Database, who: Identity, name: str, kind: str | None = None,
                mapping: str | None = None) -> SourceInfo:
    """Create the source ``name`` of ``kind``, or save its new ``mapping`` (JSON text);
    audited."""
    with db.session() as s:
        row, _ = _save(s, who, name.strip(), kind, mapping)
        return _info(row)


def _lookups(s: Session) -> Lookups:
    """Resource codes the caller may see (the service's scope applies), every organisation."""
    return Lookups(dict(s.execute(select(DataResource.code, DataResource.id)).all()),
                   dict(s.execute(select(Organisation.code, Organisation.id)).all()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _parse(path: Path, mapping: Mapping, kind: str, lookups: Lookups,
           progress: Progress | None, sink: Callable[[list[Row]], None]) -> Parsed:
    size = path.stat().st_size
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            if kind == "pgaudit":
                assert isinstance(mapping, PgAuditMapping)
                return parse_pgaudit(stream, mapping, lookups, progress, sink)
            assert isinstance(mapping, ExchangeMapping)
            if kind == "exchange_jsonl":
                return parse_jsonl(stream, mapping, lookups, size, progress, sink)
            return parse_csv(stream, mapping, lookups, size, progress, sink)
    except UnicodeDecodeError as exc:
        raise InputRejected("log_file_unreadable", path=str(path),
                            reason=f"UTF-8, byte {exc.start}") from exc
    except OSError as exc:
        raise InputRejected("log_file_unreadable", path=str(path),
                            reason=exc.strerror or str(exc)) from exc


def _skipped(parsed: Parsed) -> dict[str, Any]:
    first: dict[str, list[int]] = defaultdict(list)
    for p in parsed.problems:
        if len(first[p.code]) < FIRST_LINES:
            first[p.code].append(p.line)
    return {"bad": dict(parsed.bad_by_reason), "first_lines": dict(first),
            "ignored": dict(parsed.ignored)}


@service(Op.ACCESS_LOG_IMPORT, writes=True, scope=Scope.READ)
def import_access_log(db: Database, who: Identity, path: str | Path, source: str,
                      kind: str | None = None, mapping: str | None = None, check: bool = False,
                      accept_problems: bool = False,
                      progress: Progress | None = None) -> ImportReport:
    """Check (``check``) or import the log at ``path`` into ``source`` (created with ``kind``
    when new; ``mapping``, JSON text, saved with it). Resource codes resolve among the
    resources the caller may read. Nothing is written when the file has bad lines, unless
    ``accept_problems``; one transaction."""
    path = Path(path)
    sha = _sha256(path) if path.is_file() else ""
    with db.session() as s:
        row, parsed_mapping = _save(s, who, source.strip(), kind, mapping)
        stage = None if check else Stage(s)
        parsed = _parse(path, parsed_mapping, row.kind, _lookups(s),
                        progress.sub(0, 0.6) if progress else None,
                        stage.add if stage else (lambda rows: None))
        report = dict(source=row.name, file=path.name, sha256=sha, lines=parsed.lines,
                      good=parsed.good, bad=parsed.bad, ignored=dict(parsed.ignored),
                      problems=parsed.problems, bad_by_reason=dict(parsed.bad_by_reason))
        if stage is None or (parsed.bad and not accept_problems):
            if stage is not None:
                stage.drop()
            s.rollback()  # a check, or a refused file, keeps no source or mapping either
            return ImportReport("checked" if check else "refused", **report)  # type: ignore[arg-type]
        meta = {"file": path.name, "sha256": sha, "lines": parsed.lines, "bad": parsed.bad,
                "ignored": sum(parsed.ignored.values()), "problems": _skipped(parsed)}
        if progress is not None:
            progress.report(0.6)
        import_id, added = stage.write(who, row.id, meta, parsed.good)
        if progress is not None:
            progress.report(1.0)
        return ImportReport("imported", **report, imported=added,  # type: ignore[arg-type]
                            duplicates=parsed.good - added, import_id=import_id)


def report_json(report: ImportReport, lang: str) -> dict[str, Any]:
    """The report as JSON (problems in ``lang``)."""
    data = {k: v for k, v in report.__dict__.items() if k != "problems"}
    data["problems"] = [{"line": p.line, "column": p.column, "code": p.code,
                         "message": p.text(lang)} for p in report.problems]
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))  # type: ignore[no-any-return]
