"""What a catalogue import reports: every problem by sheet, row and column, the warnings, and
the changes it made or would make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    """The outcome of one import: ``ok`` when the file is clean, ``written`` when it was
    written; the problems and warnings, and the codes inserted and updated (or that would be,
    on a dry run)."""

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


def chooser(lang: str) -> Callable[..., str]:
    """``msg(zh, en, **params)``: the text in ``lang`` ("zh": the Chinese one, else the
    English one) with ``params`` filled in."""
    def msg(zh: str, en: str, **kw: Any) -> str:
        return (zh if lang == "zh" else en).format(**kw)
    return msg
