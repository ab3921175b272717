"""What the workbook check finds and the limits it applies (see :mod:`.check`): the cells the
import cannot read faithfully, the problems that refuse a file, column names, and inflating a
zip member while counting its real size."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from govdesk.catalog.messages import Problem

#: a file bigger than this is not read at all (a province export is 37 MB)
MAX_FILE_BYTES = 150 * 2**20
#: the real uncompressed size of one member, and of all members (a province export: 385 MB
#: for its biggest member, 490 MB in all)
MAX_MEMBER_BYTES = 1 * 2**30
MAX_TOTAL_BYTES = 3 * 2**29
#: a member bigger than RATIO_FLOOR_BYTES that inflates more than MAX_RATIO times is a bomb
#: (real sheets: 13-14 times; a deflate bomb: hundreds of times)
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 64 * 2**20
#: rows x columns of a data sheet's used range (a province export's items sheet: 9,000,000;
#: a resources sheet filled to Excel's last row: 17,800,000)
MAX_CELLS = 25_000_000
#: formula cells listed one by one before the rest are only counted
MAX_LISTED = 20

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
CHUNK = 8 * 2**20


@dataclass(frozen=True)
class CellFinding:
    """A cell the import cannot read faithfully: ``kind`` is "no_value" or "error"."""

    sheet: str
    ref: str  # e.g. "F2"; "" when the writer gave no reference
    row: int | None
    column: int | None  # 0-based
    kind: str
    formula: str
    value: str


@dataclass
class WorkbookCheck:
    """What :func:`check_workbook` found: ``kind`` ("xlsx" or "ods"), problems that refuse the
    file before it is read, and cells to report once the headers are known."""

    kind: str = ""
    problems: list[Problem] = field(default_factory=list)
    cells: list[CellFinding] = field(default_factory=list)
    #: formula cells beyond the listed ones, per sheet
    more_cells: dict[str, int] = field(default_factory=dict)


def column_index(letters: str) -> int:
    """0-based index of a column name ("A" = 0, "XFD" = 16383)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_name(index: int) -> str:
    name, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _problem(code: str, value: object = None, **params: object) -> Problem:
    return Problem(code, "file", value, params=params)


def _inflate(z: zipfile.ZipFile, info: zipfile.ZipInfo,
             use: object) -> int | None:
    """Inflate ``info`` chunk by chunk, passing each to ``use``; the real size, or None as soon
    as it passes MAX_MEMBER_BYTES."""
    n = 0
    with z.open(info) as f:
        while chunk := f.read(CHUNK):
            n += len(chunk)
            if n > MAX_MEMBER_BYTES:
                return None
            use(chunk)  # type: ignore[operator]
    return n
