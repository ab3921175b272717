"""Writing the catalogue (issue 11, the write side), as real logins on both databases: a city
data administrator (杭州市) and a province data administrator (浙江省), through the CLI and the
editor's service.

* Values the database cannot hold (too long for their column, too large, a NUL character) are
  reported before anything is written, cell by cell, in Chinese and English, identically on
  SQLite and PostgreSQL.
* A code that another area's resource holds cannot be used: the import reports it at its row
  ("this code cannot be used", the same on both databases, naming nothing of the resource that
  holds it), the editor refuses it, and that resource is never moved, renamed or touched.
* Updating many resources is batched (bench ``catalog_import_update``) and writes what single
  saves write: each resource's version goes up by one with a version row holding what is
  stored, data items are kept by name (their ids), reordered, removed and added, grades are
  raised (就高从严) and never lowered by a data administrator, the search documents are
  rebuilt; a resource someone else saved after the file was checked is a conflict (exit code
  4) and nothing is written; two imports of the same resources never interleave; a
  cancelled import leaves nothing.
* ``govdesk catalog import`` shows its progress on standard error (a bar on a terminal, plain
  lines in a log), none with ``--json`` or ``--quiet``; the result stays on standard output.
* Two imports adding the same new code at once, or a save racing an import: the second gets a
  conflict (exit code 4) naming the code, in the user's language, and writes nothing. A
  deadlock, a serialization failure, a lock wait given up (PostgreSQL) and a busy database
  (SQLite) are a "conflict, nothing saved, try again" with exit code 4, never a traceback.

Every test asserts the exit code or the exception, the message, and the catalogue's rows: a
digest unchanged, or exactly the resources that were meant to change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import text

from govdesk.catalog.editing import resources as editing
from govdesk.catalog.excel import importer as xi
from govdesk.catalog.editing.resources import (
    ItemDraft,
    ResourceDraft,
    ValidationFailed,
    history,
    load_draft,
    save_resource,
)
from govdesk.catalog.excel.importer import ImportCancelled, import_catalog
from govdesk.progress import Cancelled, Progress
from govdesk.catalog.search.index import document
from govdesk.cli import main
from govdesk.db import engine as engine_module
from govdesk.db.engine import Database
from govdesk.errors import ConflictError, DatabaseBusy, DuplicateKey, InputRejected

#: the two logins every test runs as: region codes of 杭州市 and 浙江省
REGIONS = {"city": "330100", "province": "330000"}
TABLES = ("data_resources", "data_items", "resource_versions", "resource_search")
Sheets = dict[str, list[list[Any]]]


def fingerprint(db: Database) -> str:
    """A digest of every row of the tables a catalogue write touches (read as the owner)."""
    h = hashlib.sha256()
    with db.engine.connect() as c:
        for table in TABLES:
            for row in c.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def per_resource(db: Database) -> dict[str, str]:
    """Resource code -> digest of its row, its data items and its versions."""
    with db.engine.connect() as c:
        ids = dict(c.execute(text("SELECT id, code FROM data_resources")).all())
        out: dict[str, hashlib._Hash] = {code: hashlib.sha256() for code in ids.values()}
        for row in c.execute(text("SELECT * FROM data_resources ORDER BY id")):
            out[row.code].update(repr(tuple(row)).encode())
        for table in ("data_items", "resource_versions", "resource_search"):
            for row in c.execute(text(f"SELECT * FROM {table} ORDER BY resource_id, 1")):
                out[ids[row.resource_id]].update(repr((table, *row)).encode())
    return {code: h.hexdigest() for code, h in out.items()}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {c for c in before.keys() | after.keys() if before.get(c) != after.get(c)}


class Login:
    """A data administrator of a region, logged in: the service handle and the CLI's arguments."""

    def __init__(self, db: Database, accounts: Any, region: str,
                 monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.accounts, self.capsys = db, accounts, capsys
        self.handle, self.who = accounts.login("data_admin", region=region)
        self.prefix = region.rstrip("0") if region != "330000" else "33"
        if db.is_postgres:
            self.args = ["--db", accounts.url_for(self.who.username)]
        else:
            monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
            self.args = ["--db", db.url, "--user", self.who.username]

    def run(self, *argv: str, lang: str = "en") -> tuple[int, dict[str, Any]]:
        self.capsys.readouterr()
        code = main(["catalog", *argv, "--json", "--lang", "en" if lang == "en" else "zh_CN",
                     *self.args])
        return code, json.loads(self.capsys.readouterr().out)

    def export(self, path: Path) -> Path:
        code, data = self.run("export", str(path))
        assert code == 0, data
        return path

    def resource_ids(self, n: int) -> list[tuple[int, str]]:
        """(id, code) of ``n`` resources of this login's region."""
        with self.db.engine.connect() as c:
            return [tuple(r) for r in c.execute(text(  # type: ignore[misc]
                "SELECT id, code FROM data_resources WHERE region_code LIKE :p ORDER BY code "
                "LIMIT :n"), {"p": self.prefix + "%", "n": n})]


@pytest.fixture(params=sorted(REGIONS))
def login(request: pytest.FixtureRequest, demo_db: Database, accounts_for: Any,
          monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Login:
    return Login(demo_db, accounts_for(demo_db), REGIONS[request.param], monkeypatch, capsys)


def read(path: Path) -> Sheets:
    book = CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names}


def write(path: Path, sheets: Sheets) -> Path:
    """Write ``sheets`` with XlsxWriter (which, unlike openpyxl, keeps control characters such
    as NUL, as Excel's _x0000_ escape)."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.write(r, c, value)
    book.close()
    return path


def rewrite(src: Path, dst: Path, edit: Callable[[Sheets], None]) -> Path:
    sheets = read(src)
    edit(sheets)
    return write(dst, sheets)


def col(sheet: list[list[Any]], header: str) -> int:
    return sheet[0].index(header)


# -- 1. limits checked before writing ------------------------------------------------------


def test_values_the_database_cannot_hold_are_reported_before_writing(
        login: Login, demo_db: Database, tmp_path: Path) -> None:
    src = login.export(tmp_path / "catalogue.xlsx")

    def edit(sheets: Sheets) -> None:
        res, items = sheets["数据资源"], sheets["信息项"]
        res[1][col(res, "资源名称")] = "名" * 301
        res[2][col(res, "摘要")] = "摘要里有\x00空字符"
        res[3][col(res, "共享条件")] = "条件\x00"
        items[1][col(items, "信息项名称")] = "项" * 201
        items[2][col(items, "标准数据元代码")] = "D" * 41
        items[3][col(items, "长度")] = 2**31
        items[4][col(items, "说明")] = "\x00"

    bad = rewrite(src, tmp_path / "bad.xlsx", edit)
    before = fingerprint(demo_db)
    expected = {
        ("数据资源", 2, "资源名称"): ("有 301 个字符，超过 300 个字符的上限", "has 301 characters, more than the 300"),
        ("数据资源", 3, "摘要"): ("第 5 个字符是空字符（U+0000）", "NUL character (U+0000) at position 5"),
        ("数据资源", 4, "共享条件"): ("空字符（U+0000）", "NUL character"),
        ("信息项", 2, "信息项名称"): ("有 201 个字符，超过 200 个字符的上限", "has 201 characters, more than the 200"),
        ("信息项", 3, "标准数据元代码"): ("有 41 个字符，超过 40 个字符的上限", "has 41 characters, more than the 40"),
        ("信息项", 4, "长度"): ("超过上限 2147483647", "is larger than 2147483647"),
        ("信息项", 5, "说明"): ("空字符（U+0000）", "NUL character"),
    }
    for n, lang in enumerate(("zh", "en")):
        code, data = login.run("import", str(bad), lang=lang)
        assert code == 1 and data["ok"] is False and data["written"] is False
        got = {(e["sheet"], e["row"], e["column"]): e["message"] for e in data["errors"]}
        assert set(got) == set(expected), got
        for where, texts in expected.items():
            assert texts[n] in got[where], (where, got[where])
    assert fingerprint(demo_db) == before


def test_values_at_the_limits_are_written_exactly(login: Login, demo_db: Database,
                                                  tmp_path: Path) -> None:
    src = login.export(tmp_path / "catalogue.xlsx")
    sheets = read(src)
    res, items = sheets["数据资源"], sheets["信息项"]
    target = res[1][col(res, "资源代码")]
    first_item = next(r for r in items[1:] if r[col(items, "资源代码")] == target)
    first_item[col(items, "信息项名称")] = "项" * 200
    first_item[col(items, "标准数据元代码")] = "D" * 40
    res[1][col(res, "资源名称")] = "名" * 300
    path = write(tmp_path / "limits.xlsx", sheets)
    before = per_resource(demo_db)
    code, data = login.run("import", str(path))
    assert code == 0 and data["written"] is True, data["errors"][:3]
    assert data["changes"]["updated"] == 1 and data["updated_codes"] == [target]
    assert changed(before, per_resource(demo_db)) == {target}
    with demo_db.engine.connect() as c:
        rows = c.execute(text(
            "SELECT r.name, i.name, i.standard_code FROM data_resources r "
            "JOIN data_items i ON i.resource_id = r.id WHERE r.code = :c ORDER BY i.seq"),
            {"c": target}).all()
    assert rows[0][0] == "名" * 300 and (rows[0][1], rows[0][2]) == ("项" * 200, "D" * 40)


def test_the_editor_refuses_what_the_database_cannot_hold(login: Login,
                                                          demo_db: Database) -> None:
    (rid, _code), = login.resource_ids(1)
    draft, version = load_draft(login.handle, login.who, rid)
    first = draft.items[0]
    bad = dataclasses.replace(
        draft, name="名" * 301, summary="a\x00b", related_codes=("101/\x00",),
        items=(dataclasses.replace(first, name="项" * 201, standard_code="D" * 41,
                                   description="x\x00"),
               ItemDraft("长度太大", "C", 2**31), *draft.items[1:]))
    before = fingerprint(demo_db)
    with pytest.raises(ValidationFailed) as caught:
        save_resource(login.handle, login.who, bad, resource_id=rid, base_version=version)
    codes = sorted((p.code, p.field, p.item) for p in caught.value.problems)
    assert codes == sorted([
        ("too_long", "name", None), ("nul_char", "summary", None),
        ("nul_char", "related_codes", None), ("unknown_related", "code", None),
        ("too_long", "item_name", 1), ("too_long", "standard_code", 1),
        ("nul_char", "description", 1), ("too_large", "length", 2)])
    assert caught.value.exit_code == 1
    assert "超过 300 个字符的上限" in caught.value.text("zh")
    assert "more than the 300 it may have" in caught.value.text("en")
    assert "NUL character (U+0000)" in caught.value.text("en")
    assert fingerprint(demo_db) == before
    # a new resource whose code holds a NUL: refused the same way, not a database error
    with pytest.raises(ValidationFailed) as caught:
        save_resource(login.handle, login.who, dataclasses.replace(draft, code="101/\x00"))
    assert {p.code for p in caught.value.problems} == {"bad_code", "nul_char"}
    assert fingerprint(demo_db) == before


# -- 2. the region check applies to the resource a code already names ------------------------

#: a resource of another province (江苏省), outside both logins' areas
FOREIGN = "101/990001"


def add_foreign_resource(db: Database, code: str = FOREIGN, region: str = "320000000000") -> int:
    """A copy of the first resource (and its data items) in ``region``, written as the owner."""
    with db.engine.begin() as c:
        columns = [r[0] for r in c.execute(text("SELECT * FROM data_resources LIMIT 0")).cursor
                   .description if r[0] not in ("id", "code", "name", "region_code")]
        names = ", ".join(columns)
        c.execute(text(f"INSERT INTO data_resources (code, name, region_code, {names}) "
                       f"SELECT :code, '另一省的资源', :region, {names} FROM data_resources "
                       "ORDER BY id LIMIT 1"), {"code": code, "region": region})
        rid = int(c.execute(text("SELECT id FROM data_resources WHERE code = :c"),
                            {"c": code}).scalar_one())
        c.execute(text("INSERT INTO data_items (resource_id, seq, name, data_type, version, "
                       "is_authoritative, created_at, updated_at) SELECT :r, 1, '字段', 'C', 1, "
                       "false, created_at, updated_at FROM data_resources WHERE id = :r"),
                  {"r": rid})
    return rid


def test_an_import_cannot_take_over_another_areas_resource(login: Login, demo_db: Database,
                                                           tmp_path: Path) -> None:
    add_foreign_resource(demo_db)
    # for the city login also a resource of the same province outside its city (宁波市)
    with demo_db.engine.connect() as c:
        ningbo = c.execute(text("SELECT code FROM data_resources WHERE region_code LIKE '3302%' "
                                "ORDER BY code LIMIT 1")).scalar_one()
    src = login.export(tmp_path / "catalogue.xlsx")
    sheets = read(src)
    res, items = sheets["数据资源"], sheets["信息项"]
    code_at, icode_at = col(res, "资源代码"), col(items, "资源代码")
    taken = [FOREIGN] + ([ningbo] if login.prefix == "3301" else [])
    for n, code in enumerate(taken, start=1):  # rows 2 (and 3) now carry the other codes
        old = res[n][code_at]
        res[n][code_at] = code
        res[n][col(res, "资源名称")] = "改名"
        for row in items[1:]:
            if row[icode_at] == old:
                row[icode_at] = code
    path = write(tmp_path / "takeover.xlsx", sheets)
    before = fingerprint(demo_db)
    for lang, words in (("zh", "不能使用：它不在您可以修改的范围内"),
                        ("en", "cannot be used: it is not one you may change")):
        for dry in ((), ("--dry-run",)):
            code, data = login.run("import", str(path), *dry, lang=lang)
            assert code == 1 and data["ok"] is False and data["written"] is False
            errors = [(e["sheet"], e["row"], e["column"], e["value"]) for e in data["errors"]]
            assert errors == [("数据资源", n, "资源代码", c) for n, c in enumerate(taken, start=2)]
            assert all(words in e["message"] for e in data["errors"])
            assert "另一省" not in json.dumps(data, ensure_ascii=False)  # nothing of theirs
    assert fingerprint(demo_db) == before


def test_the_editor_cannot_use_or_change_another_areas_resource(login: Login,
                                                               demo_db: Database) -> None:
    foreign_id = add_foreign_resource(demo_db)
    (rid, own_code), = login.resource_ids(1)
    draft, version = load_draft(login.handle, login.who, rid)
    before = fingerprint(demo_db)
    for code, problem in ((FOREIGN, "code_unavailable"), (own_code, "code_taken")):
        with pytest.raises(ValidationFailed) as caught:
            save_resource(login.handle, login.who, dataclasses.replace(draft, code=code))
        assert [(p.code, p.value) for p in caught.value.problems] == [(problem, code)]
        assert caught.value.exit_code == 1 and code in caught.value.text("en")
    # the other area's resource itself: the service kernel's one answer on both databases
    theirs = dataclasses.replace(draft, code=FOREIGN, name="改名")
    with pytest.raises(InputRejected) as refused:
        save_resource(login.handle, login.who, theirs, resource_id=foreign_id, base_version=1)
    assert "does not exist or is outside your area" in str(refused.value)
    assert "不在您的管辖范围内" in refused.value.text("zh")
    assert fingerprint(demo_db) == before


# -- 3. races: unique violations, deadlocks, serialization failures, lock waits, busy -------

NEW = "101/900001"


def new_resource_file(src: Path, dst: Path, code: str = NEW) -> Path:
    """A file holding one new resource ``code``: the first resource of ``src`` under a new code."""
    sheets = read(src)
    res, items = sheets["数据资源"], sheets["信息项"]
    old = res[1][col(res, "资源代码")]
    row = list(res[1])
    row[col(res, "资源代码")], row[col(res, "资源名称")] = code, "并发新增的资源"
    item_rows = [[code if v == old else v for v in r] for r in items[1:]
                 if r[col(items, "资源代码")] == old]
    return write(dst, {"数据资源": [res[0], row], "信息项": [items[0], *item_rows]})


class AtCommit(Progress):
    """A Progress that calls ``hook`` when the import reports it is about to commit (every row
    written, nothing committed); a hook that returns True cancels the import there."""

    def __init__(self, hook: Any) -> None:
        super().__init__()
        self.hook = hook

    def show(self, fraction: float, message: str) -> None:
        if message in ("正在提交…", "Committing…") and self.hook():
            raise Cancelled()


class Paused(AtCommit):
    """Stops the import when it is about to commit (its rows written, not committed) until
    :meth:`release`."""

    def __init__(self) -> None:
        self.reached, self.go, self.calls = threading.Event(), threading.Event(), 0
        super().__init__(self._pause)

    def _pause(self) -> bool:
        self.calls += 1
        if self.calls == 1:
            self.reached.set()
            assert self.go.wait(60)
        return False

    def release(self) -> None:
        self.go.set()


def start(target: Callable[[], None], results: dict[str, Any], key: str) -> threading.Thread:
    def run() -> None:
        try:
            results[key] = target()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            results[key] = exc

    t = threading.Thread(target=run)
    t.start()
    return t


def signal_before(monkeypatch: pytest.MonkeyPatch, module: Any, name: str, username: str,
                  event: threading.Event) -> None:
    """Set ``event`` when ``username`` calls ``module.name`` (its checks are done by then)."""
    real = getattr(module, name)

    def wrapped(s: Any, db: Any, who: Any, *args: Any, **kwargs: Any) -> Any:
        if who.username == username:
            event.set()
        return real(s, db, who, *args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)


def assert_names_new_code(exc: BaseException) -> None:
    assert isinstance(exc, DuplicateKey) and exc.exit_code == 4, repr(exc)
    assert NEW in exc.text("en") and "Nothing was saved" in exc.text("en")
    assert f"资源代码“{NEW}”刚刚已被他人" in exc.text("zh") and "未保存任何内容" in exc.text("zh")


def test_two_imports_adding_the_same_new_code(login: Login, demo_db: Database, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    other_db, other = login.accounts.login("data_admin", region=login.who.region_code[:6])
    path = new_resource_file(login.export(tmp_path / "catalogue.xlsx"), tmp_path / "new.xlsx")
    before = per_resource(demo_db)
    checked = threading.Event()
    signal_before(monkeypatch, xi, "insert_many", other.username, checked)
    paused, results = Paused(), {}
    first = start(lambda: import_catalog(login.handle, login.who, path, progress=paused),
                  results, "first")
    assert paused.reached.wait(60)  # the first import has written NEW, not committed
    second = start(lambda: import_catalog(other_db, other, path), results, "second")
    assert checked.wait(60)  # the second found NEW new and is writing it
    paused.release()
    first.join(60)
    second.join(60)
    assert results["first"].written and results["first"].inserted == [NEW]
    assert_names_new_code(results["second"])
    assert changed(before, per_resource(demo_db)) == {NEW}  # the first import's, and only it
    with demo_db.engine.connect() as c:
        assert c.execute(text("SELECT r.created_by, count(v.id) FROM data_resources r JOIN "
                              "resource_versions v ON v.resource_id = r.id WHERE r.code = :c "
                              "GROUP BY r.created_by"), {"c": NEW}).one() == (login.who.username, 1)


def test_a_save_racing_an_import_for_the_same_new_code(login: Login, demo_db: Database,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    other_db, other = login.accounts.login("data_admin", region=login.who.region_code[:6])
    (rid, _code), = login.resource_ids(1)
    draft, _version = load_draft(other_db, other, rid)
    path = new_resource_file(login.export(tmp_path / "catalogue.xlsx"), tmp_path / "new.xlsx")
    before = per_resource(demo_db)
    checked = threading.Event()
    signal_before(monkeypatch, editing, "write_resource", other.username, checked)
    paused, results = Paused(), {}
    first = start(lambda: import_catalog(login.handle, login.who, path, progress=paused),
                  results, "import")
    assert paused.reached.wait(60)
    second = start(lambda: save_resource(other_db, other, dataclasses.replace(
        draft, code=NEW, name="编辑器新增")), results, "save")
    assert checked.wait(60)
    paused.release()
    first.join(60)
    second.join(60)
    assert results["import"].written
    assert_names_new_code(results["save"])
    assert changed(before, per_resource(demo_db)) == {NEW}


@pytest.mark.postgres
def test_deadlocks_and_serialization_failures_are_conflicts(pg_demo_db: Database,
                                                            accounts_for: Any) -> None:
    accounts = accounts_for(pg_demo_db)
    (a, _wa), (b, _wb) = (accounts.login("data_admin", region="330100") for _ in range(2))
    with pg_demo_db.engine.connect() as c:
        r1, r2 = c.execute(text("SELECT id FROM data_resources WHERE region_code LIKE '3301%' "
                                "ORDER BY id LIMIT 2")).scalars().all()
    before = per_resource(pg_demo_db)
    locked = {"a": threading.Event(), "b": threading.Event()}

    def crossing(db: Database, me: str, other: str, first: int, second: int) -> Callable[[], None]:
        def job() -> None:
            with db.session() as s:
                s.execute(text("UPDATE data_resources SET summary = :v WHERE id = :i"),
                          {"v": me, "i": first})
                locked[me].set()
                assert locked[other].wait(30)
                s.execute(text("UPDATE data_resources SET summary = :v WHERE id = :i"),
                          {"v": me, "i": second})
        return job

    results: dict[str, Any] = {}
    threads = [start(crossing(a, "a", "b", r1, r2), results, "a"),
               start(crossing(b, "b", "a", r2, r1), results, "b")]
    for t in threads:
        t.join(60)
    failed = [k for k, v in results.items() if isinstance(v, BaseException)]
    assert len(failed) == 1, results  # the server broke the deadlock by failing one of them
    exc = results[failed[0]]
    assert isinstance(exc, ConflictError) and exc.exit_code == 4
    assert "deadlock" in str(exc) and "Nothing was saved; try again" in str(exc)
    assert "死锁" in exc.text("zh") and "请重试" in exc.text("zh")
    winner = "ab".replace(failed[0], "")
    with pg_demo_db.engine.connect() as c:
        assert c.execute(text("SELECT summary FROM data_resources WHERE id IN (:x, :y)"),
                         {"x": r1, "y": r2}).scalars().all() == [winner, winner]
    assert len(changed(before, per_resource(pg_demo_db))) == 2

    # a REPEATABLE READ transaction whose row another one changed meanwhile
    before = fingerprint(pg_demo_db)
    with pytest.raises(ConflictError) as caught:
        with a.session() as s:
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            s.execute(text("SELECT summary FROM data_resources WHERE id = :i"), {"i": r1}).all()
            with b.session() as s2:
                s2.execute(text("UPDATE data_resources SET summary = 'b2' WHERE id = :i"),
                           {"i": r1})
            after_b = fingerprint(pg_demo_db)
            s.execute(text("UPDATE data_resources SET summary = 'a2' WHERE id = :i"), {"i": r1})
    assert "serialization failure" in str(caught.value) and caught.value.exit_code == 4
    assert "串行化冲突" in caught.value.text("zh")
    assert after_b != before and fingerprint(pg_demo_db) == after_b  # a's change: nothing


def changed_file(login: Login, tmp_path: Path) -> tuple[Path, str]:
    """An export with the first resource's summary changed, and that resource's code."""
    sheets = read(login.export(tmp_path / "catalogue.xlsx"))
    res = sheets["数据资源"]
    res[1][col(res, "摘要")] = "修改后的摘要"
    return write(tmp_path / "changed.xlsx", sheets), str(res[1][col(res, "资源代码")])


def test_an_import_that_cannot_get_its_rows_is_a_conflict(login: Login, demo_db: Database,
                                                          tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: another login holds the row and the import gives up waiting (lock_timeout);
    SQLite: another writer holds the database past the busy timeout. Exit code 4, the message in
    the user's language, no traceback, nothing written."""
    path, target = changed_file(login, tmp_path)
    before = fingerprint(demo_db)
    if demo_db.is_postgres:
        holder_name = login.accounts.add("data_admin", region="330000").username
        holder = login.accounts.connect(holder_name)
        with holder.cursor() as cur:
            cur.execute("UPDATE data_resources SET summary = summary WHERE code = %s", (target,))
        monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=300")
        expected = {"en": "lock not available", "zh": "等待锁超时"}
    else:
        monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
        holder = sqlite3.connect(str(demo_db.engine.url.database))
        holder.execute("BEGIN IMMEDIATE")
        expected = {"en": "Another user is writing", "zh": "另一位用户正在写入数据库"}
    try:
        for lang in ("en", "zh"):
            code, data = login.run("import", str(path), lang=lang)
            assert code == 4 and data["ok"] is False and data["exit_code"] == 4, data
            assert expected[lang] in data["error"]
            assert ("try again" if lang == "en" else "请") in data["error"]
            assert "Traceback" not in data["error"]
    finally:
        holder.rollback()
        holder.close()
    assert fingerprint(demo_db) == before
    code, data = login.run("import", str(path))  # once the other is done, it goes through
    assert code == 0 and data["updated_codes"] == [target]


# -- 4. progress on the terminal -------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_import_shows_progress_on_stderr(login: Login, demo_db: Database,
                                                 tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path, target = changed_file(login, tmp_path)
    before = per_resource(demo_db)
    # standard error is not a terminal (a log, a pipe): no progress, the result on stdout
    capsys.readouterr()
    assert main(["catalog", "import", str(path), "--dry-run", "--lang", "zh_CN", *login.args]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "将新增 0 个、更新 1 个资源" in out and "%" not in out
    assert main(["catalog", "import", str(path), "--lang", "en", *login.args]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "Wrote 0 new, 1 updated" in out
    assert changed(before, per_resource(demo_db)) == {target}
    # --json and --quiet: nothing on standard error
    for flag in ("--json", "--quiet"):
        assert main(["catalog", "import", str(path), "--dry-run", flag, *login.args]) == 0
        out, err = capsys.readouterr()
        assert err == "" and out
    assert json.loads(main_json(path, login, capsys))["ok"] is True
    # a terminal: a bar that ends at 100 %
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["catalog", "import", str(path), "--dry-run", "--lang", "zh_CN", *login.args]) == 0
    shown = terminal.getvalue()
    assert "\r" in shown and "100%|" in shown and "检查完成" in shown


def main_json(path: Path, login: Login, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["catalog", "import", str(path), "--dry-run", "--json", *login.args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


# -- 5. many resources updated in batches ---------------------------------------------------


def items_of(db: Database, code: str) -> list[tuple[int, int, str, Any]]:
    """(id, seq, name, grade id) of a resource's data items, in sequence order."""
    with db.engine.connect() as c:
        return [tuple(r) for r in c.execute(text(  # type: ignore[misc]
            "SELECT i.id, i.seq, i.name, i.grade_id FROM data_items i JOIN data_resources r "
            "ON r.id = i.resource_id WHERE r.code = :c ORDER BY i.seq"), {"c": code})]


def resource_row(db: Database, code: str) -> Any:
    with db.engine.connect() as c:
        return c.execute(text("SELECT r.id, r.version, r.name, r.summary, g.code AS grade "
                              "FROM data_resources r LEFT JOIN grades g ON g.id = r.grade_id "
                              "WHERE r.code = :c"), {"c": code}).one()


def item_rows(items: list[list[Any]], code: str) -> list[list[Any]]:
    return [r for r in items[1:] if r[col(items, "资源代码")] == code]


def test_a_batched_update_writes_what_single_saves_write(login: Login, demo_db: Database,
                                                         tmp_path: Path) -> None:
    sheets = read(login.export(tmp_path / "catalogue.xlsx"))
    res, items = sheets["数据资源"], sheets["信息项"]
    code_at, name_at, seq_at = col(items, "资源代码"), col(items, "信息项名称"), col(items, "序号")
    r1, r2, r3 = (res[n][col(res, "资源代码")] for n in (1, 2, 3))
    old = {c: items_of(demo_db, c) for c in (r1, r2, r3)}
    versions = {c: resource_row(demo_db, c).version for c in (r1, r2, r3)}
    # r1: renamed, new summary; first two items swapped, the last removed, one added, one
    # item's description changed
    res[1][col(res, "资源名称")], res[1][col(res, "摘要")] = "改过名的资源", "改过的摘要"
    rows1 = item_rows(items, r1)
    rows1[0][seq_at], rows1[1][seq_at] = 2, 1
    rows1[2][col(items, "说明")] = "改过的说明"
    removed = rows1[-1][name_at]
    added = [r1, len(rows1), "新增信息项", "字符型C", 20, None, None, "否", None]
    # r2: its first item graded 重要数据, above the resource (就高从严 raises the resource)
    item_rows(items, r2)[0][col(items, "分级")] = "重要数据"
    # r3: only the order of its items
    rows3 = item_rows(items, r3)
    rows3[0][seq_at], rows3[-1][seq_at] = rows3[-1][seq_at], rows3[0][seq_at]
    sheets["信息项"] = [items[0], *[r for r in items[1:] if r[name_at] != removed
                                   or r[code_at] != r1], added]
    path = write(tmp_path / "changed.xlsx", sheets)
    before = per_resource(demo_db)
    code, data = login.run("import", str(path))
    assert code == 0 and data["written"] is True, data["errors"][:3]
    assert sorted(data["updated_codes"]) == sorted([r1, r2, r3])
    assert changed(before, per_resource(demo_db)) == {r1, r2, r3}
    # items kept by name keep their ids, in the file's order; removed gone, new added
    ids1 = {name: i for i, _seq, name, _g in old[r1]}
    now1 = items_of(demo_db, r1)
    names1 = [n for _i, _s, n, _g in now1]
    old_names = [n for _i, _s, n, _g in old[r1]]
    assert names1 == [old_names[1], old_names[0], *old_names[2:-1], "新增信息项"]
    assert [s for _i, s, _n, _g in now1] == list(range(1, len(now1) + 1))
    assert all(i == ids1[n] for i, _s, n, _g in now1 if n != "新增信息项")
    assert [n for _i, _s, n, _g in items_of(demo_db, r3)] == [
        old[r3][-1][2], *[n for _i, _s, n, _g in old[r3][1:-1]], old[r3][0][2]]
    assert resource_row(demo_db, r2).grade == "important"  # raised with its item
    for c in (r1, r2, r3):
        row = resource_row(demo_db, c)
        assert row.version == versions[c] + 1
        # the version row holds exactly what is stored, saved by the login, as a save's would
        draft, version = load_draft(login.handle, login.who, row.id)
        newest = history(login.handle, login.who, row.id)[0]
        assert (version, newest.version, newest.saved_by, newest.note) == (
            row.version, row.version, login.who.username, "import changed.xlsx")
        with demo_db.engine.connect() as conn:
            snapshot, doc = conn.execute(text(
                "SELECT v.snapshot, s.text FROM resource_versions v JOIN resource_search s "
                "ON s.resource_id = v.resource_id WHERE v.resource_id = :r AND v.version = :v"),
                {"r": row.id, "v": row.version}).one()
        assert ResourceDraft.from_snapshot(json.loads(snapshot)) == draft
        assert doc == document(c, draft.name, draft.summary, (i.name for i in draft.items))[0]
    # and the catalogue exported again re-imports with no change
    again = login.export(tmp_path / "again.xlsx")
    code, data = login.run("import", str(again))
    assert code == 0 and data["changes"]["updated"] == 0 and data["written"] is False


def test_a_data_administrator_cannot_lower_a_grade_by_import(login: Login, demo_db: Database,
                                                             tmp_path: Path) -> None:
    sheets = read(login.export(tmp_path / "catalogue.xlsx"))
    items = sheets["信息项"]
    grade_at = col(items, "分级")
    n, row = next((n, r) for n, r in enumerate(items) if r[grade_at] == "一般数据4级")
    row[grade_at] = "一般数据1级"
    path = write(tmp_path / "lower.xlsx", sheets)
    before = fingerprint(demo_db)
    for lang, words in (("zh", "不能由“一般数据4级”降为“一般数据1级”"), ("en", "cannot go down")):
        code, data = login.run("import", str(path), lang=lang)
        assert code == 1 and data["written"] is False
        assert [(e["sheet"], e["row"], e["column"]) for e in data["errors"]] == [
            ("信息项", n + 1, "分级")]
        assert words in data["errors"][0]["message"]
    assert fingerprint(demo_db) == before


def summaries_changed(login: Login, tmp_path: Path, name: str, text_: str,
                      rows: int = 2) -> tuple[Path, list[str]]:
    sheets = read(login.export(tmp_path / f"{name}-export.xlsx"))
    res = sheets["数据资源"]
    for n in range(1, rows + 1):
        res[n][col(res, "摘要")] = f"{text_}{n}"
    return write(tmp_path / f"{name}.xlsx", sheets), [res[n][0] for n in range(1, rows + 1)]


def test_a_resource_saved_after_the_check_is_a_conflict(login: Login, demo_db: Database,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path, (first, second) = summaries_changed(login, tmp_path, "mine", "导入的摘要")
    other_db, other = login.accounts.login("data_admin", region=login.who.region_code[:6])
    rid = resource_row(demo_db, second).id
    real = xi.update_many

    def save_first(*args: Any, **kwargs: Any) -> Any:  # the checks are done: someone saves
        draft, version = load_draft(other_db, other, rid)
        save_resource(other_db, other, dataclasses.replace(draft, summary="他人的修改"),
                      resource_id=rid, base_version=version)
        return real(*args, **kwargs)

    monkeypatch.setattr(xi, "update_many", save_first)
    before = per_resource(demo_db)
    code, data = login.run("import", str(path), lang="zh")
    assert code == 4 and data["exit_code"] == 4
    assert f"资源 {second} 在检查此文件之后已被他人修改，本次未保存任何内容" in data["error"]
    assert changed(before, per_resource(demo_db)) == {second}  # the other save, nothing else
    assert resource_row(demo_db, second).summary == "他人的修改"
    assert resource_row(demo_db, first).summary != "导入的摘要1"
    monkeypatch.setattr(xi, "update_many", real)
    code, data = login.run("import", str(path), lang="en")  # checked again, it goes through
    assert code == 0 and sorted(data["updated_codes"]) == sorted([first, second])


def test_two_imports_of_the_same_resources_never_interleave(
        login: Login, demo_db: Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first_file, codes = summaries_changed(login, tmp_path, "first", "第一次导入", rows=3)
    second_file, _codes = summaries_changed(login, tmp_path, "second", "第二次导入", rows=3)
    other_db, other = login.accounts.login("data_admin", region=login.who.region_code[:6])
    versions = {c: resource_row(demo_db, c).version for c in codes}
    before = per_resource(demo_db)
    checked = threading.Event()
    signal_before(monkeypatch, xi, "update_many", other.username, checked)
    paused, results = Paused(), {}
    first = start(lambda: import_catalog(login.handle, login.who, first_file,
                                         progress=paused), results, "first")
    assert paused.reached.wait(60)  # its rows are written, not committed
    second = start(lambda: import_catalog(other_db, other, second_file), results, "second")
    assert checked.wait(60)  # the second checked the same versions and now writes
    paused.release()
    first.join(60)
    second.join(60)
    assert results["first"].written, results
    exc = results["second"]
    assert isinstance(exc, ConflictError) and exc.exit_code == 4, repr(exc)
    assert "was changed by someone else after this file was checked" in exc.text("en")
    assert changed(before, per_resource(demo_db)) == set(codes)
    for n, c in enumerate(codes, start=1):  # the first import's, whole; nothing of the second
        row = resource_row(demo_db, c)
        assert (row.summary, row.version) == (f"第一次导入{n}", versions[c] + 1)


def test_a_cancelled_import_leaves_nothing(login: Login, demo_db: Database,
                                           tmp_path: Path) -> None:
    path, _codes = summaries_changed(login, tmp_path, "mine", "不会保存", rows=3)
    sheets = read(path)
    new = read(new_resource_file(path, tmp_path / "new.xlsx"))
    for name in ("数据资源", "信息项"):
        sheets[name] += new[name][1:]
    both = write(tmp_path / "both.xlsx", sheets)
    calls = []

    def cancel_after_the_writes() -> bool:  # new rows and the updates written, not committed
        calls.append(1)
        return True

    before = fingerprint(demo_db)
    with pytest.raises(ImportCancelled):
        import_catalog(login.handle, login.who, both, progress=AtCommit(cancel_after_the_writes))
    assert len(calls) == 1 and fingerprint(demo_db) == before


def test_a_name_stored_twice_ends_as_one_item_as_a_save_leaves_it(
        login: Login, demo_db: Database, tmp_path: Path) -> None:
    """Old data may hold two items of one name (nothing in the schema forbids it): the import,
    like a save, keeps the last of them and removes the other."""
    (rid, code), = login.resource_ids(1)
    old = items_of(demo_db, code)
    with demo_db.engine.begin() as c:  # the owner writes the duplicate
        c.execute(text("INSERT INTO data_items (resource_id, seq, name, data_type, version, "
                       "is_authoritative, created_at, updated_at) SELECT resource_id, :s, name, "
                       "data_type, 1, false, created_at, updated_at FROM data_items WHERE id = :i"),
                  {"s": len(old) + 1, "i": old[0][0]})
    duplicate = items_of(demo_db, code)[-1][0]
    sheets = read(login.export(tmp_path / "catalogue.xlsx"))
    res, items = sheets["数据资源"], sheets["信息项"]
    n = next(n for n, r in enumerate(res) if r[0] == code)
    res[n][col(res, "摘要")] = "改过的摘要"
    last = item_rows(items, code)[-1]  # the export lists the name twice: once is enough
    sheets["信息项"] = [r for r in items if r is not last]
    path = write(tmp_path / "once.xlsx", sheets)
    code_, data = login.run("import", str(path))
    assert code_ == 0 and data["updated_codes"] == [code], data
    now = items_of(demo_db, code)
    assert [name for _i, _s, name, _g in now] == [name for _i, _s, name, _g in old]
    assert now[0][0] == duplicate and [s for _i, s, _n, _g in now] == list(range(1, len(old) + 1))


def test_an_import_keeps_the_original_as_a_version(login: Login, demo_db: Database,
                                                    tmp_path: Path) -> None:
    """A demo resource has no stored version; the batched update keeps its state before the
    import as version 1 (as a single save does), so history never loses the original."""
    from govdesk.catalog.editing.resources import BASELINE_NOTE, diff_versions, history

    path, target = changed_file(login, tmp_path)
    with demo_db.engine.connect() as c:
        rid, version = c.execute(text("SELECT id, version FROM data_resources WHERE code = :c"),
                                 {"c": target}).one()
        assert c.execute(text("SELECT count(*) FROM resource_versions WHERE resource_id = :r"),
                         {"r": rid}).scalar_one() == 0
    assert main(["catalog", "import", str(path), *login.args]) == 0
    entries = history(login.handle, login.who, rid)
    assert [e.version for e in entries] == [version + 1, version]
    assert entries[-1].note == BASELINE_NOTE
    assert [c.field for c in diff_versions(login.handle, login.who, rid, version,
                                           version + 1)] == ["summary"]


def test_every_problem_in_one_report(login: Login, demo_db: Database, tmp_path: Path) -> None:
    """A code another area holds and a region outside the user's area on other rows are both
    reported by the first run (the user fixes the file once, not once per kind of problem)."""
    add_foreign_resource(demo_db)
    sheets = read(login.export(tmp_path / "catalogue.xlsx"))
    res, items = sheets["数据资源"], sheets["信息项"]
    code_at, icode_at = col(res, "资源代码"), col(items, "资源代码")
    old = res[1][code_at]
    res[1][code_at] = FOREIGN
    for row in items[1:]:
        if row[icode_at] == old:
            row[icode_at] = FOREIGN
    res[2][col(res, "行政区划代码")] = "320000000000"  # 江苏省: outside both logins' areas
    path = write(tmp_path / "two-kinds.xlsx", sheets)
    before = fingerprint(demo_db)
    code, data = login.run("import", str(path), "--dry-run", lang="en")
    assert code == 1 and data["written"] is False
    rows = {(e["row"], e["column"]) for e in data["errors"]}
    assert (2, "资源代码") in rows and (3, "行政区划代码") in rows
    assert fingerprint(demo_db) == before
