"""Check a workbook before anything parses it, so that a file the import cannot read faithfully
is refused with a message instead of being misread or ending the process.

What is checked, in this order, without parsing a sheet:

- the container: an Office Open XML workbook (.xlsx/.xlsm) or an OpenDocument spreadsheet
  (.ods); an encrypted workbook (an OLE compound file holding ``EncryptedPackage``), an old
  .xls, a binary .xlsb or anything else is named as such;
- the zip members: each member's real uncompressed size (counted while inflating, not taken
  from the header), the total, and the compression ratio of big members: a deflate bomb is
  refused before python-calamine sees it;
- the used range of the data sheets (the cells really present, not the ``<dimension>``
  element, which calamine ignores): calamine allocates rows x columns cells at once, and a
  single cell at XFD1048576 makes it abort the whole process (``memory allocation of
  549755813888 bytes failed``);
- formula cells: a formula without a cached value (the file was written by a program that does
  not calculate, e.g. openpyxl) and error values (``#DIV/0!``) are listed with their cells;
  calamine would read both as an empty cell.

The limits are set well above a province-scale export (100,000 resources with 1,000,000 data
items: a 37 MB file whose items sheet is 385 MB of XML, 1,000,303 rows x 9 columns).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from govdesk.catalog.excel.findings import (
    MAX_FILE_BYTES,
    MAX_MEMBER_BYTES,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    ODS_MIME,
    OLE_MAGIC,
    RATIO_FLOOR_BYTES,
    CellFinding,
    WorkbookCheck,
    _inflate,
    _problem,
    column_index,
    column_name,
)
from govdesk.catalog.excel.scan import _LongText, _scan_ods, _scan_sheet
from govdesk.catalog.messages import Problem

__all__ = ["MAX_FILE_BYTES", "CellFinding", "WorkbookCheck", "check_workbook", "column_index",
           "column_name"]


def check_workbook(path: Path, data_sheets: tuple[str, ...]) -> WorkbookCheck:
    """Check ``path`` (see the module docstring); ``data_sheets`` are the sheets that will be
    read. Never raises for a bad file: problems are in the result."""
    result = WorkbookCheck()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        result.problems.append(_problem("wb_file_too_big", path.name, mb=f"{size / 2**20:.0f}",
                                        max=MAX_FILE_BYTES // 2**20))
        return result
    with open(path, "rb") as f:
        head = f.read(8)
    if head == OLE_MAGIC:
        result.problems.append(_ole_problem(path))
        return result
    if not zipfile.is_zipfile(path):
        result.problems.append(_problem("wb_not_workbook", path.name))
        return result
    try:
        with zipfile.ZipFile(path) as z:
            _check_zip(z, path, data_sheets, result)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, KeyError) as exc:
        result.problems.append(_problem("wb_damaged", path.name, error=str(exc)))
    return result


def _ole_problem(path: Path) -> Problem:
    """An OLE compound file: an encrypted OOXML workbook, or an old binary .xls."""
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
    except Exception:  # noqa: BLE001 - a damaged compound file is simply "not readable"
        streams = set()
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return _problem("wb_encrypted", path.name)
    if "Workbook" in streams or "Book" in streams:
        return _problem("wb_legacy_xls", path.name)
    return _problem("wb_not_workbook", path.name)


def _kind(z: zipfile.ZipFile) -> str:
    names = set(z.namelist())
    if "mimetype" in names and z.read("mimetype").strip() == ODS_MIME:
        return "ods"
    if "[Content_Types].xml" in names:
        if any(n.lower().endswith("workbook.bin") for n in names):
            return "xlsb"
        if any(n.lower().endswith(("workbook.xml", "workbook1.xml")) for n in names):
            return "xlsx"
    return ""


def _check_zip(z: zipfile.ZipFile, path: Path, data_sheets: tuple[str, ...],
               result: WorkbookCheck) -> None:
    kind = _kind(z)
    if kind == "xlsb":
        result.problems.append(_problem("wb_xlsb", path.name))
        return
    if not kind:
        result.problems.append(_problem("wb_not_workbook", path.name))
        return
    result.kind = kind
    infos = z.infolist()
    declared = sum(i.file_size for i in infos)
    for info in infos:  # the header's sizes first: an honest bomb is refused at once
        problem = _size_problem(info.filename, info.file_size, info.compress_size)
        if problem:
            result.problems.append(problem)
            return
    if declared > MAX_TOTAL_BYTES:
        result.problems.append(_problem("wb_total_too_big", path.name,
                                        mb=declared // 2**20, max=MAX_TOTAL_BYTES // 2**20))
        return
    sheets = _sheet_members(z, data_sheets) if kind == "xlsx" else {}
    total = 0
    for info in infos:  # then the real sizes, counted while inflating
        sheet = sheets.get(info.filename)
        long_text = _LongText(sheet or path.name, result)
        if sheet is not None:
            scanned = _scan_sheet(z, info, sheet, result, long_text)
        elif kind == "ods" and info.filename == "content.xml":
            scanned = _scan_ods(z, info, result, long_text)
        elif info.filename.lower().endswith("sharedstrings.xml"):
            scanned = _inflate(z, info, long_text.feed)
        else:
            scanned = _inflate(z, info, lambda _chunk: None)
        long_text.finish()
        if scanned is None or result.problems:
            if not result.problems:
                result.problems.append(_problem("wb_member_too_big", info.filename,
                                                mb=f"> {MAX_MEMBER_BYTES // 2**20}",
                                                max=MAX_MEMBER_BYTES // 2**20))
            return
        total += scanned
        if total > MAX_TOTAL_BYTES:
            result.problems.append(_problem("wb_total_too_big", path.name, mb=total // 2**20,
                                            max=MAX_TOTAL_BYTES // 2**20))
            return


def _size_problem(name: str, size: int, packed: int) -> Problem | None:
    if size > MAX_MEMBER_BYTES:
        return _problem("wb_member_too_big", name, mb=size // 2**20,
                        max=MAX_MEMBER_BYTES // 2**20)
    if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(1, packed):
        return _problem("wb_ratio", name, ratio=size // max(1, packed), max=MAX_RATIO,
                        mb=size // 2**20)
    return None


def _sheet_members(z: zipfile.ZipFile, wanted: tuple[str, ...]) -> dict[str, str]:
    """Zip member name -> sheet name for the ``wanted`` sheets of an xlsx workbook."""
    import xml.etree.ElementTree as ET

    names = set(z.namelist())

    def rels_of(part: str) -> dict[str, str]:
        folder, _slash, base = part.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels not in names:
            return {}
        out = {}
        for el in ET.fromstring(z.read(rels)):
            target = el.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            elif folder:
                target = f"{folder}/{target}"
            parts: list[str] = []
            for p in target.split("/"):
                if p == "..":
                    if parts:
                        parts.pop()
                elif p not in ("", "."):
                    parts.append(p)
            out[el.get("Id", "")] = "/".join(parts)
        return out

    root = rels_of("")
    root = {k: v for k, v in root.items()}
    book = next((t for t in root.values() if t.lower().endswith(".xml") and t in names
                 and "workbook" in t.lower()), "xl/workbook.xml")
    if book not in names:
        return {}
    targets = rels_of(book)
    members: dict[str, str] = {}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for el in ET.fromstring(z.read(book)).iter():
        if el.tag.rpartition("}")[2] == "sheet" and el.get("name") in wanted:
            target = targets.get(el.get(rid, ""))
            if target:
                members[target] = str(el.get("name"))
    return members
