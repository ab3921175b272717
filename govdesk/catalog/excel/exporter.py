"""Export the catalogue (or the current filter) to .xlsx, and the blank template.

Three sheets: resources, data items, and the value lists; enumerated columns carry drop-down
validation bound to the value-list sheet, so a person filling the file in Excel or WPS picks
valid values. Written with XlsxWriter in constant-memory mode, streaming resources page by page.

A value longer than an Excel cell holds (32,767 characters) is never cut: the export stops
with a message naming the resource and the column, and no file is written (the workbook is
only assembled at the end). Splitting it over several cells was not chosen: the import maps
one column to one field, and a split value would come back as another value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import select
from xlsxwriter.utility import xl_col_to_name

from govdesk import vocab
from govdesk.catalog.search.conditions import _filtered
from govdesk.catalog.search.filters import ResourceFilter
from govdesk.catalog.excel.layout import (
    ITEM_COLUMNS,
    ITEMS_SHEET,
    LISTS_SHEET,
    NO,
    RESOURCE_COLUMNS,
    RESOURCES_SHEET,
    YES,
    Column,
    list_header,
)
from govdesk.catalog.messages import LocatedProblems, Problem
from govdesk.db.engine import Database
from govdesk.db.models import Category, DataItem, DataResource, Grade, GradeScheme
from govdesk.files import output_file
from govdesk.progress import Progress
from govdesk.security import audit
from govdesk.security.access_spec import EXPORT, Access
from govdesk.security.audit import EventType
from govdesk.security.identity import Identity
from govdesk.security.kernel import service
from govdesk.security.roles import Op

VALIDATION_ROWS = 20_000  #: rows below the data that still get drop-downs (for new entries)
PAGE = 2_000
#: the most characters (UTF-16 code units, as Excel counts them) one cell holds
CELL_MAX = 32_767


@dataclass(frozen=True)
class ExportResult:
    resources: int
    items: int
    path: str


def _value_lists(s: Any) -> dict[str, list[str]]:
    lists = {v.name: [t.zh for t in v.terms] for v in vocab.ALL}
    lists["grade"] = list(s.scalars(select(Grade.name).join(GradeScheme)
                                    .where(GradeScheme.is_active.is_(True)).order_by(Grade.rank)))
    lists["category"] = list(s.scalars(select(Category.code).order_by(Category.code)))
    lists["yes_no"] = [YES, NO]
    return lists


def _list_name(col: Column) -> str | None:
    return col.vocabulary.name if col.vocabulary else col.list_name


def _setup(book: Any, lists: dict[str, list[str]]) -> tuple[Any, Any, dict[str, str]]:
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet_l = book.add_worksheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    columns = list(lists.items())
    # constant-memory mode writes row by row: a row cannot be revisited once the next begins
    for r in range(max(len(v) for _n, v in columns) + 1):
        for c, (name, values) in enumerate(columns):
            if r == 0:
                sheet_l.write(0, c, list_header(name), head)
            elif r <= len(values):
                sheet_l.write_string(r, c, values[r - 1])
    for c, (name, values) in enumerate(columns):
        col = xl_col_to_name(c)
        ranges[name] = f"='{LISTS_SHEET}'!${col}$2:${col}${max(2, len(values) + 1)}"
    sheets = []
    for title, layout in ((RESOURCES_SHEET, RESOURCE_COLUMNS), (ITEMS_SHEET, ITEM_COLUMNS)):
        sheet = book.add_worksheet(title)
        for c, col in enumerate(layout):
            sheet.write(0, c, col.header, head)
            sheet.set_column(c, c, col.width)
            list_name = _list_name(col)
            if list_name:
                sheet.data_validation(1, c, VALIDATION_ROWS, c, {
                    "validate": "list", "source": ranges[list_name], "ignore_blank": True,
                    "error_title": col.header, "error_message": f"请从下拉列表中选择{col.header}"})
        sheet.freeze_panes(1, 0)
        sheets.append(sheet)
    book.worksheets_objs.sort(key=lambda w: [RESOURCES_SHEET, ITEMS_SHEET, LISTS_SHEET]
                              .index(w.name))
    return sheets[0], sheets[1], ranges


@service(Op.CATALOG_READ, access=Access(EXPORT, rows=lambda e: e.resources))
def export_catalog(db: Database, who: Identity, path: Path, f: ResourceFilter | None = None,
                   progress: Progress | None = None,
                   blank: bool = False) -> ExportResult:
    """Write the resources visible to ``who`` matching ``f`` (all when None) to ``path``;
    ``blank`` writes only headers, value lists and drop-downs (the template). Audited.

    Reports to ``progress`` after each page of resources. Raises InputRejected,
    writing no file, when a value does not fit in a cell, and :class:`Cancelled`, writing no
    file and no audit record, when ``progress`` is cancelled.
    """
    progress = progress or Progress()
    output_file(path, (".xlsx",))
    f = f or ResourceFilter()
    with db.session() as s:
        lists = _value_lists(s)
        grade_names = dict(s.execute(select(Grade.id, Grade.name)).all())
        cat_codes = dict(s.execute(select(Category.id, Category.code)).all())
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                               "strings_to_formulas": False})
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet_r, sheet_i, _ranges = _setup(book, lists)
        out = _Sheets(sheet_r, sheet_i, date_fmt, grade_names, cat_codes)
        ids: list[int] = []
        if not blank:
            ids = list(s.scalars(_filtered(select(DataResource.id), f, who, db.dialect)
                                 .order_by(DataResource.code)))
        total = len(ids)
        for start in range(0, total, PAGE):
            out.write_page(s, ids[start:start + PAGE])
            done = min(start + PAGE, total)
            progress.step(done, total, f"{done:,}/{total:,}")
        progress.check()  # the last moment to stop: the file is assembled next
        book.close()
        audit.record(s, who, EventType.EXPORT, object_type="data_resources",
                     object_id=path.name, detail={"resources": total, "items": out.n_items,
                                                  "blank": blank, "filter": f.__dict__})
    return ExportResult(total, out.n_items, str(path))


@dataclass
class _Sheets:
    """The two data sheets being written, the next row of each, the items written so far and
    the names the rows show for ids."""

    resources: Any
    items: Any
    date_fmt: Any
    grade_names: dict[int, str]
    cat_codes: dict[int, str]
    r_row: int = 1
    i_row: int = 1
    n_items: int = 0

    def write_page(self, s: Any, chunk: list[int]) -> None:
        """The resources ``chunk`` (ids) in code order, each followed by its items in the items
        sheet. Raises LocatedProblems for a value that does not fit in a cell."""
        resources = s.scalars(select(DataResource).where(DataResource.id.in_(chunk))
                              .order_by(DataResource.code)).all()
        items: dict[int, list[DataItem]] = {}
        for item in s.scalars(select(DataItem).where(DataItem.resource_id.in_(chunk))
                              .order_by(DataItem.resource_id, DataItem.seq)):
            items.setdefault(item.resource_id, []).append(item)
        for r in resources:
            _write_row(self.resources, self.r_row, RESOURCE_COLUMNS, self._resource_values(r),
                       self.date_fmt, r.code)
            self.r_row += 1
            for item in items.get(r.id, []):
                _write_row(self.items, self.i_row, ITEM_COLUMNS, {
                    "resource_code": r.code, "seq": item.seq, "name": item.name,
                    "data_type": vocab.DATA_TYPE.label(item.data_type),
                    "length": item.length, "description": item.description,
                    "grade": self.grade_names.get(item.grade_id) if item.grade_id else None,
                    "is_authoritative": YES if item.is_authoritative else NO,
                    "standard_code": item.standard_code,
                }, self.date_fmt, f"{r.code} / {item.name}")
                self.i_row += 1
                self.n_items += 1

    def _resource_values(self, r: DataResource) -> dict[str, Any]:
        """The cells of ``r``'s row by column key (terms in Chinese, ids as codes or names)."""
        return {
            "code": r.code, "name": r.name, "category_code": self.cat_codes.get(r.category_id),
            "provider_code": r.provider_code, "region_code": r.region_code,
            "summary": r.summary,
            "format": vocab.RESOURCE_FORMAT.label(r.format),
            "sharing_type": vocab.SHARING_TYPE.label(r.sharing_type),
            "sharing_condition": r.sharing_condition, "sharing_basis": r.sharing_basis,
            "sharing_method": vocab.SHARING_METHOD.label(r.sharing_method),
            "open_type": vocab.OPEN_TYPE.label(r.open_type),
            "open_condition": r.open_condition,
            "update_cycle": vocab.UPDATE_CYCLE.label(r.update_cycle),
            "publish_date": r.publish_date, "related_codes": r.related_codes,
            "grade": self.grade_names.get(r.grade_id) if r.grade_id else None,
        }


def _write_row(sheet: Any, row: int, columns: tuple[Column, ...], values: dict[str, Any],
               date_fmt: Any, what: str = "") -> None:
    for c, col in enumerate(columns):
        value = values.get(col.key)
        if value is None or value == "":
            continue
        if isinstance(value, dt.date):
            sheet.write_datetime(row, c, dt.datetime(value.year, value.month, value.day), date_fmt)
        elif isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, c, value)
        else:
            text = str(value)
            # code points first: only a long value needs counting as Excel counts (UTF-16)
            if len(text) > CELL_MAX // 2 and (n := len(text.encode("utf-16-le")) // 2) > CELL_MAX:
                raise LocatedProblems([("", Problem("export_cell_too_long", "file", what, params={
                    "field_name": col.header, "length": f"{n:,}", "max": f"{CELL_MAX:,}"}))])
            sheet.write_string(row, c, text)
