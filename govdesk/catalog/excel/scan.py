"""Scanning sheet XML as it is inflated, without parsing it: the used range and the formula
cells of an xlsx sheet, formula cells of an OpenDocument ``content.xml``, and texts longer than
a cell holds (see :mod:`.check`)."""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass

from govdesk.catalog.excel.findings import (
    MAX_CELLS,
    MAX_LISTED,
    CellFinding,
    WorkbookCheck,
    _inflate,
    _problem,
    column_index,
    column_name,
)
from govdesk.catalog.messages import Problem

_COL = re.compile(rb' r="([A-Z]{1,3})\d')  # a cell's reference (rows have digits only)
_ROW_R = re.compile(rb'<row r="(\d+)"')
_PROW_R = re.compile(rb':row r="(\d+)"')
#: a row or cell whose first attribute is not its reference (then counted the slow way)
_NOT_R_FIRST = re.compile(rb'<(?:c|row)(?:>|/>|\s(?!r="))')
_PNOT_R_FIRST = re.compile(rb':(?:c|row)(?:>|/>|\s(?!r="))')
_ROW = re.compile(rb"<((?:[\w.-]+:)?)row\b([^>]*?)(?:/>|>(.*?)</\1row>)", re.S)
_CELL = re.compile(rb"<((?:[\w.-]+:)?)c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.S)
_ATTR_R = re.compile(rb'\sr\s*=\s*"([^"]*)"')
_ATTR_T = re.compile(rb'\st\s*=\s*"([^"]*)"')
_FORMULA = re.compile(rb"<((?:[\w.-]+:)?)f\b[^>]*?(?:/>|>(.*?)</\1f>)", re.S)
_VALUE = re.compile(rb"<((?:[\w.-]+:)?)v\b[^>]*?(?:/>|>(.*?)</\1v>)", re.S)
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# OpenDocument: a cell with a formula; its cached value is an office:*value attribute or text
_ODS_CELL = re.compile(rb"<table:table-cell\b([^>]*?table:formula=[^>]*?)(?:/>|>(.*?)"
                       rb"</table:table-cell>)", re.S)
_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ODS_FORMULA = re.compile(rb'table:formula="([^"]*)"')
_ODS_VALUE = re.compile(rb'office:value-type=')


#: the most characters one cell holds (Excel's limit; calamine cuts a longer text to it)
CELL_CHARS = 32_767
_LONG_RUN = re.compile(rb">([^<>]{%d,})" % (CELL_CHARS + 1))
_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))


class _LongText:
    """Texts longer than a cell holds, found in the XML as it is inflated: any run of
    characters between two tags longer than :data:`CELL_CHARS` (calamine would read it cut to
    that length, silently). Entities count as their characters, so a text just under the limit
    written with many ``&amp;`` may be reported; a text split into formatting runs is not."""

    def __init__(self, where: str, result: WorkbookCheck) -> None:
        self.where, self.result = where, result
        self.tail = b""
        self.found = False

    def feed(self, chunk: bytes) -> None:
        if self.found:
            return
        data = self.tail + chunk
        cut = data.rfind(b"<")
        if cut < 0:  # all text so far: keep it (bounded: reported once it is long enough)
            self.tail = data
            self._check(data if len(data) > 4 * CELL_CHARS else b"")
            return
        self.tail = data[cut:]
        self._check(data[:cut])

    def finish(self) -> None:
        self._check(self.tail)

    def _check(self, seg: bytes) -> None:
        if self.found or len(seg) <= CELL_CHARS:
            return
        for m in _LONG_RUN.finditer(seg):
            chars = len(m.group(1).translate(None, _UTF8_CONTINUATION))
            if chars > CELL_CHARS:
                self.found = True
                self.result.problems.append(_problem(
                    "wb_text_too_long", self.where, length=f"{chars:,}", max=f"{CELL_CHARS:,}"))
                return


class _SheetScan:
    """The used range and formula cells of one xlsx sheet, fed chunk by chunk."""

    def __init__(self, sheet: str, result: WorkbookCheck) -> None:
        self.sheet, self.result = sheet, result
        self.buf = b""
        self.max_row = self.max_col = 0
        self.prefixed: bool | None = None

    def feed(self, chunk: bytes) -> None:
        if self.prefixed is None:  # <x:worksheet ...>: every element carries a prefix
            head = chunk[:4096]
            self.prefixed = b"<worksheet" not in head or b":row " in chunk or b":c " in head
        self.buf += chunk
        cut = _last_row_end(self.buf)
        if cut < 0:
            return
        seg, self.buf = self.buf[:cut], self.buf[cut:]
        self._segment(seg)

    def _segment(self, seg: bytes) -> None:
        # cells beyond the widest column seen so far are rare: look for them before listing
        if self.max_col >= 26 or _beyond(self.max_col).search(seg):
            cols = set(_COL.findall(seg))
            if cols:
                self.max_col = max(self.max_col, *(column_index(c.decode()) + 1 for c in cols))
        rows = _ROW_R.findall(seg)
        if self.prefixed:
            rows += _PROW_R.findall(seg)
        if rows:
            self.max_row = max(self.max_row, *map(int, rows))
        if _NOT_R_FIRST.search(seg) or (self.prefixed and _PNOT_R_FIRST.search(seg)):
            self._slow(seg)  # references missing or not first: count row by row
        if b"<f" in seg or b't="e"' in seg or (self.prefixed and b":f" in seg):
            self._formulas(seg)

    def _slow(self, seg: bytes) -> None:
        row_no = self.max_row
        for m in _ROW.finditer(seg):
            ref = _ATTR_R.search(m.group(2))
            row_no = int(ref.group(1)) if ref and ref.group(1).isdigit() else row_no + 1
            self.max_row = max(self.max_row, row_no)
            col = 0
            for c in _CELL.finditer(m.group(3) or b""):
                cref = _ATTR_R.search(c.group(2))
                parsed = _REF.match(cref.group(1).decode(errors="replace")) if cref else None
                col = column_index(parsed.group(1)) + 1 if parsed else col + 1
                self.max_col = max(self.max_col, col)
                if parsed:
                    self.max_row = max(self.max_row, int(parsed.group(2)))

    def _formulas(self, seg: bytes) -> None:
        for c in _CELL.finditer(seg):
            attrs, body = c.group(2), c.group(3) or b""
            t = _ATTR_T.search(attrs)
            is_error = bool(t and t.group(1) == b"e")
            f = _FORMULA.search(body)
            if f is None and not is_error:
                continue
            v = _VALUE.search(body)
            # an empty value is a calculated empty string only in a string cell (Excel writes
            # <v></v> for ="" ); openpyxl writes <v/> for every formula: nothing calculated
            empty = v is None or not (v.group(2) or b"").strip()
            if f is not None and empty and (v is None or not t or t.group(1) != b"str"):
                kind = "no_value"
            elif is_error:
                kind = "error"
            else:
                continue
            ref = _ATTR_R.search(attrs)
            text = ref.group(1).decode(errors="replace") if ref else ""
            parsed = _REF.match(text)
            self._cell(CellFinding(
                self.sheet, text, int(parsed.group(2)) if parsed else None,
                column_index(parsed.group(1)) if parsed else None, kind,
                _xml_text(f.group(2) if f else b""), _xml_text(v.group(2) if v else b"")))

    def _cell(self, finding: CellFinding) -> None:
        listed = sum(1 for c in self.result.cells if c.sheet == self.sheet)
        if listed < MAX_LISTED:
            self.result.cells.append(finding)
        else:
            self.result.more_cells[self.sheet] = self.result.more_cells.get(self.sheet, 0) + 1

    def finish(self) -> None:
        end = self.buf.find(b"sheetData>")  # what follows holds formulas of data validations
        if end >= 0:
            self._segment(self.buf[:end])
        elif self.buf:
            self._segment(self.buf)
        self.buf = b""


@functools.lru_cache(maxsize=32)
def _beyond(width: int) -> re.Pattern[bytes]:
    """A cell reference in a column after the first ``width`` (< 26) columns."""
    return re.compile(rb' r="(?:[' + bytes([65 + width]) + rb'-Z]|[A-Z]{2,3})\d')


def _last_row_end(buf: bytes) -> int:
    """The offset just after the last closing row tag in ``buf``, or -1."""
    cut = len(buf)
    while (cut := buf.rfind(b"row>", 0, cut)) >= 0:
        lt = buf.rfind(b"<", 0, cut)
        if lt >= 0 and buf[lt + 1:lt + 2] == b"/":
            return cut + 4
    return -1


def _xml_text(raw: bytes | None) -> str:
    from html import unescape

    return unescape((raw or b"").decode("utf-8", errors="replace"))[:200]


def _scan_sheet(z: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str,
                result: WorkbookCheck, long_text: _LongText) -> int | None:
    scan = _SheetScan(sheet, result)

    def feed(chunk: bytes) -> None:
        scan.feed(chunk)
        long_text.feed(chunk)

    size = _inflate(z, info, feed)
    if size is None:
        return None
    scan.finish()
    cells = scan.max_row * scan.max_col
    if cells > MAX_CELLS:
        result.problems.append(Problem("wb_range_too_big", "file", sheet, params={
            "ref": f"A1:{column_name(max(0, scan.max_col - 1))}{scan.max_row}",
            "rows": f"{scan.max_row:,}", "cols": f"{scan.max_col:,}", "cells": f"{cells:,}",
            "max": f"{MAX_CELLS:,}"}))
    return size


def _scan_ods(z: zipfile.ZipFile, info: zipfile.ZipInfo, result: WorkbookCheck,
              long_text: _LongText) -> int | None:
    """An OpenDocument content.xml: formula cells without a value (calamine refuses huge
    repeated ranges itself, with an error, before allocating them)."""
    state = _OdsState()

    def feed(chunk: bytes) -> None:
        long_text.feed(chunk)
        data = state.buf + chunk
        cut = data.rfind(b"</table:table-row>")
        if cut < 0:
            state.buf = data
            return
        state.buf = data[cut:]
        _ods_formulas(data[:cut], state, result)

    size = _inflate(z, info, feed)
    if size is not None and state.buf:
        _ods_formulas(state.buf, state, result)
    return size


@dataclass
class _OdsState:
    buf: bytes = b""
    table: str = ""  #: the sheet being read


def _ods_formulas(seg: bytes, state: _OdsState, result: WorkbookCheck) -> None:
    if b"table:formula=" not in seg:
        tables = _ODS_TABLE.findall(seg)
        if tables:
            state.table = _xml_text(tables[-1])
        return
    events = sorted([(m.start(), "t", m) for m in _ODS_TABLE.finditer(seg)]
                    + [(m.start(), "c", m) for m in _ODS_CELL.finditer(seg)],
                    key=lambda e: e[0])
    for _pos, what, m in events:
        if what == "t":
            state.table = _xml_text(m.group(1))
            continue
        attrs, body = m.group(1), m.group(2) or b""
        if _ODS_VALUE.search(attrs) or b"<text:p" in body:
            continue
        formula = _ODS_FORMULA.search(attrs)
        sheet = state.table
        finding = CellFinding(sheet, "", None, None, "no_value",
                              _xml_text(formula.group(1) if formula else b""), "")
        if sum(1 for c in result.cells if c.sheet == sheet) < MAX_LISTED:
            result.cells.append(finding)
        else:
            result.more_cells[sheet] = result.more_cells.get(sheet, 0) + 1
