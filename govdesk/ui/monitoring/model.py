"""The access-log table: events matching the workbench's filter, newest first, by key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govdesk.db.engine import Database
from govdesk.db.keyset import KeyPage, Seek
from govdesk.monitoring.dto import AccessFilter, AccessRow
from govdesk.monitoring.workbench import count_access, page_access
from govdesk.security.identity import Identity
from govdesk.ui.format import fmt_datetime
from govdesk.ui.i18n import term
from govdesk.ui.ops import OperationRunner
from govdesk.ui.paged_model import PAGE_SIZE, PagedTableModel
from govdesk.vocab import ACCESS_ACTION


def when(row: AccessRow) -> str:
    """The event's local time to the second."""
    return fmt_datetime(row.ts) + row.ts.astimezone().strftime(":%S")


class AccessTableModel(PagedTableModel):
    """Access events matching :attr:`filter`. The first answer is a count capped at 10,000
    (above it, on PostgreSQL, an estimate: :attr:`count_exact` stays False until the exact
    count, asked for in the background, arrives)."""

    COLUMNS = ("ts", "username", "organisation", "resource", "grade", "action", "result",
               "rows", "host", "review")
    RIGHT_ALIGNED = frozenset({"rows"})

    def __init__(self, db: Database, who: Identity, runner: OperationRunner,
                 parent: Any = None) -> None:
        super().__init__(runner, parent)
        self.db, self.who = db, who
        self.filter = AccessFilter()

    def headers(self) -> dict[str, str]:
        return {"ts": self.tr("Time"), "username": self.tr("User"),
                "organisation": self.tr("Organisation"), "resource": self.tr("Resource"),
                "grade": self.tr("Grade"), "action": self.tr("Action"),
                "result": self.tr("Result"), "rows": self.tr("Rows"),
                "host": self.tr("Client"), "review": self.tr("Review")}

    def fetchers(self) -> tuple[Callable[[], int], Callable[[Seek], KeyPage[AccessRow]]]:
        db, who, f = self.db, self.who, self.filter
        return (lambda: count_access(db, who, f, cap=None).value,
                lambda seek: page_access(db, who, f, seek))

    def first_fetcher(self) -> Callable[[], tuple[int, bool, KeyPage[AccessRow]]]:
        db, who, f = self.db, self.who, self.filter

        def first() -> tuple[int, bool, KeyPage[AccessRow]]:
            n = count_access(db, who, f)
            return n.value, n.exact, page_access(db, who, f, Seek(limit=PAGE_SIZE))
        return first

    def cell(self, row: AccessRow, column: str) -> Any:
        if column == "ts":
            return when(row)
        if column == "username":
            return row.display_name or row.username
        if column == "organisation":
            return row.organisation_name or ""
        if column == "resource":
            return row.resource_name or row.resource_code or ""
        if column == "grade":
            return row.grade_name or ""
        if column == "action":
            return term(ACCESS_ACTION, row.action)
        if column == "result":
            return self.tr("Success") if row.success else self.tr("Denied")
        if column == "rows":
            return row.row_count
        if column == "host":
            return row.client_host or ""
        if row.review is None:
            return self.tr("Not reviewed")
        return self.tr("%1, %2").replace("%1", row.review.reviewed_by).replace(
            "%2", fmt_datetime(row.review.reviewed_at))
