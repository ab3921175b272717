"""Writing the catalogue (issue 11, the write side), as real logins on both databases: a city
data administrator (杭州市) and a province data administrator (浙江省), through the CLI and the
editor's service.

* Values the database cannot hold (too long for their column, too large, a NUL character) are
  reported before anything is written, cell by cell, in Chinese and English, identically on
  SQLite and PostgreSQL.
* A code that another area's resource holds cannot be used: the import reports it at its row
  ("this code cannot be used", the same on both databases, naming nothing of the resource that
  holds it), the editor refuses it, and that resource is never moved, renamed or touched.

Every test asserts the exit code or the exception, the message, and the catalogue's rows: a
digest unchanged, or exactly the resources that were meant to change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from sqlalchemy import text

from govdesk.catalog.editing import ItemDraft, ValidationFailed, load_draft, save_resource
from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.errors import InputRejected

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
    # the other area's resource itself: hidden on PostgreSQL, refused on SQLite
    theirs = dataclasses.replace(draft, code=FOREIGN, name="改名")
    with pytest.raises(InputRejected) as refused:
        save_resource(login.handle, login.who, theirs, resource_id=foreign_id, base_version=1)
    if demo_db.is_postgres:
        assert "does not exist" in str(refused.value)
    else:
        assert isinstance(refused.value, ValidationFailed)
        assert [p.code for p in refused.value.problems] == ["resource_out_of_scope"]
        assert "不在您的管辖范围内" in refused.value.text("zh")
    assert fingerprint(demo_db) == before
