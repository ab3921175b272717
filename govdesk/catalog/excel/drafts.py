"""Turning the cleaned rows of the two sheets into resource drafts: terms, codes and English
labels to codes, grades by code or name, dates in the forms people write, yes/no flags; and for
existing resources the fields of optional columns the file leaves out kept as they are.
Conversion problems go into the report (validation of the drafts is the editor's)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from govdesk import vocab
from govdesk.catalog.editing.bulk_update import Current
from govdesk.catalog.editing.resources import ItemDraft, Lookups, ResourceDraft
from govdesk.catalog.excel.layout import NO, YES
from govdesk.catalog.excel.report import ImportError_, ImportReport
from govdesk.catalog.excel.sheet import _Sheet

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
#: what the authoritative-source column accepts, and which of those mean yes
FLAGS = frozenset({None, YES, NO, "Y", "N", "y", "n", "1", "0", "TRUE", "FALSE", "true", "false"})
FLAGS_YES = frozenset({YES, "Y", "y", "1", "TRUE", "true"})


def _date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, (int, float)) and 1 <= v < 2958466:
        return EXCEL_EPOCH + dt.timedelta(days=int(v))
    if isinstance(v, str):
        m = _DATE.match(v)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(v)


def _text(v: Any) -> str | None:
    if v is None:
        return None
    return str(v) if not isinstance(v, str) else v


#: optional columns -> the draft field they fill (a missing column keeps the current value)
RESOURCE_OPTIONAL = {"summary": "summary", "sharing_condition": "sharing_condition",
                     "sharing_basis": "sharing_basis", "sharing_method": "sharing_method",
                     "open_condition": "open_condition", "publish_date": "publish_date",
                     "related_codes": "related_codes", "grade": "grade_code"}
ITEM_OPTIONAL = {"length": "length", "description": "description", "grade": "grade_code",
                 "is_authoritative": "is_authoritative", "standard_code": "standard_code"}


def _keep_absent(drafts: dict[str, tuple[ResourceDraft, int, list[int]]], lookups: Lookups,
                 current: dict[int, Current], res: _Sheet, items: _Sheet) -> None:
    """For existing resources, give the fields of optional columns the file does not have
    their current values (a missing column means "leave unchanged", never "empty"); without
    a sequence column, existing items keep their order."""
    absent_r = [f for k, f in RESOURCE_OPTIONAL.items() if k not in res.present]
    absent_i = [f for k, f in ITEM_OPTIONAL.items() if k not in items.present]
    keep_order = "seq" not in items.present
    if not (absent_r or absent_i or keep_order):
        return
    for code, (d, row, item_rows) in drafts.items():
        rid = lookups.resource_codes.get(code)
        stored = current.get(rid) if rid is not None else None
        if stored is None:
            continue
        now = stored.draft
        values: dict[str, Any] = {f: getattr(now, f) for f in absent_r}
        position = {i.name: n for n, i in enumerate(now.items)}
        by_name = {i.name: i for i in now.items}
        new_items = [dataclasses.replace(i, **{f: getattr(by_name[i.name], f) for f in absent_i})
                     if i.name in by_name and absent_i else i for i in d.items]
        order = list(range(len(new_items)))
        if keep_order:  # existing items where they were, new ones after them in file order
            order.sort(key=lambda n: position.get(new_items[n].name, len(position) + n))
        values["items"] = tuple(new_items[n] for n in order)
        drafts[code] = (dataclasses.replace(d, **values), row, [item_rows[n] for n in order])


#: (draft, its row, its items' rows) keyed by resource code
Drafts = dict[str, tuple[ResourceDraft, int, list[int]]]


def _build_drafts(res: _Sheet, items: _Sheet, lookups: Lookups, grade_by_name: dict[str, str],
                  report: ImportReport, msg: Callable[..., str]) -> Drafts:
    """(draft, its row, its items' rows) keyed by resource code; conversion problems go into
    ``report``."""
    convert = _Converter(lookups, grade_by_name, report, msg)
    by_code = convert.items_by_code(items)
    drafts: Drafts = {}
    for row, rec in res.records:
        code = _text(rec.get("code"))
        if not code:
            convert.err(res, row, "code", None, msg(
                "资源代码为空：新资源请填写“分类代码/序号”", "The resource code is empty: give new "
                "resources category-code/sequence"))
            continue
        if code in drafts:
            convert.err(res, row, "code", code, msg(
                "资源代码“{c}”在第 {r} 行已出现", "Resource code {c} already appears on row {r}",
                c=code, r=drafts[code][1]))
            continue
        item_rows = sorted(by_code.pop(code, []),
                           key=lambda x: (x[1].get("seq") if isinstance(x[1].get("seq"), int)
                                          else 10**9, x[0]))
        drafts[code] = (convert.resource(res, items, row, rec, code, item_rows), row,
                        [r for r, _ in item_rows])
    for code, rows in by_code.items():
        for irow, _rec in rows:
            convert.err(items, irow, "resource_code", code, msg(
                "资源代码“{c}”不在“数据资源”工作表中", "Resource code {c} is not in the resources "
                "sheet", c=code))
    return drafts


class _Converter:
    """Cell values to draft fields for one import, problems into its report."""

    def __init__(self, lookups: Lookups, grade_by_name: dict[str, str], report: ImportReport,
                 msg: Callable[..., str]) -> None:
        self.lookups, self.grade_by_name, self.report, self.msg = (
            lookups, grade_by_name, report, msg)
        # the common cells, looked up once per distinct value rather than once per cell
        self.data_types: dict[Any, str] = {t.code: t.code for t in vocab.DATA_TYPE.terms}
        self.data_types.update({t.zh: t.code for t in vocab.DATA_TYPE.terms})
        self.grade_by_text: dict[Any, str] = {**{c: c for c in lookups.grades}, **grade_by_name}

    def err(self, sheet: _Sheet, row: int, key: str, value: Any, message: str) -> None:
        self.report.errors.append(ImportError_(sheet.name, row, sheet.headers.get(key, key),
                                               value, message))

    @staticmethod
    def term(value: Any, v: vocab.Vocabulary) -> str | None:
        """The code for a term, code or English label; an unknown value passes through so
        validation reports it once, with the allowed values."""
        if value is None:
            return None
        return v.lookup(str(value)) or str(value)

    def grade(self, sheet: _Sheet, row: int, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value)
        if text in self.lookups.grades:
            return text
        if text in self.grade_by_name:
            return self.grade_by_name[text]
        self.err(sheet, row, "grade", value, self.msg(
            "“{v}”不在当前分级方案中", "{v!r} is not a grade of the active scheme", v=value))
        return None

    def items_by_code(self, items: _Sheet) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        """The item rows by their resource code, in file order (rows without one reported)."""
        by_code: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for row, rec in items.records:
            code = _text(rec.get("resource_code"))
            if not code:
                self.err(items, row, "resource_code", None, self.msg(
                    "资源代码为空", "The resource code is empty"))
                continue
            by_code.setdefault(code, []).append((row, rec))
        return by_code

    def item(self, items: _Sheet, irow: int, irec: dict[str, Any]) -> ItemDraft:
        length = irec.get("length")
        if length is not None and length.__class__ is not int:
            text = str(length)
            length = int(text) if text.isdigit() else text
        flag = _text(irec.get("is_authoritative"))
        if flag not in FLAGS:
            self.err(items, irow, "is_authoritative", flag, self.msg(
                "请填写“是”或“否”", "Write 是 (yes) or 否 (no)"))
        data_type = irec.get("data_type")
        level = irec.get("grade")
        return ItemDraft(
            _text(irec.get("name")) or "",
            self.data_types.get(data_type) or self.term(data_type, vocab.DATA_TYPE) or "",
            length, _text(irec.get("description")),
            None if level is None else self.grade_by_text.get(level) or self.grade(items, irow,
                                                                                   level),
            flag in FLAGS_YES, _text(irec.get("standard_code")))

    def resource(self, res: _Sheet, items: _Sheet, row: int, rec: dict[str, Any], code: str,
                 item_rows: list[tuple[int, dict[str, Any]]]) -> ResourceDraft:
        """The draft of resource row ``row`` with its (sorted) item rows."""
        org_code = _text(rec.get("provider_code"))
        org_id = self.lookups.organisation_ids.get(org_code or "")
        if org_code and org_id is None:
            self.err(res, row, "provider_code", org_code, self.msg(
                "提供方代码“{c}”不存在", "Provider code {c} does not exist", c=org_code))
        try:
            publish = _date(rec.get("publish_date"))
        except (ValueError, TypeError):
            publish = None
            self.err(res, row, "publish_date", rec.get("publish_date"), self.msg(
                "“{v}”不是日期（可写 2024-05-01、2024/5/1 或 2024年5月1日）",
                "{v!r} is not a date (write 2024-05-01)", v=rec.get("publish_date")))
        drafts_items = tuple(self.item(items, irow, irec) for irow, irec in item_rows)
        related = tuple(c.strip() for c in re.split(r"[;；,，\s]+", _text(rec.get("related_codes"))
                                                   or "") if c.strip())
        region = _text(rec.get("region_code")) or ""
        term = self.term
        return ResourceDraft(
            code=code, name=_text(rec.get("name")) or "",
            category_code=_text(rec.get("category_code")) or "",
            provider_org_id=org_id or 0,
            region_code=region.ljust(12, "0") if region.isdigit() else region,
            summary=_text(rec.get("summary")) or "",
            format=term(rec.get("format"), vocab.RESOURCE_FORMAT) or "",
            sharing_type=term(rec.get("sharing_type"), vocab.SHARING_TYPE) or "",
            sharing_condition=_text(rec.get("sharing_condition")),
            sharing_basis=_text(rec.get("sharing_basis")),
            sharing_method=term(rec.get("sharing_method"), vocab.SHARING_METHOD),
            open_type=term(rec.get("open_type"), vocab.OPEN_TYPE) or "",
            open_condition=_text(rec.get("open_condition")),
            update_cycle=term(rec.get("update_cycle"), vocab.UPDATE_CYCLE) or "",
            publish_date=publish, related_codes=related,
            grade_code=self.grade(res, row, rec.get("grade")), items=drafts_items)
