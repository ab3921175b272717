"""The organisations workbook: a template (with the current directory, so it can be edited and
imported back) and an all-or-nothing import.

The sheet ``组织机构`` has one organisation a row under the headers of
:data:`govdesk.catalog.orgs.directory.COLUMNS` (Chinese or English, any order): a row whose
code exists updates that organisation, any other adds one. The file is checked before anything
reads it (:func:`govdesk.catalog.excel.check.check_workbook`: container, zip bombs, used range,
formula cells without a value); then every row is checked, and one problem anywhere writes
nothing: the error lists every problem with its row.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdesk import vocab
from govdesk.catalog.excel.check import check_workbook
from govdesk.catalog.messages import LocatedProblems, Problem
from govdesk.catalog.orgs.directory import COLUMNS, OrgDraft, draft_problems, info_rows, region_code_of
from govdesk.changes import ORGANISATIONS, Changed
from govdesk.db import announce
from govdesk.db.engine import Database
from govdesk.db.models import Organisation, Region
from govdesk.errors import InputRejected
from govdesk.files import output_file
from govdesk.messages import Message
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import Scope, service
from govdesk.security.roles import Op

SHEET = "组织机构"
KINDS_SHEET = "类型值列表"
REQUIRED = ("code", "name", "kind", "region")
YES = frozenset({"是", "启用", "yes", "y", "true", "1"})
NO = frozenset({"否", "停用", "no", "n", "false", "0"})
_WHY = "the directory is one for the whole database"


@dataclass(frozen=True)
class OrgImportReport:
    """What an import did (or, with ``dry_run``, would do): organisations added, changed and
    left as they were."""

    created: int
    updated: int
    unchanged: int
    dry_run: bool


@service(Op.ORGS_MANAGE, owner=True, scope=Scope.NONE, why=_WHY)
def write_org_template(db: Database, who: Identity, path: Path, *, blank: bool = False) -> int:
    """Write the organisations workbook to ``path`` (.xlsx): the directory's organisations
    (none with ``blank``) under the template's headers, and the list of kinds. Returns the
    number of organisations written."""
    path = output_file(path, (".xlsx",))
    rows = [] if blank else _current(db)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    try:
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        sheet = book.add_worksheet(SHEET)
        keys = list(COLUMNS)
        for col, key in enumerate(keys):
            sheet.write_string(0, col, COLUMNS[key][0], head)
            sheet.set_column(col, col, 28 if key == "name" else 18)
        for r, row in enumerate(rows, start=1):
            for col, key in enumerate(keys):
                sheet.write_string(r, col, row[key])
        kinds = book.add_worksheet(KINDS_SHEET)
        kinds.write_string(0, 0, "类型", head)
        kinds.write_string(0, 1, "代码", head)
        for r, term in enumerate(vocab.ORG_KIND.terms, start=1):
            kinds.write_string(r, 0, term.zh)
            kinds.write_string(r, 1, term.code)
        last = len(vocab.ORG_KIND.terms) + 1
        sheet.data_validation(1, keys.index("kind"), 10_000, keys.index("kind"), {
            "validate": "list", "source": f"='{KINDS_SHEET}'!$A$2:$A${last}"})
        sheet.data_validation(1, keys.index("active"), 10_000, keys.index("active"), {
            "validate": "list", "source": ["是", "否"]})
        sheet.freeze_panes(1, 0)
    finally:
        book.close()
    return len(rows)


def _current(db: Database) -> list[dict[str, str]]:
    with db.session() as s:
        infos = info_rows(s)
    return [{"code": o.code, "name": o.name, "kind": vocab.ORG_KIND.label(o.kind),
             "region": o.region_code, "parent": o.parent_code or "",
             "active": "是" if o.is_active else "否"} for o in infos]


def _text(value: Any) -> str:
    """A cell as text: whole numbers without ``.0`` (a region code typed as a number)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read(path: Path) -> list[list[Any]]:
    """The cells of the organisations sheet, after the pre-read checks; LocatedProblems or
    InputRejected when the file cannot be read faithfully."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputRejected("org_file_type", name=path.name)
    if not path.is_file():
        raise InputRejected("file_missing", path=str(path))
    check = check_workbook(path, (SHEET,))
    problems: list[tuple[str | Message, Problem]] = [("", p) for p in check.problems]  # each
    # names the file itself ("x.xlsx 不是 Excel 工作簿")
    for c in check.cells:
        cell = f"{c.sheet}!{c.ref}" if c.ref else c.sheet
        problems.append((cell, Problem("wb_formula_no_value", "file", cell,
                                       params={"formula": c.formula}) if c.kind == "no_value"
                         else Problem("wb_formula_error", "file", cell,
                                      params={"error": c.value or "#?", "formula": ""})))
    if problems:
        raise LocatedProblems(problems)
    try:
        book = CalamineWorkbook.from_path(str(path))
        if SHEET not in book.sheet_names:
            raise InputRejected("org_sheet_missing", name=path.name, sheet=SHEET)
        return list(book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False))
    except (CalamineError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise InputRejected("org_unreadable", name=path.name, reason=str(exc)) from exc
    except BaseException as exc:  # a Rust panic inside python-calamine (pyo3 PanicException)
        if type(exc).__name__ != "PanicException":
            raise
        raise InputRejected("org_unreadable", name=path.name, reason=str(exc)) from exc


def _records(cells: list[list[Any]], name: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, values by column key) of the non-empty rows; LocatedProblems for a
    missing column."""
    if not cells:
        raise InputRejected("org_no_rows", name=name, sheet=SHEET)
    headers = {}
    for col, value in enumerate(cells[0]):
        text = _text(value).lower()
        for key, (zh, en) in COLUMNS.items():
            if text in (zh.lower(), en.lower(), key):
                headers[col] = key
    missing = [k for k in REQUIRED if k not in headers.values()]
    if missing:
        raise LocatedProblems([(f"{SHEET}!1", Problem("org_column_missing", "file", params={
            "column": "、".join(COLUMNS[k][0] for k in missing)}))])
    records = []
    for number, row in enumerate(cells[1:], start=2):
        values = {key: _text(row[col]) if col < len(row) else "" for col, key in headers.items()}
        if any(values.values()):
            records.append((number, values))
    if not records:
        raise InputRejected("org_no_rows", name=name, sheet=SHEET)
    return records


def _row_problems(records: list[tuple[int, dict[str, str]]], s: Session
                  ) -> list[tuple[str | Message, Problem]]:
    """Every problem of the rows, each with its row (the tree the import would make is checked
    as a whole: a parent may be a row of the workbook, and no row may end up its own
    ancestor)."""
    regions = frozenset(s.scalars(select(Region.code)))
    existing = dict(s.execute(select(Organisation.code, Organisation.parent_id)).all())
    ids = dict(s.execute(select(Organisation.id, Organisation.code)).all())
    parents = {code: ids.get(pid, "") if pid else "" for code, pid in existing.items()}
    seen: dict[str, int] = {}
    problems: list[tuple[str | Message, Problem]] = []
    for number, values in records:
        where = Message("org_row_where", {"sheet": SHEET, "row": number})
        code = values.get("code", "")
        if code in seen:
            problems.append((where, Problem("org_duplicate_row", "code", code,
                                            params={"row": seen[code]})))
        elif code:
            seen[code] = number
            parents[code] = values.get("parent", "")
    for number, values in records:
        where = Message("org_row_where", {"sheet": SHEET, "row": number})
        problems += [(where, p) for p in draft_problems(_draft(values), regions, parents)]
        active = values.get("active", "").lower()
        if active and active not in YES | NO:
            problems.append((where, Problem("org_bad_active", "active", values["active"])))
        if values.get("code") and _in_cycle(values["code"], parents):
            problems.append((where, Problem("org_parent_cycle", "parent", values["parent"])))
    return problems


def _draft(values: dict[str, str]) -> OrgDraft:
    return OrgDraft(values.get("code", ""), values.get("name", ""), values.get("kind", ""),
                    values.get("region", ""), values.get("parent", ""))


def _in_cycle(code: str, parents: dict[str, str]) -> bool:
    """True when following the parents from ``code`` comes back to it (a longer cycle than
    "its own parent", which the row check reports)."""
    seen: set[str] = set()
    current = parents.get(code, "")
    while current and current not in seen:
        if current == code:
            return parents.get(code) != code
        seen.add(current)
        current = parents.get(current, "")
    return False


@service(Op.ORGS_MANAGE, owner=True, writes=True, scope=Scope.NONE, why=_WHY)
def import_organisations(db: Database, who: Identity, path: Path, *, dry_run: bool = False,
                         progress: Progress | None = None) -> OrgImportReport:
    """Add and update organisations from the workbook at ``path``, all or nothing: raises
    LocatedProblems listing every problem with its row (nothing is written), InputRejected for a
    file that is not an organisations workbook. ``dry_run`` checks and counts only."""
    progress = progress or Progress()
    progress.report(0.0, path.name)
    records = _records(_read(path), path.name)
    progress.report(0.3, path.name)
    with db.session() as s:
        problems = _row_problems(records, s)
        if problems:
            raise LocatedProblems(problems)
        progress.report(0.6, path.name)
        report = _write(s, who, records, dry_run)
        if dry_run:
            s.rollback()
        progress.report(1.0, "")
        return report


def _write(s: Session, who: Identity, records: list[tuple[int, dict[str, str]]],
           dry_run: bool) -> OrgImportReport:
    """Insert the new organisations, update the changed ones, then set every row's parent."""
    orgs = {o.code: o for o in s.scalars(select(Organisation))}
    code_of = {o.id: code for code, o in orgs.items()}
    created = updated = unchanged = 0
    touched: list[Organisation] = []
    for _number, values in records:
        kind = vocab.ORG_KIND.lookup(values["kind"])
        wanted = {"name": values["name"], "kind": kind,
                  "region_code": region_code_of(values["region"]),
                  "is_active": values.get("active", "").lower() not in NO}
        org = orgs.get(values["code"])
        if org is None:
            org = orgs[values["code"]] = Organisation(code=values["code"], **wanted)
            s.add(org)
            created += 1
        elif any(getattr(org, k) != v for k, v in wanted.items()) or \
                values.get("parent", "") != code_of.get(org.parent_id or 0, ""):
            updated += 1
        else:
            unchanged += 1
            continue
        for k, v in wanted.items():
            setattr(org, k, v)
        touched.append(org)
    if dry_run or not touched:
        return OrgImportReport(created, updated, unchanged, dry_run)
    s.flush()
    for _number, values in records:
        parent = orgs.get(values.get("parent", ""))
        org = orgs[values["code"]]
        org.parent_id = parent.id if parent is not None else None
    s.flush()
    announce.note(s, Changed.of(ORGANISATIONS, [o.id for o in touched]))
    audit.record(s, who, EventType.DATA_CHANGE, object_type="organisations",
                 object_id=touched[0].code, detail={
                     "action": "import", "created": created, "updated": updated})
    return OrgImportReport(created, updated, unchanged, dry_run)

