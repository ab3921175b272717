"""The one progress protocol (govdesk/progress.py): every long service reports fractions that only
grow and end at 1, stops at its next report once cancelled, and then has written nothing; the CLI
draws it as a tqdm bar on a terminal and stays silent otherwise."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.excel.importer import import_catalog
from govdesk.catalog.profiling.profile import profile_file
from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.db.models import AuditEvent, DataResource
from govdesk.demo.load import catalogue_is_empty, load_demo
from govdesk.progress import Cancelled, Progress


class Recorder(Progress):
    """Keeps every report; cancels itself after ``cancel_after`` of them."""

    def __init__(self, cancel_after: int | None = None) -> None:
        super().__init__()
        self.reports: list[tuple[float, str]] = []
        self.cancel_after = cancel_after

    def show(self, fraction: float, message: str) -> None:
        self.reports.append((fraction, message))
        if self.cancel_after is not None and len(self.reports) >= self.cancel_after:
            self.cancel()

    @property
    def fractions(self) -> list[float]:
        return [f for f, _m in self.reports]


def assert_monotonic_to_one(p: Recorder) -> None:
    assert p.fractions, "no progress was reported"
    assert p.fractions == sorted(p.fractions), p.fractions
    assert p.fractions[-1] == pytest.approx(1.0)


# -- the protocol --------------------------------------------------------------------------
def test_sub_ranges_map_into_the_parent_and_share_its_cancel_flag() -> None:
    whole = Recorder()
    whole.report(0.1, "start")
    part = whole.sub(0.3, 0.8, "writing")
    part.step(1, 2)
    part.report(1.0, "done")
    nested = part.sub(0.5, 1.0)
    nested.report(0.0)
    assert whole.reports == [(0.1, "start"), (pytest.approx(0.55), "writing"),
                             (pytest.approx(0.8), "done"), (pytest.approx(0.55), "writing")]
    nested.cancel()
    assert whole.cancelled and part.cancelled
    with pytest.raises(Cancelled):
        whole.report(0.9)
    with pytest.raises(Cancelled):
        part.check()
    assert len(whole.reports) == 4  # a cancelled report shows nothing


def test_reports_are_clamped_and_an_empty_total_is_finished() -> None:
    p = Recorder()
    p.report(-1)
    p.report(7)
    p.step(0, 0)
    assert p.fractions == [0.0, 1.0, 1.0]


# -- the services ----------------------------------------------------------------------------
def as_data_admin(db: Database, accounts_for):  # type: ignore[no-untyped-def]
    """(handle, identity) of a province-wide data administrator: a real login on PostgreSQL."""
    return accounts_for(db).login("data_admin")


def audit_count(db: Database, event_type: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.event_type == event_type)) or 0


def test_export_reports_monotonic_progress(demo_db: Database, accounts_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    handle, who = as_data_admin(demo_db, accounts_for)
    p = Recorder()
    result = export_catalog(handle, who, tmp_path / "all.xlsx", progress=p)
    assert result.resources == 300
    assert_monotonic_to_one(p)


def test_a_cancelled_export_writes_no_file_and_no_audit(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    handle, who = as_data_admin(demo_db, accounts_for)
    before = audit_count(demo_db, "export")
    out = tmp_path / "cancelled.xlsx"
    with pytest.raises(Cancelled):
        export_catalog(handle, who, out, progress=Recorder(cancel_after=1))
    assert not out.exists()
    assert audit_count(demo_db, "export") == before


def new_resources_workbook(db: Database, who, out: Path) -> Path:  # type: ignore[no-untyped-def]
    """The demo catalogue exported with every resource under a new code: 300 inserts."""
    export_catalog(db, who, out)
    book = load_workbook(out)
    renamed = {}
    for row in book["数据资源"].iter_rows(min_row=2):
        renamed[row[0].value] = f"209/{900000 + row[0].row:06d}"
        row[0].value, row[2].value, row[15].value = renamed[row[0].value], "209", None
    for row in book["信息项"].iter_rows(min_row=2):
        row[0].value = renamed[row[0].value]
    book.save(out)
    return out


def catalogue_rows(db: Database) -> tuple[int, ...]:
    with db.engine.connect() as c:
        return tuple(c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in (
            "data_resources", "data_items", "resource_versions", "resource_search"))


def test_a_cancelled_import_rolls_back_what_it_wrote(demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    handle, who = as_data_admin(demo_db, accounts_for)
    path = new_resources_workbook(handle, who, tmp_path / "new.xlsx")
    before = catalogue_rows(demo_db)
    # the cancel lands after the first batch of rows is written (the writing phase starts at
    # 0.35; what comes before it reads and checks)
    class AfterFirstBatch(Recorder):
        def show(self, fraction: float, message: str) -> None:
            super().show(fraction, message)
            if fraction > 0.35:
                self.cancel()

    p = AfterFirstBatch()
    with pytest.raises(Cancelled):
        import_catalog(handle, who, path, progress=p)
    assert p.fractions[-1] > 0.35 and p.fractions == sorted(p.fractions)
    assert catalogue_rows(demo_db) == before
    p = Recorder()
    report = import_catalog(handle, who, path, progress=p)
    assert report.written and len(report.inserted) == 300
    assert_monotonic_to_one(p)
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(DataResource)) == 600


def test_demo_load_reports_progress_and_a_cancel_leaves_the_database_empty(db: Database) -> None:
    p = Recorder(cancel_after=3)
    with pytest.raises(Cancelled):
        load_demo(db, "small", progress=p)
    assert catalogue_is_empty(db)
    with db.engine.connect() as c:
        for table in ("organisations", "resource_samples", "access_events", "users"):
            assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
    p = Recorder()
    summary = load_demo(db, "small", progress=p)
    assert summary.rows["data_resources"] == 300
    assert_monotonic_to_one(p)
    assert {m.split()[0] for _f, m in p.reports} >= {"data_resources", "data_items"}


def test_profiling_reports_the_share_of_the_file_read(tmp_path: Path) -> None:
    path = tmp_path / "sample.csv"
    path.write_text("姓名,电话\n" + "".join(f"张{i},1380000{i:04d}\n" for i in range(3000)),
                    encoding="utf-8")
    p = Recorder()
    profile = profile_file(path, chunk_rows=250, progress=p)
    assert profile.rows == 3000
    assert len(p.fractions) == 12
    assert_monotonic_to_one(p)
    with pytest.raises(Cancelled):
        profile_file(path, chunk_rows=250, progress=Recorder(cancel_after=2))


# -- the CLI -------------------------------------------------------------------------------
class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def cli_user(db: Database, accounts_for, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    accounts = accounts_for(db)
    who = accounts.add("data_admin")
    if db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", db.url, "--user", who.username]


def test_cli_draws_a_bar_on_a_terminal_only(demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    user = cli_user(demo_db, accounts_for, monkeypatch)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["catalog", "export", str(tmp_path / "a.xlsx"), *user]) == 0
    bar = terminal.getvalue()
    assert "导出 a.xlsx" in bar and "100%|" in bar and "300/300" in bar
    terminal.truncate(0)
    terminal.seek(0)
    assert main(["catalog", "export", str(tmp_path / "b.xlsx"), *user, "--json"]) == 0
    assert terminal.getvalue() == ""  # --json: silent
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["resources"] == 300
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: silent
    assert main(["catalog", "export", str(tmp_path / "c.xlsx"), *user]) == 0
    assert sys.stderr.getvalue() == ""  # type: ignore[attr-defined]
