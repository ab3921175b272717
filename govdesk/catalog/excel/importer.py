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

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum
from sqlalchemy import select

from govdesk.catalog.editing.bulk_update import Current, load_current, update_many
from govdesk.catalog.editing.code_scope import codes_outside_scope, in_scope
from govdesk.catalog.editing.insert import insert_many
from govdesk.catalog.editing.resources import Lookups, ResourceDraft
from govdesk.catalog.editing.validation import _raise_grade, lowered_grades, validate
from govdesk.catalog.excel.check import MAX_FILE_BYTES, WorkbookCheck, check_workbook
from govdesk.catalog.excel.drafts import Drafts, _build_drafts, _keep_absent
from govdesk.catalog.excel.layout import (
    ITEM_COLUMNS,
    ITEMS_SHEET,
    RESOURCE_COLUMNS,
    RESOURCES_SHEET,
)
from govdesk.catalog.excel.report import ImportError_, ImportReport, chooser
from govdesk.catalog.excel.sheet import _Sheet
from govdesk.catalog.messages import Problem
from govdesk.db.engine import Database
from govdesk.db.models import DataResource, Grade, GradeScheme
from govdesk.errors import DuplicateKey
from govdesk.progress import Cancelled, Progress
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op, Role

__all__ = ["MAX_BYTES", "ImportCancelled", "ImportError_", "ImportReport", "import_catalog"]

MAX_BYTES = MAX_FILE_BYTES
REQUIRED_RESOURCE = ("code", "name", "category_code", "provider_code", "region_code", "format",
                     "sharing_type", "open_type", "update_cycle")
REQUIRED_ITEM = ("resource_code", "name", "data_type")

#: the user cancelled the import (the one :class:`Cancelled` of every long operation)
ImportCancelled = Cancelled


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
    msg = chooser(lang)
    sheets = _read_sheets(path, report, lang, progress)
    if sheets is None:
        return report
    progress.report(0.2, msg("正在检查…", "Checking…"))
    with db.session() as s:
        plan = _plan(s, who, sheets, report, lang, progress)
        if plan is None:
            return report
        report.ok = True
        if dry_run or not (plan.new or plan.updates):
            progress.report(1.0, msg("检查完成", "Checked"))
            return report
        _write(s, db, who, plan, f"import {path.name}", progress, lang)
        report.written = True
    progress.report(1.0, msg("已写入", "Written"))
    return report


def _read_sheets(path: Path, report: ImportReport, lang: str,
                 progress: Progress) -> tuple[_Sheet, _Sheet] | None:
    """The resources and items sheets of ``path`` read and cleaned, or None with the problems
    in ``report`` (a file that is not a clean catalogue workbook)."""
    msg = chooser(lang)
    if not path.is_file():
        _fail(report, path, msg("找不到文件 {f}", "File {f} does not exist", f=path))
        return None
    if path.stat().st_size == 0:
        _fail(report, path, msg("文件 {f} 是空文件", "{f} is empty", f=path.name))
        return None
    progress.report(0.0, msg("正在读取 {f}…", "Reading {f}…", f=path.name))
    check = check_workbook(path, (RESOURCES_SHEET, ITEMS_SHEET))
    if check.problems:
        for p in check.problems:
            report.errors.append(ImportError_(
                str(p.value) if p.code == "wb_range_too_big" else path.name, None, None,
                None if p.code == "wb_range_too_big" else p.value, p.text(lang)))
        return None
    sheets = _load_sheets(path, report, lang)
    if sheets is None or report.errors:
        return None
    progress.report(0.1, msg("正在读取数据行…", "Reading the rows…"))
    res = _Sheet(RESOURCES_SHEET, sheets[RESOURCES_SHEET], RESOURCE_COLUMNS, REQUIRED_RESOURCE,
                 report, msg, lang)
    items = _Sheet(ITEMS_SHEET, sheets[ITEMS_SHEET], ITEM_COLUMNS, REQUIRED_ITEM, report, msg,
                   lang)
    _report_cells(check, (res, items), report, lang)
    if report.errors:
        return None
    if not res.records:
        _fail(report, path, msg("工作表“{s}”中没有数据", "Sheet {s} has no data",
                                s=RESOURCES_SHEET))
        return None
    return res, items


def _fail(report: ImportReport, path: Path, message: str) -> None:
    """Report ``message`` about the file as a whole (the callers then give up: None)."""
    report.errors.append(ImportError_(path.name, None, None, None, message))


def _load_sheets(path: Path, report: ImportReport, lang: str) -> dict[str, list[list[Any]]] | None:
    """The cells of the two sheets the file has (a missing one reported, a hidden one warned
    about), or None when the file cannot be read."""
    msg = chooser(lang)
    wanted = (RESOURCES_SHEET, ITEMS_SHEET)
    try:
        book = CalamineWorkbook.from_path(str(path))
        hidden = [m.name for m in book.sheets_metadata
                  if m.name in wanted and m.visible != SheetVisibleEnum.Visible]
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                  for name in book.sheet_names if name in wanted}
    except (CalamineError, ValueError, OSError, zipfile.BadZipFile) as exc:
        _fail(report, path, msg("无法读取 {f}：文件已损坏或不是 Excel 工作簿（{e}）",
                                "Cannot read {f}: damaged or not an Excel workbook ({e})",
                                f=path.name, e=exc))
        return None
    except BaseException as exc:  # a Rust panic inside python-calamine (pyo3 PanicException)
        if type(exc).__name__ != "PanicException":
            raise
        _fail(report, path, Problem("wb_unreadable", "file", path.name,
                                    params={"error": exc}).text(lang))
        return None
    for name in hidden:
        report.warnings.append(ImportError_(name, None, None, None,
                                            Problem("wb_hidden_sheet", "file", name).text(lang)))
    for name in wanted:
        if name not in sheets:
            report.errors.append(ImportError_(name, None, None, None, msg(
                "缺少工作表“{s}”：这不是 GovDesk 数据资源目录模板（可先导出空白模板）",
                "Sheet {s} is missing: this is not the GovDesk catalogue template (export the "
                "blank template first)", s=name)))
    return sheets


@dataclass
class _Plan:
    """What a clean file changes: the lookups it was checked against, the new resources and
    the updated ones with their current state."""

    lookups: Lookups
    new: list[ResourceDraft]
    updates: list[tuple[ResourceDraft, Current]]


def _plan(s: Any, who: Identity, sheets: tuple[_Sheet, _Sheet], report: ImportReport,
          lang: str, progress: Progress) -> _Plan | None:
    """Convert and validate every row against the catalogue as ``who`` may change it; the plan,
    or None with every problem in ``report``."""
    msg = chooser(lang)
    res, items = sheets
    lookups = Lookups.load(s)
    grade_by_name = {name: code for code, name in s.execute(
        select(Grade.code, Grade.name).join(GradeScheme)
        .where(GradeScheme.is_active.is_(True))).all()}
    drafts = _build_drafts(res, items, lookups, grade_by_name, report, msg)
    progress.report(0.25, msg("正在读取现有资源…", "Reading the existing resources…"))
    current = load_current(s, lookups, (rid for code in drafts
                                        if (rid := lookups.resource_codes.get(code))))
    _keep_absent(drafts, lookups, current, res, items)
    new_codes = frozenset(d.code for d, _row, _irows in drafts.values()
                          if d.code not in lookups.resource_codes)
    progress.report(0.3, msg("正在检查…", "Checking…"))
    # the region check applies to the resource a code already names, not only to the row:
    # a code another area's resource holds cannot be used (on PostgreSQL that resource is
    # hidden, so the code looks new: the database says which of those are taken); asked
    # first, so that a file gets every problem in one report
    unavailable = set(codes_outside_scope(s, who, new_codes))
    # a cell the reading already found wrong (an unknown provider code) is reported once
    reported = frozenset((e.sheet, e.row, e.column) for e in report.errors)
    for code, (d, row, item_rows) in drafts.items():
        for p in validate(lookups, who, d, extra_codes=new_codes):
            if p.blocking:
                _problem(report, lang, p, row, item_rows, reported)
    if report.errors:  # with the changed rows of resources outside the area too
        for code, (d, _row, _irows) in drafts.items():
            rid = lookups.resource_codes.get(code)
            now = current.get(rid) if rid is not None else None
            if (now is not None and not in_scope(who, now.region_code)
                    and now.draft != _raise_grade(d, lookups.grades)[0]):
                unavailable.add(code)
        _report_unavailable(report, unavailable, drafts, lang)
        return None
    plan = _changes(who, lookups, drafts, current, unavailable, report, lang)
    _report_unavailable(report, unavailable, drafts, lang)
    if report.errors:
        report.inserted, report.updated, report.unchanged = [], [], 0
        return None
    return plan


def _changes(who: Identity, lookups: Lookups, drafts: Drafts, current: dict[int, Current],
             unavailable: set[str], report: ImportReport, lang: str) -> _Plan:
    """The drafts sorted into new, updated and unchanged resources (counted in ``report``); an
    update of a resource outside ``who``'s area goes into ``unavailable``, a lowered grade
    (only the security administrator may lower one) into the report."""
    plan = _Plan(lookups, [], [])
    for code, (d, row, item_rows) in drafts.items():
        rid = lookups.resource_codes.get(code)
        d, _notice = _raise_grade(d, lookups.grades)
        now = current.get(rid) if rid is not None else None
        if now is None:
            report.inserted.append(code)
            plan.new.append(d)
        elif now.draft == d:  # every field and data item equal (what snapshots compare)
            report.unchanged += 1
        else:
            if not in_scope(who, now.region_code):
                unavailable.add(code)
            elif who.role is not Role.SECADMIN:  # a data administrator only raises grades
                for p in lowered_grades(now, d, lookups.grades, lookups.grade_names):
                    _problem(report, lang, p, row, item_rows)
            report.updated.append(code)
            plan.updates.append((d, now))
    return plan


def _write(s: Any, db: Database, who: Identity, plan: _Plan, note: str, progress: Progress,
           lang: str) -> None:
    """Insert the new resources and update the changed ones in the unit of work ``s``."""
    msg = chooser(lang)
    new, updates = plan.new, plan.updates
    total = len(new) + len(updates)
    try:
        insert_many(s, db, who, plan.lookups, new, note,
                    progress.sub(0.35, 0.35 + 0.6 * len(new) / total,
                                 msg("正在写入新资源…", "Writing new resources…")))
    except DuplicateKey as exc:  # another import or save added one of the codes meanwhile
        raise _taken(db, who, exc, [d.code for d in new]) from exc
    writing = progress.sub(0.35 + 0.6 * len(new) / total, 0.95, msg("正在更新…", "Updating…"))
    update_many(s, db, who, plan.lookups, updates, note,
                lambda done, t: writing.report(done / max(1, t), msg(
                    "正在更新 {n}/{t}…", "Updating {n}/{t}…", n=done, t=t)))
    progress.report(0.95, msg("正在提交…", "Committing…"))


def _problem(report: ImportReport, lang: str, p: Problem, row: int, item_rows: list[int],
             reported: Collection[tuple[str, int | None, str | None]] = ()) -> None:
    """Report a validation problem of the draft from resource row ``row`` (or of its item
    ``p.item``) at its cell, unless that cell is among the ``reported`` ones."""
    if p.item:
        where = (ITEMS_SHEET, item_rows[p.item - 1], _item_header(p.field))
    else:
        where = (RESOURCES_SHEET, row, _resource_header(p.field))
    if where not in reported:
        report.errors.append(ImportError_(*where, p.value, p.text(lang)))


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


def _resource_header(field_name: str) -> str | None:
    keys = {"category": "category_code", "provider": "provider_code", "region": "region_code",
            "grade": "grade"}
    key = keys.get(field_name, field_name)
    return next((c.header for c in RESOURCE_COLUMNS if c.key == key), None)


def _item_header(field_name: str) -> str | None:
    key = {"item_name": "name", "grade": "grade"}.get(field_name, field_name)
    return next((c.header for c in ITEM_COLUMNS if c.key == key), None)
