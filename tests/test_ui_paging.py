"""GUI: ``PagedTableModel`` pages by key. Scrolling asks for each page by its neighbour's key
(nothing passed over); a jump (a scrollbar dragged far) seeks from the nearest known key, one
seek at a time, the most recent first; the rows shown are the list's whatever way they came.
Then the catalogue model over a real database, as a real login."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from govdesk.catalog.search.browse import ResourceFilter, list_resources
from govdesk.db.engine import Database
from govdesk.db.keyset import Key, KeyPage, Seek
from govdesk.ui.catalog.model import ResourceTableModel
from govdesk.ui.ops import OperationRunner
from govdesk.ui.paged_model import MAX_PENDING_SEEKS, PAGE_SIZE, PagedTableModel

pytestmark = pytest.mark.gui


class FakeList:
    """A sorted list of ``n`` rows (row i has key i) answering seeks as a service does, and
    recording them; ``gate`` holds seeks (skip > 0) until set."""

    def __init__(self, n: int) -> None:
        self.rows = list(range(n))
        self.seeks: list[Seek] = []
        self.served: list[int] = []  #: the first row of each page answered, in order
        self.gate = threading.Event()
        self.gate.set()

    def page(self, seek: Seek) -> KeyPage[int]:
        self.seeks.append(seek)
        if seek.skip > 0:
            assert self.gate.wait(10)
        if seek.backward:
            end = len(self.rows) if seek.after is None else bisect.bisect_left(
                self.rows, seek.after.tie)
            end -= seek.skip
            got = list(reversed(self.rows[max(0, end - seek.limit):max(0, end)]))
        else:
            start = 0 if seek.after is None else bisect.bisect_right(self.rows, seek.after.tie)
            start += seek.skip
            got = self.rows[start:start + seek.limit]
        page = KeyPage.fetched(got, [Key(r, r) for r in got], seek)
        self.served.append(page.rows[0] if page.rows else -1)
        return page


class FakeModel(PagedTableModel):
    COLUMNS = ("n",)

    def __init__(self, data: FakeList, runner: OperationRunner) -> None:
        super().__init__(runner)
        self.source = data

    def fetchers(self) -> tuple[Callable[[], int], Callable[[Seek], KeyPage[Any]]]:
        source = self.source
        return (lambda: len(source.rows), source.page)

    def cell(self, row: Any, column: str) -> Any:
        return str(row)

    def headers(self) -> dict[str, str]:
        return {"n": "n"}


def make(qtbot, n: int) -> tuple[FakeModel, FakeList, OperationRunner]:  # type: ignore[no-untyped-def]
    source = FakeList(n)
    runner = OperationRunner(show_errors=False)
    model = FakeModel(source, runner)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload()
    assert runner.wait_idle()
    return model, source, runner


@pytest.fixture
def fake(qapp: QApplication, qtbot) -> tuple[FakeModel, FakeList, OperationRunner]:  # type: ignore[no-untyped-def]
    return make(qtbot, 100_000)


def shown(model: PagedTableModel, runner: OperationRunner, rows: range) -> list[Any]:
    for r in rows:
        model.row_at(r)
    assert runner.wait_idle()
    return [model.row_at(r) for r in rows]


def test_scrolling_asks_each_page_by_its_neighbours_key(qapp, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model, source, runner = make(qtbot, 6_100)  # qtmodeltester visits every row
    qtmodeltester.check(model)
    for page in range(1, 30):  # a user scrolling down, one page after the other
        assert shown(model, runner, range(page * PAGE_SIZE, page * PAGE_SIZE + 5)) == list(
            range(page * PAGE_SIZE, page * PAGE_SIZE + 5))
    assert [s.skip for s in source.seeks] == [0] * 30
    qtmodeltester.check(model)
    assert all(s.after == Key(p * PAGE_SIZE - 1, p * PAGE_SIZE - 1)
               for p, s in enumerate(source.seeks[1:], start=1))


def test_a_jump_seeks_from_the_nearest_key_then_scrolls_by_key(fake) -> None:  # type: ignore[no-untyped-def]
    model, source, runner = fake
    source.seeks.clear()
    assert shown(model, runner, range(99_990, 100_000)) == list(range(99_990, 100_000))
    assert source.seeks == [Seek(backward=True, limit=PAGE_SIZE)]  # the end, when the count is exact
    source.seeks.clear()
    middle = 50_000
    assert shown(model, runner, range(middle, middle + 3)) == [middle, middle + 1, middle + 2]
    (jump,) = source.seeks
    assert 0 < jump.skip <= 50_000  # from the nearer end, never more than half the list
    source.seeks.clear()
    assert shown(model, runner, range(middle + 200, middle + 202)) == [middle + 200, middle + 201]
    assert shown(model, runner, range(middle - 200, middle - 198)) == [middle - 200, middle - 199]
    assert [s.skip for s in source.seeks] == [0, 0]  # neighbours of the page jumped to
    assert source.seeks[1].backward


def test_seeks_run_one_at_a_time_newest_first(fake) -> None:  # type: ignore[no-untyped-def]
    model, source, runner = fake
    source.seeks.clear()
    source.served.clear()
    source.gate.clear()
    jumps = [10_000 + i * 4_000 for i in range(MAX_PENDING_SEEKS + 3)]
    for row in jumps:  # a drag over many positions: the first seek runs, the rest wait
        assert model.row_at(row) is None
    source.gate.set()
    assert runner.wait_idle()
    assert len(source.seeks) == 1 + MAX_PENDING_SEEKS
    # the first, then where the user is now, back to the oldest still waiting
    assert source.served == [row // PAGE_SIZE * PAGE_SIZE for row in
                             [jumps[0], *reversed(jumps[3:])]]
    forgotten = jumps[1:3]  # the oldest waiting ones were dropped, and are asked for again
    for row in forgotten:
        assert model.row_at(row) is None
    assert runner.wait_idle()
    assert [model.row_at(r) for r in jumps] == jumps


def test_a_capped_count_never_seeks_from_the_end(fake) -> None:  # type: ignore[no-untyped-def]
    model, source, runner = fake
    model.count_exact = False
    assert model.plan(400).backward is False
    model.count_exact = True
    assert model.plan(499).backward is True and model.plan(499).skip == 0


@pytest.mark.parametrize(("sort", "descending"), [("code", False), ("grade", True),
                                                  ("name", False)])
def test_catalogue_model_shows_the_offset_rows_as_a_real_login(  # type: ignore[no-untyped-def]
        qapp: QApplication, qtbot, qtmodeltester, demo_db: Database, accounts_for,
        monkeypatch: pytest.MonkeyPatch, sort: str, descending: bool) -> None:
    """A small page size makes the 300-resource demo a long list: pages by key, a jump to the
    middle, the end, back up; every row is the offset list's."""
    import govdesk.ui.paged_model as paged

    import govdesk.ui.catalog.model as catalog_model

    monkeypatch.setattr(paged, "PAGE_SIZE", 9)
    monkeypatch.setattr(catalog_model, "PAGE_SIZE", 9)
    handle, who = accounts_for(demo_db).login("viewer")
    runner = OperationRunner(show_errors=False)
    model = ResourceTableModel(handle, who, runner)
    f = ResourceFilter(sort=sort, descending=descending)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(f)
    assert runner.wait_idle()
    qtmodeltester.check(model)
    expected = [r.id for r in list_resources(handle, who, f, 0, 1000)]
    order = [*range(150, 160), *range(290, 300), *range(100, 110), *range(9, 30), *range(300)]
    for r in order:
        model.row_at(r)
        if r % 7 == 0:
            assert runner.wait_idle()
    assert runner.wait_idle()
    assert [model.row_at(r).id for r in range(300)] == expected
    assert runner.errors == []
