"""Reading a sheet of the catalogue workbook: find its header (below a title, merged or repeated
rows), report header cells that are not the template's, and clean every data cell (see the
cleaning rules in :mod:`govdesk.catalog.excel.importer`)."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from typing import Any

from govdesk.catalog.excel.check import column_name
from govdesk.catalog.excel.layout import Column
from govdesk.catalog.excel.report import ImportError_, ImportReport
from govdesk.catalog.messages import Problem

#: free text, kept exactly as written (see the importer's module docstring)
FREE_TEXT = frozenset({"summary", "sharing_condition", "sharing_basis", "open_condition",
                       "description"})
KEEP, TRIM, CODE = 0, 1, 2  #: how a column's text is cleaned
#: columns holding codes, numbers and dates, where full-width characters are normalised
#: (NFKC); free text keeps its Chinese punctuation (NFKC would turn "：" into ":")
CODE_LIKE = frozenset({"code", "category_code", "provider_code", "region_code", "related_codes",
                       "seq", "length", "publish_date", "resource_code", "standard_code"})


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
        self.headers: dict[str, str] = {}  #: column key -> its header, for the columns present
        header_at, mapping = _find_header(rows, columns, required)
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
        self.records = _records(rows, header_at, mapping)


def _find_header(rows: list[list[Any]], columns: tuple[Column, ...], required: tuple[str, ...]
                 ) -> tuple[int | None, dict[int, Column]]:
    """(0-based index of the header row, 0-based column index -> its column) of the first of the
    first 20 rows naming at least half the required columns (and two); (None, {}) without."""
    by_header = {_norm_text(c.header): c for c in columns}
    for i, row in enumerate(rows[:20]):  # the header may sit below a title or merged rows
        found = {j: by_header[_norm_text(v)] for j, v in enumerate(row)
                 if isinstance(v, str) and _norm_text(v) in by_header}
        if len(found) >= max(2, len(required) // 2):
            return i, found
    return None, {}


def _records(rows: list[list[Any]], header_at: int, mapping: dict[int, Column]
             ) -> list[tuple[int, dict[str, Any]]]:
    """(1-based row number, cleaned record) of the data rows below the header, blank rows and
    repeated headers left out."""
    records = []
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
        records.append((i, _clean_row(row, keyed)))
    return records


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
