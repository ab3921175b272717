"""The effective-access matrix as an Excel workbook (for people) and as JSON (for the exchange
platform), and the JSON of one cell's explanation.

**JSON** (``schema`` ``govdesk.access-matrix/1``; stable: fields are only ever added)::

    {"schema": "govdesk.access-matrix/1", "grant_day": "2026-12-04", "lang": "zh",
     "filter": {"region": …, "grade": …, "category": …, "resource_code": …, "org_code": …,
                "org_region": …, "org_kind": …},
     "organisations": [{"id", "code", "name", "kind", "kind_label", "region_code",
                        "active"}],
     "resources": [{"id", "code", "name", "region_code", "status", "status_label",
                    "sharing_type", "sharing_type_label", "grade", "grade_label",
                    "category", "items_total",
                    "denied_reason", "denied_reason_label",
                    "cells": [{"org", "verdict", "verdict_label", "reason", "reason_label",
                               "items_readable", "items_total", "grants", "valid_until",
                               "valid_from", "ended"}]}],
     "next_after": null}

Codes are those of :data:`govdesk.vocab.ACCESS_VERDICT` / :data:`~govdesk.vocab.ACCESS_REASON`
(labels beside them in ``lang``); dates ISO. ``cells`` lists, per resource, every organisation
that may read it (``allowed``/``partial``) and every one denied for a reason that involves a
grant (scheduled, pending, expired, revoked, released, rejected, lapsed); every other
organisation of ``organisations`` is denied for the resource's ``denied_reason`` (``no_grant``,
``not_shared``, ``grade_forbids`` or ``unpublished``). ``org`` is the organisation's code.

**Excel**: sheet 访问矩阵 (a resource a row, an organisation a column, each cell its verdict),
sheet 授权明细 (the cells of ``cells`` above, one a row, with reasons and grants), sheet 说明 (the
codes and what they mean). Every value is written as text (no formula is ever evaluated).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from govdesk import vocab
from govdesk.db.engine import Database
from govdesk.errors import InputRejected
from govdesk.files import output_file
from govdesk.security.access_spec import EXPORT, Access
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op
from govdesk.sharing.access_dto import (
    AccessMatrix,
    Cell,
    CellExplanation,
    MatrixFilter,
    MatrixPage,
    rule_detail,
)
from govdesk.sharing.matrix import WHY, access_matrix

SCHEMA = "govdesk.access-matrix/1"
#: the most resources one export holds
MAX_EXPORT = 20_000
#: the reasons of a denied cell that come from grants (listed in ``cells``)
GRANT_REASONS = frozenset({"scheduled", "pending", "expired", "revoked", "released", "rejected",
                           "lapsed"})


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def listed(cell: Cell) -> bool:
    """Whether ``cell`` is listed in a resource's ``cells`` (else it is the default denial)."""
    return cell.verdict != "denied" or cell.reason in GRANT_REASONS


def cell_json(cell: Cell, org_code: str, lang: str = "zh") -> dict[str, Any]:
    """One cell as JSON."""
    return {"org": org_code, "verdict": cell.verdict,
            "verdict_label": vocab.ACCESS_VERDICT.label(cell.verdict, lang),
            "reason": cell.reason, "reason_label": vocab.ACCESS_REASON.label(cell.reason, lang),
            "items_readable": cell.items_readable, "items_total": cell.items_total,
            "grants": list(cell.grant_ids), "valid_until": _iso(cell.until),
            "valid_from": _iso(cell.since), "ended": _iso(cell.ended)}


def _resources(m: AccessMatrix, lang: str) -> list[dict[str, Any]]:
    out = []
    for row in m.rows:
        r = row.resource
        default = next((c.reason for c in row.cells if not listed(c)), "no_grant")
        out.append({
            "id": r.id, "code": r.code, "name": r.name, "region_code": r.region_code,
            "status": r.status, "status_label": vocab.WORKFLOW_STATUS.label(r.status, lang),
            "sharing_type": r.sharing_type,
            "sharing_type_label": vocab.SHARING_TYPE.label(r.sharing_type, lang),
            "grade": r.grade_code, "grade_label": r.grade_name, "category": r.category_code,
            "items_total": row.cells[0].items_total if row.cells else None,
            "denied_reason": default,
            "denied_reason_label": vocab.ACCESS_REASON.label(default, lang),
            "cells": [cell_json(c, o.code, lang) for o, c in zip(m.orgs, row.cells)
                      if listed(c)]})
    return out


def matrix_json(m: AccessMatrix, lang: str = "zh") -> dict[str, Any]:
    """The page ``m`` in the documented schema (``schema`` ``govdesk.access-matrix/1``)."""
    f = dataclasses.asdict(m.filter)
    f.pop("exact_code", None)
    return {"schema": SCHEMA, "grant_day": m.day.isoformat(), "lang": lang, "filter": f,
            "organisations": [{"id": o.id, "code": o.code, "name": o.name, "kind": o.kind,
                               "kind_label": vocab.ORG_KIND.label(o.kind, lang),
                               "region_code": o.region_code, "active": o.is_active}
                              for o in m.orgs],
            "resources": _resources(m, lang), "next_after": m.next_after}


def explanation_json(e: CellExplanation, lang: str = "zh") -> dict[str, Any]:
    """One cell's explanation as JSON: the cell, the grants, the rules and the items."""
    label = vocab.ACCESS_REASON.label
    return {
        "schema": "govdesk.access-cell/1", "grant_day": e.day.isoformat(),
        "org": {"id": e.org.id, "code": e.org.code, "name": e.org.name},
        "resource": {"id": e.resource.id, "code": e.resource.code, "name": e.resource.name},
        "cell": cell_json(e.cell, e.org.code, lang),
        "grants": [{"id": g.id, "state": g.state,
                    "state_label": vocab.GRANT_STATE.label(g.state, lang), "how": g.how,
                    "grantee": g.grantee_name,
                    "scope": dataclasses.asdict(g.scope) if g.scope else None,
                    "scope_region": g.scope_region_name, "in_force": g.in_force,
                    "valid_from": _iso(g.valid_from), "valid_until": _iso(g.valid_until),
                    "ended": _iso(g.ended), "items": list(g.items) if g.items is not None
                    else None, "reason": g.reason, "blocked": g.blocked,
                    "blocked_label": label(g.blocked, lang) if g.blocked else None}
                   for g in e.grants],
        "rules": [{"code": r.code, "label": label(r.code, lang), "detail": r.detail,
                   "detail_label": rule_detail(r, lang)}
                  for r in e.rules],
        "items": [{"id": i.id, "seq": i.seq, "name": i.name, "grade": i.grade_name,
                   "verdict": i.verdict,
                   "verdict_label": vocab.ACCESS_VERDICT.label(i.verdict, lang),
                   "reason": i.reason, "reason_label": label(i.reason, lang),
                   "grants": list(i.grant_ids)} for i in e.items]}


def _whole(db: Database, who: Identity, matrix_filter: MatrixFilter) -> AccessMatrix:
    """Every page of the matrix for ``matrix_filter`` as one; InputRejected beyond
    :data:`MAX_EXPORT` resources."""
    first = access_matrix(db, who, matrix_filter, MatrixPage(limit=500))
    rows, after = list(first.rows), first.next_after
    while after is not None:
        if len(rows) >= MAX_EXPORT:
            raise InputRejected("matrix_too_large", count=MAX_EXPORT, limit=MAX_EXPORT)
        more = access_matrix(db, who, matrix_filter, MatrixPage(after=after, limit=500))
        rows += more.rows
        after = more.next_after
    return dataclasses.replace(first, rows=tuple(rows), next_after=None)


def _cell_text(cell: Cell) -> str:
    text = vocab.ACCESS_VERDICT.label(cell.verdict)
    if cell.verdict == "partial":
        return f"{text}（{cell.items_readable}/{cell.items_total}）"
    return text


def _region_names(db: Database, m: AccessMatrix) -> dict[str, str]:
    """The names of the resources' regions (public reference data), by 12-digit code."""
    from sqlalchemy import select

    from govdesk.db.models import Region

    codes = sorted({row.resource.region_code for row in m.rows})
    with db.session() as s:
        return dict(s.execute(select(Region.code, Region.name)
                              .where(Region.code.in_(codes))).all()) if codes else {}


def write_excel(m: AccessMatrix, path: Path, regions: Mapping[str, str] | None = None) -> None:
    """The workbook of the module's docstring, every value written as text; a resource's region
    by its name from ``regions`` (its code where the name is unknown)."""
    regions = regions or {}
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_numbers": False, "strings_to_urls": False})
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                "text_wrap": True})
        tone = {"allowed": book.add_format({"bg_color": "#E2EFDA"}),
                "partial": book.add_format({"bg_color": "#FFF2CC"}), "denied": None}
        grid = book.add_worksheet("访问矩阵")
        fixed = ["资源代码", "资源名称", "所在区划", "共享类型", "分级"]
        for col, title in enumerate(fixed + [o.name for o in m.orgs]):
            grid.write_string(0, col, title, head)
        grid.set_column(0, 0, 14)
        grid.set_column(1, 1, 30)
        grid.set_column(5, 5 + max(0, len(m.orgs) - 1), 12)
        detail = book.add_worksheet("授权明细")
        for col, title in enumerate(("资源代码", "资源名称", "单位代码", "单位名称", "结论", "原因",
                                     "可读信息项", "信息项总数", "授权编号", "有效期至", "生效日",
                                     "终止日")):
            detail.write_string(0, col, title, head)
        line = 1
        for r_no, row in enumerate(m.rows, start=1):
            r = row.resource
            for col, value in enumerate((r.code, r.name, regions.get(r.region_code, r.region_code),
                                         vocab.SHARING_TYPE.label(r.sharing_type),
                                         r.grade_name or "")):
                grid.write_string(r_no, col, value)
            for c_no, (org, cell) in enumerate(zip(m.orgs, row.cells), start=len(fixed)):
                grid.write_string(r_no, c_no, _cell_text(cell), tone[cell.verdict])
                if listed(cell):
                    _detail(detail, line, r.code, r.name, org.code, org.name, cell)
                    line += 1
        grid.freeze_panes(1, 2)
        detail.freeze_panes(1, 0)
        _legend(book.add_worksheet("说明"), head, m)
    finally:
        book.close()


def _detail(sheet: Any, line: int, code: str, name: str, org_code: str, org_name: str,
            cell: Cell) -> None:
    values = (code, name, org_code, org_name, vocab.ACCESS_VERDICT.label(cell.verdict),
              vocab.ACCESS_REASON.label(cell.reason), str(cell.items_readable),
              str(cell.items_total), "、".join(str(g) for g in cell.grant_ids),
              _iso(cell.until) or "", _iso(cell.since) or "", _iso(cell.ended) or "")
    for col, value in enumerate(values):
        sheet.write_string(line, col, value)


def _legend(sheet: Any, head: Any, m: AccessMatrix) -> None:
    sheet.write_string(0, 0, "代码", head)
    sheet.write_string(0, 1, "含义", head)
    line = 1
    for v in (vocab.ACCESS_VERDICT, vocab.ACCESS_REASON):
        for t in v.terms:
            sheet.write_string(line, 0, t.code)
            sheet.write_string(line, 1, t.zh)
            line += 1
    sheet.write_string(line + 1, 0, "判定日")
    sheet.write_string(line + 1, 1, m.day.isoformat())
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 40)


@service(Op.SHARING_REQUEST, Op.SHARING_DECIDE, scope=Scope.NONE, why=WHY,
         access=Access(EXPORT, rows=int))
def export_matrix(db: Database, who: Identity, matrix_filter: MatrixFilter, path: Path,
                  lang: str = "zh") -> int:
    """Write the whole matrix for ``matrix_filter`` (every page; at most :data:`MAX_EXPORT`
    resources) to ``path``: ``.xlsx`` a workbook, ``.json`` the exchange schema (labels in
    ``lang``). Returns the number of resources written. Nothing is written on a refusal."""
    path = output_file(Path(path), (".xlsx", ".json"))
    m = _whole(db, who, matrix_filter)
    if path.suffix.lower() == ".json":
        import json

        path.write_text(json.dumps(matrix_json(m, lang), ensure_ascii=False, indent=1),
                        encoding="utf-8")
    else:
        write_excel(m, path, _region_names(db, m))
    return len(m.rows)
