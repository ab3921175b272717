"""Profile a sample file (CSV or Excel): per column the null rate, the distinct count and what
the values are (see :mod:`govdesk.catalog.profiling.detectors`).

Counts cover every row: the file is read in chunks, nulls are counted per chunk and distinct
values are counted exactly by their 64-bit hashes (8 bytes a value, whatever its length).
Detectors run on a sample of up to ``sample_size`` distinct values per column, taken evenly from
every chunk, so a file sorted by one column is not judged by its first rows only.

A profile holds a few example values as read; callers mask them by grade before showing them
(:func:`govdesk.catalog.classification.suggestions.masked_examples`). No profile is stored with raw values.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from govdesk.catalog.profiling.detectors import Detection, detect
from govdesk.errors import InputRejected
from govdesk.progress import Progress

if TYPE_CHECKING:  # pandas and numpy load when a file is profiled, not with the window
    import numpy as np
    import pandas as pd

CHUNK_ROWS = 200_000
SAMPLE_SIZE = 5_000
MAX_COLUMNS = 500
EXAMPLES = 5


@dataclass(frozen=True)
class ColumnProfile:
    """One column of a profiled file."""

    name: str
    rows: int
    nulls: int
    distinct: int
    detection: Detection
    examples: tuple[str, ...]  #: a few values as read: mask before showing

    @property
    def null_rate(self) -> float:
        return round(self.nulls / self.rows, 4) if self.rows else 0.0


@dataclass(frozen=True)
class FileProfile:
    """Every column of one file, in file order."""

    path: str
    rows: int
    columns: tuple[ColumnProfile, ...]
    seconds: float


class _Column:
    """Running totals for one column across chunks."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows = 0
        self.nulls = 0
        self.hashes: list[np.ndarray] = []
        self.sample: list[str] = []

    def add(self, values: pd.Series, per_chunk: int, cap: int) -> None:
        import pandas as pd

        self.rows += len(values)
        present = values.dropna()
        self.nulls += len(values) - len(present)
        if present.empty:
            return
        arr = present.to_numpy(dtype=object)
        self.hashes.append(pd.util.hash_array(arr, categorize=False))
        if len(self.sample) < cap:
            uniq = pd.unique(arr[: per_chunk * 20])[:per_chunk]
            self.sample.extend(str(v) for v in uniq[: cap - len(self.sample)])

    def result(self) -> ColumnProfile:
        import numpy as np
        import pandas as pd

        distinct = len(pd.unique(np.concatenate(self.hashes))) if self.hashes else 0
        return ColumnProfile(self.name, self.rows, self.nulls, distinct,
                             detect(self.name, self.sample), tuple(self.sample[:EXAMPLES]))


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the first 1 MB decodes as UTF-8, else GB18030 (what Excel
    and WPS on Chinese Windows write)."""
    head = _head(path)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 1 MB boundary
            return "gb18030"
    return "utf-8-sig"


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(1 << 20)


#: a chunk of rows and the fraction of the file read once it is done
Chunks = Iterator[tuple["pd.DataFrame", float]]


def _csv_chunks(path: Path, chunk_rows: int) -> Chunks:
    import pandas as pd

    size = max(1, path.stat().st_size)
    with path.open("rb") as f:  # a binary handle: its position is the bytes read so far
        reader = pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""],
                             encoding=_csv_encoding(path), chunksize=chunk_rows,
                             skipinitialspace=True)
        with reader:
            for chunk in reader:
                yield chunk, min(1.0, f.tell() / size)


def _excel_chunks(path: Path, chunk_rows: int) -> Chunks:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    from govdesk.catalog.excel.check import check_workbook

    checked = path.suffix.lower() == ".xls"
    try:
        if not checked:  # bombs and encrypted files refused before calamine opens the file
            check = check_workbook(path, ())
            if check.problems:
                raise InputRejected("profile_workbook_refused", problem=check.problems[0])
        book = CalamineWorkbook.from_path(str(path))
        if not checked and book.sheet_names:  # then the first sheet's used range
            check = check_workbook(path, (book.sheet_names[0],))
            if check.problems:
                raise InputRejected("profile_workbook_refused", problem=check.problems[0])
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except InputRejected:
        raise
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        raise InputRejected("profile_not_excel", name=path.name, reason=exc) from exc
    if not rows:
        return
    header = [str(h).strip() or f"column{i + 1}" for i, h in enumerate(rows[0])]
    body = rows[1:]
    for start in range(0, max(len(body), 1), chunk_rows):
        part = [[_cell(v) for v in r] for r in body[start:start + chunk_rows]]
        yield (pd.DataFrame(part, columns=header, dtype=object),
               min(1.0, (start + chunk_rows) / max(1, len(body))))


def _cell(v: object) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def profile_file(path: str | Path, *, sample_size: int = SAMPLE_SIZE,
                 chunk_rows: int = CHUNK_ROWS,
                 progress: Progress | None = None) -> FileProfile:
    """Profile the CSV (.csv, .txt; UTF-8 or GB18030) or Excel (.xlsx, .xls, .ods) file at
    ``path``; its first row holds the column names.

    Reports to ``progress`` after each chunk (the share of the file read); a cancelled ``progress`` stops the read with :class:`Cancelled`. Raises
    InputRejected for a missing, empty, unreadable or over-wide file, naming the file.
    """
    import pandas as pd

    progress = progress or Progress()
    started = time.perf_counter()
    p = Path(path)
    if not p.is_file():
        raise InputRejected("file_missing", path=p)
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        chunks: Chunks = _excel_chunks(p, chunk_rows)
    elif suffix in (".csv", ".txt", ".tsv"):
        chunks = _csv_chunks(p, chunk_rows)
    else:
        raise InputRejected("profile_file_type", name=p.name)
    columns: dict[str, _Column] = {}
    chunk_estimate = max(1, p.stat().st_size // (64 * chunk_rows) + 1)
    per_chunk = max(200, sample_size // chunk_estimate)
    rows = 0
    try:
        for chunk, read in chunks:
            if not columns:
                if len(chunk.columns) > MAX_COLUMNS:
                    raise InputRejected("profile_too_wide", name=p.name,
                                        columns=len(chunk.columns), max=MAX_COLUMNS)
                columns = {str(c): _Column(str(c)) for c in chunk.columns}
            for name, col in zip(columns, chunk.columns, strict=True):
                columns[name].add(chunk[col], per_chunk, sample_size)
            rows += len(chunk)
            progress.report(read)
    except pd.errors.EmptyDataError as exc:  # a ValueError too: catch it first
        raise InputRejected("file_empty", name=p.name) from exc
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputRejected("profile_unreadable", name=p.name, row=rows + 1,
                            reason=str(exc).splitlines()[0]) from exc
    if not columns:
        raise InputRejected("file_empty", name=p.name)
    return FileProfile(str(p), rows, tuple(c.result() for c in columns.values()),
                       round(time.perf_counter() - started, 3))
