"""Excel in: check a catalogue workbook completely, report every problem, and only when the file
is clean write it in one transaction (insert or update by resource code).

Accepts what people really send: files re-saved by Excel, WPS or LibreOffice (read with
python-calamine), columns in any order (matched by header), merged or repeated header rows,
trailing empty rows, dates as serial numbers or text, full-width digits and spaces, enumerated
values as the standard's Chinese terms, codes or English labels. Refuses, with a message and
without any change, files that are not xlsx or ods, truncated, encrypted, another template,
empty, too big, zip bombs, sheets whose used range is too big to hold, formula cells without a
calculated value, error cells, and headers that are not the template's (see
``workbook_check``); a hidden data sheet is read and the report says so.

Cleaning: code-like columns (codes, numbers, dates) are NFKC-normalised and trimmed; names and
the enumerated columns are trimmed (the editor trims names on save too); free text (summary,
conditions, basis, description) is kept exactly as written, U+3000 and leading, trailing and
inner spaces and newlines included, as the editor keeps it. An export therefore re-imports with
no change. An optional column left out of the file leaves that field of existing resources
unchanged (new resources get it empty).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum
from sqlalchemy import select

from govdesk import vocab
from govdesk.catalog.editing.bulk_update import Current, load_current, update_many
from govdesk.catalog.editing.code_scope import codes_outside_scope, in_scope
from govdesk.catalog.editing.resources import (
    ItemDraft,
    Lookups,
    ResourceDraft,
    _raise_grade,
    insert_many,
    lowered_grades,
    validate,
)
from govdesk.catalog.excel.layout import (
    ITEM_COLUMNS,
    ITEMS_SHEET,
    NO,
    RESOURCE_COLUMNS,
    RESOURCES_SHEET,
    YES,
    Column,
)
from govdesk.catalog.messages import Problem
from govdesk.catalog.excel.check import MAX_FILE_BYTES, WorkbookCheck, check_workbook, column_name
from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Grade, GradeScheme
from govdesk.errors import DuplicateKey
from govdesk.progress import Cancelled, Progress
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op, Role

MAX_BYTES = MAX_FILE_BYTES
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
REQUIRED_RESOURCE = ("code", "name", "category_code", "provider_code", "region_code", "format",
                     "sharing_type", "open_type", "update_cycle")
REQUIRED_ITEM = ("resource_code", "name", "data_type")
#: free text, kept exactly as written (see the module docstring)
FREE_TEXT = frozenset({"summary", "sharing_condition", "sharing_basis", "open_condition",
                       "description"})
KEEP, TRIM, CODE = 0, 1, 2  #: how a column's text is cleaned


@dataclass(frozen=True)
class ImportError_:
    """One problem: where (sheet, 1-based row, column header), the value and the message."""

    sheet: str
    row: int | None
    column: str | None
    value: Any
    message: str

    def as_dict(self) -> dict[str, Any]:
        value = self.value if isinstance(self.value, (str, int, float, type(None))) else str(self.value)
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": value,
                "message": self.message}


@dataclass
class ImportReport:
    ok: bool = False
    errors: list[ImportError_] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    written: bool = False
    #: what the user should know although it does not stop the import (a hidden sheet)
    warnings: list[ImportError_] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "written": self.written,
                "errors": [e.as_dict() for e in self.errors],
                "warnings": [w.as_dict() for w in self.warnings],
                "changes": {"inserted": len(self.inserted), "updated": len(self.updated),
                            "unchanged": self.unchanged},
                "inserted_codes": self.inserted[:1000], "updated_codes": self.updated[:1000]}


class _Sheet:
    """A sheet's data rows as dicts keyed by column key, with their 1-based row numbers."""

    def __init__(self, name: str, rows: list[list[Any]], columns: tuple[Column, ...],
                 required: tuple[str, ...], report: ImportReport, msg: Callable[..., str],
                 lang: str = "zh") -> None:
        self.name = name
        self.records: list[tuple[int, dict[str, Any]]] = []
        #: column keys present in the file; 0-based column index -> header
        self.present: frozenset[str] = frozenset()
        self.header_row: int | None = None
        self.column_headers: dict[int, str] = {}
        by_header = {_norm_text(c.header): c for c in columns}
        header_at, mapping = None, {}
        for i, row in enumerate(rows[:20]):  # the header may sit below a title or merged rows
            found = {j: by_header[_norm_text(v)] for j, v in enumerate(row)
                     if isinstance(v, str) and _norm_text(v) in by_header}
            if len(found) >= max(2, len(required) // 2):
                header_at, mapping = i, found
                break
        if header_at is None:
            report.errors.append(ImportError_(name, None, None, None, msg(
                "这不是 GovDesk 数据资源目录模板：工作表“{sheet}”中找不到表头（应包含：{cols}）",
                "This is not the GovDesk catalogue template: no header row in sheet {sheet} "
                "(expected: {cols})", sheet=name, cols="、".join(c.header for c in columns))))
            return
        missing = [c.header for c in columns if c.key in required
                   and c.key not in {m.key for m in mapping.values()}]
        if missing:
            report.errors.append(ImportError_(name, header_at + 1, None, None, msg(
                "工作表“{sheet}”缺少必需的列：{cols}", "Sheet {sheet} lacks required columns: {cols}",
                sheet=name, cols="、".join(missing))))
            return
        self.headers = {m.key: m.header for m in mapping.values()}
        self.present = frozenset(self.headers)
        self.header_row = header_at + 1
        self.column_headers = {j: m.header for j, m in mapping.items()}
        if not _check_headers(self, rows[header_at], mapping, columns, report, lang):
            return
        header_values = [_norm_text(v) if isinstance(v, str) else v for v in rows[header_at]]
        first = min(mapping)  # a repeated header has its first mapped cell's text there
        keyed = sorted((j, m.key, CODE if m.key in CODE_LIKE else
                        KEEP if m.key in FREE_TEXT else TRIM) for j, m in mapping.items())
        width = len(header_values)
        header_first = header_values[first]
        for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            if _blank_row(row):
                continue  # empty and trailing rows
            if len(row) < width:
                row = [*row, *([None] * (width - len(row)))]
            cell = row[first]
            # a header repeated (e.g. on every printed page); headers are Chinese, so an ASCII
            # cell (every code) is never one and skips the normalisation
            if (isinstance(cell, str) and not cell.isascii() and _norm_text(cell) == header_first
                    and [_norm_text(v) if isinstance(v, str) else v for v in row]
                    == header_values):
                continue
            self.records.append((i, _clean_row(row, keyed)))


def _check_headers(sheet: _Sheet, header: list[Any], mapping: dict[int, Column],
                   columns: tuple[Column, ...], report: ImportReport, lang: str) -> bool:
    """Report header cells that are not the template's (suggesting the closest missing one)
    and columns given twice; True when there are none."""
    ok = True
    seen: dict[str, int] = {}
    missing = [c.header for c in columns if c.key not in sheet.present]
    allowed = "、".join(c.header for c in columns)
    for j, v in enumerate(header):
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        column = mapping.get(j)
        where = f"{column_name(j)}{sheet.header_row}"
        if column is None:
            text = _norm_text(v) if isinstance(v, str) else str(v)
            close = difflib.get_close_matches(text, missing, n=1, cutoff=0.4)
            hint = ""
            if close:
                hint = (f"（是否应为“{close[0]}”？）" if lang == "zh"
                        else f" (did you mean {close[0]}?)")
            report.errors.append(ImportError_(sheet.name, sheet.header_row, where, v, Problem(
                "wb_unknown_header", "file", v, params={"hint": hint, "allowed": allowed})
                .text(lang)))
            ok = False
        elif column.key in seen:
            report.errors.append(ImportError_(sheet.name, sheet.header_row, column.header, v,
                                              Problem("wb_duplicate_header", "file", column.header,
                                                      params={"first": column_name(seen[column.key]),
                                                              "second": column_name(j)}).text(lang)))
            ok = False
        else:
            seen[column.key] = j
    return ok


def _blank_row(row: list[Any]) -> bool:
    for v in row:  # a loop, not all(): most rows answer at their first cell
        if v is None or v == "" or (v.__class__ is str and not v.strip()):
            continue
        return False
    return True


def _norm_text(v: str) -> str:
    return unicodedata.normalize("NFKC", v).strip().replace(" ", "")


#: columns holding codes, numbers and dates, where full-width characters are normalised
#: (NFKC); free text keeps its Chinese punctuation (NFKC would turn "：" into ":")
CODE_LIKE = frozenset({"code", "category_code", "provider_code", "region_code", "related_codes",
                       "seq", "length", "publish_date", "resource_code", "standard_code"})


def _clean(v: Any, key: str = "") -> Any:
    """Free text as written; other strings trimmed (full-width spaces too); code-like columns
    NFKC-normalised and numbers in them parsed; integral floats become ints; empty strings
    become None."""
    if isinstance(v, str):
        if key in FREE_TEXT:
            return v or None
        text = v.strip()
        if key in CODE_LIKE and not text.isascii():  # ASCII is already NFKC
            text = unicodedata.normalize("NFKC", text).strip()
            if key in ("seq", "length") and text.isdigit():
                return int(text)
        return text or None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _clean_row(row: list[Any], keyed: list[tuple[int, str, int]]) -> dict[str, Any]:
    """``{key: _clean(row[j], key)}`` for the mapped columns, with the common cases inline (it
    runs for every cell of the file)."""
    record: dict[str, Any] = {}
    for j, key, mode in keyed:
        v = row[j]
        if v.__class__ is str:
            if mode == KEEP:
                record[key] = v or None
                continue
            v = v.strip()
            if mode == CODE and not v.isascii():
                record[key] = _clean(v, key)
                continue
            record[key] = v or None
        elif v.__class__ is float and v.is_integer():
            record[key] = int(v)
        else:
            record[key] = v
    return record


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


@service(Op.CATALOG_EDIT, writes=True, scope=Scope.NONE,
         why="rows are matched to existing resources by code across the whole catalogue and "
             "new codes numbered; each row's region is checked against the caller's (validate)")
def import_catalog(db: Database, who: Identity, path: Path, *, dry_run: bool = False,
                   lang: str = "zh", progress: Progress | None = None) -> ImportReport:
    """Check ``path`` and, when it is clean and not ``dry_run``, write it in one transaction.

    Never raises for a bad file: every problem is in the report (``ok`` False, nothing written).
    Raises PermissionDenied when ``who`` may not edit the catalogue, and :class:`Cancelled`
    (the transaction rolled back, nothing written) when ``progress`` is cancelled.
    """
    progress = progress or Progress()
    report = ImportReport()

    def msg(zh: str, en: str, **kw: Any) -> str:
        return (zh if lang == "zh" else en).format(**kw)

    def fail(message: str) -> ImportReport:
        report.errors.append(ImportError_(path.name, None, None, None, message))
        return report

    if not path.is_file():
        return fail(msg("找不到文件 {f}", "File {f} does not exist", f=path))
    if path.stat().st_size == 0:
        return fail(msg("文件 {f} 是空文件", "{f} is empty", f=path.name))
    progress.report(0.0, msg("正在读取 {f}…", "Reading {f}…", f=path.name))
    wanted = (RESOURCES_SHEET, ITEMS_SHEET)
    check = check_workbook(path, wanted)
    if check.problems:
        for p in check.problems:
            report.errors.append(ImportError_(
                str(p.value) if p.code == "wb_range_too_big" else path.name, None, None,
                None if p.code == "wb_range_too_big" else p.value, p.text(lang)))
        return report
    try:
        book = CalamineWorkbook.from_path(str(path))
        hidden = [m.name for m in book.sheets_metadata
                  if m.name in wanted and m.visible != SheetVisibleEnum.Visible]
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in book.sheet_names if name in wanted}
    except (CalamineError, ValueError, OSError, zipfile.BadZipFile) as exc:
        return fail(msg("无法读取 {f}：文件已损坏或不是 Excel 工作簿（{e}）",
                        "Cannot read {f}: damaged or not an Excel workbook ({e})",
                        f=path.name, e=exc))
    except BaseException as exc:  # a Rust panic inside python-calamine (pyo3 PanicException)
        if type(exc).__name__ != "PanicException":
            raise
        return fail(Problem("wb_unreadable", "file", path.name, params={"error": exc})
                    .text(lang))
    for name in hidden:
        report.warnings.append(ImportError_(name, None, None, None,
                                            Problem("wb_hidden_sheet", "file", name).text(lang)))
    for name in (RESOURCES_SHEET, ITEMS_SHEET):
        if name not in sheets:
            report.errors.append(ImportError_(name, None, None, None, msg(
                "缺少工作表“{s}”：这不是 GovDesk 数据资源目录模板（可先导出空白模板）",
                "Sheet {s} is missing: this is not the GovDesk catalogue template (export the "
                "blank template first)", s=name)))
    if report.errors:
        return report
    progress.report(0.1, msg("正在读取数据行…", "Reading the rows…"))
    res = _Sheet(RESOURCES_SHEET, sheets[RESOURCES_SHEET], RESOURCE_COLUMNS, REQUIRED_RESOURCE,
                 report, msg, lang)
    items = _Sheet(ITEMS_SHEET, sheets[ITEMS_SHEET], ITEM_COLUMNS, REQUIRED_ITEM, report, msg,
                   lang)
    _report_cells(check, (res, items), report, lang)
    if report.errors:
        return report
    if not res.records:
        return fail(msg("工作表“{s}”中没有数据", "Sheet {s} has no data", s=RESOURCES_SHEET))
    progress.report(0.2, msg("正在检查…", "Checking…"))
    with db.session() as s:
        lookups = Lookups.load(s)
        grade_by_name = {name: code for code, name in s.execute(
            select(Grade.code, Grade.name).join(GradeScheme)
            .where(GradeScheme.is_active.is_(True))).all()}
        drafts = _build_drafts(res, items, lookups, grade_by_name, report, msg, lang)
        progress.report(0.25, msg("正在读取现有资源…", "Reading the existing resources…"))
        current = load_current(s, lookups, (rid for code in drafts
                                            if (rid := lookups.resource_codes.get(code))))
        _keep_absent(drafts, lookups, current, res, items)
        new_codes = frozenset(d.code for d, _row, _irows in drafts.values()
                              if d.code not in lookups.resource_codes)
        progress.report(0.3, msg("正在检查…", "Checking…"))

        def problem(p: Problem, row: int, item_rows: list[int]) -> None:
            if p.item:
                where = (ITEMS_SHEET, item_rows[p.item - 1], _item_header(p.field))
            else:
                where = (RESOURCES_SHEET, row, _resource_header(p.field))
            report.errors.append(ImportError_(*where, p.value, p.text(lang)))

        # the region check applies to the resource a code already names, not only to the row:
        # a code another area's resource holds cannot be used (on PostgreSQL that resource is
        # hidden, so the code looks new: the database says which of those are taken); asked
        # first, so that a file gets every problem in one report
        unavailable = set(codes_outside_scope(s, who, new_codes))
        for code, (d, row, item_rows) in drafts.items():
            for p in validate(lookups, who, d, extra_codes=new_codes):
                if p.blocking:
                    problem(p, row, item_rows)
        if report.errors:  # with the changed rows of resources outside the area too
            for code, (d, _row, _irows) in drafts.items():
                rid = lookups.resource_codes.get(code)
                now = current.get(rid) if rid is not None else None
                if (now is not None and not in_scope(who, now.region_code)
                        and now.draft != _raise_grade(d, lookups.grades)[0]):
                    unavailable.add(code)
            _report_unavailable(report, unavailable, drafts, lang)
            return report
        new: list[ResourceDraft] = []
        updates: list[tuple[ResourceDraft, Current]] = []
        for code, (d, row, item_rows) in drafts.items():
            rid = lookups.resource_codes.get(code)
            d, _notice = _raise_grade(d, lookups.grades)
            now = current.get(rid) if rid is not None else None
            if now is None:
                report.inserted.append(code)
                new.append(d)
            elif now.draft == d:  # every field and data item equal (what snapshots compare)
                report.unchanged += 1
            else:
                if not in_scope(who, now.region_code):
                    unavailable.add(code)
                elif who.role is not Role.SECADMIN:  # a data administrator only raises grades
                    for p in lowered_grades(now, d, lookups.grades):
                        problem(p, row, item_rows)
                report.updated.append(code)
                updates.append((d, now))
        _report_unavailable(report, unavailable, drafts, lang)
        if report.errors:
            report.inserted, report.updated, report.unchanged = [], [], 0
            return report
        report.ok = True
        if dry_run or not (new or updates):
            progress.report(1.0, msg("检查完成", "Checked"))
            return report
        note = f"import {path.name}"
        total = len(new) + len(updates)

        try:
            insert_many(s, db, who, lookups, new, note,
                        progress.sub(0.35, 0.35 + 0.6 * len(new) / total,
                                     msg("正在写入新资源…", "Writing new resources…")))
        except DuplicateKey as exc:  # another import or save added one of the codes meanwhile
            raise _taken(db, who, exc, [d.code for d in new]) from exc
        writing = progress.sub(0.35 + 0.6 * len(new) / total, 0.95,
                               msg("正在更新…", "Updating…"))
        update_many(s, db, who, lookups, updates, note,
                    lambda done, t: writing.report(done / max(1, t), msg(
                        "正在更新 {n}/{t}…", "Updating {n}/{t}…", n=done, t=t)))
        progress.report(0.95, msg("正在提交…", "Committing…"))
        report.written = True
    progress.report(1.0, msg("已写入", "Written"))
    return report


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


def _report_cells(check: WorkbookCheck, sheets: tuple[_Sheet, ...], report: ImportReport,
                  lang: str) -> None:
    """Formula cells without a calculated value and error cells, named by sheet, row and
    column header (calamine reads both as empty cells)."""
    by_name = {sh.name: sh for sh in sheets}
    for c in check.cells:
        sheet = by_name.get(c.sheet)
        header = sheet.column_headers.get(c.column) if sheet and c.column is not None else None
        cell = f"{c.sheet}!{c.ref}" if c.ref else c.sheet
        if c.kind == "no_value":
            text = Problem("wb_formula_no_value", "file", cell,
                           params={"formula": c.formula}).text(lang)
        else:
            shown = (f"（公式 ={c.formula}）" if lang == "zh" else f" (formula ={c.formula})"
                     ) if c.formula else ""
            text = Problem("wb_formula_error", "file", cell,
                           params={"error": c.value or "#?", "formula": shown}).text(lang)
        report.errors.append(ImportError_(c.sheet, c.row, header, c.value or None, text))
    for name, count in check.more_cells.items():
        report.errors.append(ImportError_(name, None, None, None, Problem(
            "wb_more_cells", "file", name, params={"count": count}).text(lang)))


def _taken(db: Database, who: Identity, exc: DuplicateKey, codes: list[str]) -> DuplicateKey:
    """``exc`` naming the new codes someone else committed meanwhile, when the database did not
    name one (SQLite; PostgreSQL under row-level security); asked over a connection of its own
    (the import's transaction is over). A code another area took is named too (the user gave
    it), nothing else about that resource."""
    if exc.value or exc.columns != "code":
        return exc
    found: set[str] = set()
    with db.session() as s:
        for start in range(0, len(codes), 500):
            found.update(s.scalars(select(DataResource.code).where(
                DataResource.code.in_(codes[start:start + 500]))).all())
        found.update(codes_outside_scope(s, who, codes))
    if not found:
        return exc
    shown = ", ".join(sorted(found)[:10]) + ("…" if len(found) > 10 else "")
    return DuplicateKey("code_taken_meanwhile", table=exc.table, columns=exc.columns,
                        value=sorted(found)[0], code=shown)


def _report_unavailable(report: ImportReport, unavailable: set[str],
                        drafts: dict[str, tuple[ResourceDraft, int, list[int]]],
                        lang: str) -> None:
    """One problem per row whose code is held by a resource outside the user's area, in row
    order (errors of the same rows found earlier stay; the report is sorted by the caller)."""
    for code in sorted(unavailable, key=lambda c: drafts[c][1]):
        report.errors.append(ImportError_(RESOURCES_SHEET, drafts[code][1],
                                          _resource_header("code"), code,
                                          Problem("code_unavailable", "code", code).text(lang)))


#: the user cancelled the import (the one :class:`Cancelled` of every long operation)
ImportCancelled = Cancelled


#: what the authoritative-source column accepts, and which of those mean yes
FLAGS = frozenset({None, YES, NO, "Y", "N", "y", "n", "1", "0", "TRUE", "FALSE", "true", "false"})
FLAGS_YES = frozenset({YES, "Y", "y", "1", "TRUE", "true"})


def _resource_header(field_name: str) -> str | None:
    keys = {"category": "category_code", "provider": "provider_code", "region": "region_code",
            "grade": "grade"}
    key = keys.get(field_name, field_name)
    return next((c.header for c in RESOURCE_COLUMNS if c.key == key), None)


def _item_header(field_name: str) -> str | None:
    key = {"item_name": "name", "grade": "grade"}.get(field_name, field_name)
    return next((c.header for c in ITEM_COLUMNS if c.key == key), None)


def _build_drafts(res: _Sheet, items: _Sheet, lookups: Lookups, grade_by_name: dict[str, str],
                  report: ImportReport, msg: Callable[..., str],
                  lang: str) -> dict[str, tuple[ResourceDraft, int, list[int]]]:
    """(draft, its row, its items' rows) keyed by resource code; conversion problems go into
    ``report``."""
    def err(sheet: _Sheet, row: int, key: str, value: Any, message: str) -> None:
        report.errors.append(ImportError_(sheet.name, row, sheet.headers.get(key, key), value,
                                          message))

    def term(sheet: _Sheet, row: int, key: str, value: Any, v: vocab.Vocabulary) -> str | None:
        """The code for a term, code or English label; an unknown value passes through so
        validation reports it once, with the allowed values."""
        if value is None:
            return None
        return v.lookup(str(value)) or str(value)

    def grade(sheet: _Sheet, row: int, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value)
        if text in lookups.grades:
            return text
        if text in grade_by_name:
            return grade_by_name[text]
        err(sheet, row, "grade", value, msg("“{v}”不在当前分级方案中", "{v!r} is not a grade of the "
                                            "active scheme", v=value))
        return None

    # the common cells, looked up once per distinct value rather than once per cell
    data_types: dict[Any, str] = {t.code: t.code for t in vocab.DATA_TYPE.terms}
    data_types.update({t.zh: t.code for t in vocab.DATA_TYPE.terms})
    grade_by_text: dict[Any, str] = {**{c: c for c in lookups.grades}, **grade_by_name}
    by_code: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for row, rec in items.records:
        code = _text(rec.get("resource_code"))
        if not code:
            err(items, row, "resource_code", None, msg("资源代码为空", "The resource code is empty"))
            continue
        by_code.setdefault(code, []).append((row, rec))
    drafts: dict[str, tuple[ResourceDraft, int, list[int]]] = {}
    for row, rec in res.records:
        code = _text(rec.get("code"))
        if not code:
            err(res, row, "code", None, msg(
                "资源代码为空：新资源请填写“分类代码/序号”", "The resource code is empty: give new "
                "resources category-code/sequence"))
            continue
        if code in drafts:
            err(res, row, "code", code, msg("资源代码“{c}”在第 {r} 行已出现", "Resource code {c} "
                                            "already appears on row {r}", c=code,
                                            r=drafts[code][1]))
            continue
        org_code = _text(rec.get("provider_code"))
        org_id = lookups.organisation_ids.get(org_code or "")
        if org_code and org_id is None:
            err(res, row, "provider_code", org_code, msg("提供方代码“{c}”不存在", "Provider code "
                                                        "{c} does not exist", c=org_code))
        try:
            publish = _date(rec.get("publish_date"))
        except (ValueError, TypeError):
            publish = None
            err(res, row, "publish_date", rec.get("publish_date"), msg(
                "“{v}”不是日期（可写 2024-05-01、2024/5/1 或 2024年5月1日）",
                "{v!r} is not a date (write 2024-05-01)", v=rec.get("publish_date")))
        item_rows = sorted(by_code.pop(code, []),
                           key=lambda x: (x[1].get("seq") if isinstance(x[1].get("seq"), int)
                                          else 10**9, x[0]))
        drafts_items = []
        for irow, irec in item_rows:
            length = irec.get("length")
            if length is not None and length.__class__ is not int:
                text = str(length)
                length = int(text) if text.isdigit() else text
            flag = _text(irec.get("is_authoritative"))
            if flag not in FLAGS:
                err(items, irow, "is_authoritative", flag, msg("请填写“是”或“否”",
                                                               "Write 是 (yes) or 否 (no)"))
            data_type = irec.get("data_type")
            level = irec.get("grade")
            drafts_items.append(ItemDraft(
                _text(irec.get("name")) or "",
                (data_types.get(data_type) or term(items, irow, "data_type", data_type,
                                                   vocab.DATA_TYPE) or ""),
                length, _text(irec.get("description")),
                None if level is None else grade_by_text.get(level) or grade(items, irow, level),
                flag in FLAGS_YES, _text(irec.get("standard_code"))))
        related = tuple(c.strip() for c in re.split(r"[;；,，\s]+", _text(rec.get("related_codes"))
                                                   or "") if c.strip())
        region = _text(rec.get("region_code")) or ""
        drafts[code] = (ResourceDraft(
            code=code, name=_text(rec.get("name")) or "",
            category_code=_text(rec.get("category_code")) or "",
            provider_org_id=org_id or 0,
            region_code=region.ljust(12, "0") if region.isdigit() else region,
            summary=_text(rec.get("summary")) or "",
            format=term(res, row, "format", rec.get("format"), vocab.RESOURCE_FORMAT) or "",
            sharing_type=term(res, row, "sharing_type", rec.get("sharing_type"),
                              vocab.SHARING_TYPE) or "",
            sharing_condition=_text(rec.get("sharing_condition")),
            sharing_basis=_text(rec.get("sharing_basis")),
            sharing_method=term(res, row, "sharing_method", rec.get("sharing_method"),
                                vocab.SHARING_METHOD),
            open_type=term(res, row, "open_type", rec.get("open_type"), vocab.OPEN_TYPE) or "",
            open_condition=_text(rec.get("open_condition")),
            update_cycle=term(res, row, "update_cycle", rec.get("update_cycle"),
                              vocab.UPDATE_CYCLE) or "",
            publish_date=publish, related_codes=related,
            grade_code=grade(res, row, rec.get("grade")), items=tuple(drafts_items)), row,
            [r for r, _ in item_rows])
    for code, rows in by_code.items():
        for irow, _rec in rows:
            err(items, irow, "resource_code", code, msg(
                "资源代码“{c}”不在“数据资源”工作表中", "Resource code {c} is not in the resources "
                "sheet", c=code))
    return drafts
