"""What the demo generator works in: rows, tables of rows to bulk-load, and the reference data
(regions, grades, categories) it reads from the migrated database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Row = tuple[object, ...]


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: int
    parent_code: str | None


@dataclass(frozen=True)
class Reference:
    """What the generator needs from the migrated database."""

    province: RegionRef
    national: RegionRef
    regions: list[RegionRef]  #: the province's cities and counties
    grade_ids: dict[str, int]  #: grade code -> id (active scheme)
    grade_ranks: dict[str, int]
    category_ids: dict[str, int]  #: category code -> id


@dataclass
class TableData:
    """Rows for one table: ``chunks()`` yields lists of tuples in ``columns`` order."""

    table: str
    columns: tuple[str, ...]
    count: int
    chunks: Callable[[], Iterator[list[Row]]]
    #: columns holding timestamps (rendered as text; PostgreSQL gets a UTC offset appended)
    ts_columns: tuple[str, ...] = field(default=())


CHUNK = 200_000
