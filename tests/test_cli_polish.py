"""The rough edges of the command line a new user met (issue 13): value-list options take
labels, unknown filters are errors, a problem is reported once and where it is in the user's
language, file and YAML problems in words, Chinese punctuation in Chinese output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from govdesk.cli import main
from govdesk.db.engine import Database


def _as(db: Database, accounts, role: str, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        region: str | None = None) -> list[str]:
    who = accounts.add(role, region=region)
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    return ["--db", db.url, "--user", who.username]


def _exported(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    assert main([*argv, "--json"]) == 0
    return int(json.loads(capsys.readouterr().out)["resources"])


def test_export_filters_take_labels_and_refuse_unknown_values(
        sqlite_demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = _as(sqlite_demo_db, accounts_for(sqlite_demo_db), "data_admin", monkeypatch)
    out = str(tmp_path / "x.xlsx")
    drafts = _exported(capsys, "catalog", "export", out, "--status", "draft", *args)
    assert drafts > 0
    assert _exported(capsys, "catalog", "export", out, "--status", "草稿", *args) == drafts
    assert _exported(capsys, "catalog", "export", out, "--status", "Draft", *args) == drafts
    assert main(["catalog", "export", out, "--category", "ZZZ", *args]) == 2
    assert "分类代码“ZZZ”不存在：未导出任何内容。" in capsys.readouterr().err
    for region in ("99", "3x", "3301999"):
        assert main(["catalog", "export", out, "--region", region, "--json", *args]) == 2
        report = json.loads(capsys.readouterr().out)
        assert report["code"] == "export_unknown_region" and report["params"]["code"] == region
    assert _exported(capsys, "catalog", "export", out, "--region", "3301", "--category",
                     "101", *args) > 0


def test_value_list_options_elsewhere_take_labels(
        sqlite_demo_db: Database, accounts_for,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = accounts_for(sqlite_demo_db)
    args = _as(sqlite_demo_db, accounts, "secadmin", monkeypatch)
    assert main(["sharing", "list", "--state", "生效中", "--json", *args]) == 0
    grants = json.loads(capsys.readouterr().out)["grants"]
    assert grants and {g["state"] for g in grants} == {"active"}
    viewer = accounts.add("viewer")
    sysadmin = _as(sqlite_demo_db, accounts, "sysadmin", monkeypatch)
    assert main(["users", "set", viewer.username, "--role", "数据管理员", "--json", *sysadmin]) == 0
    assert json.loads(capsys.readouterr().out)["role"] == "data_admin"
    with pytest.raises(SystemExit) as stop:
        main(["users", "set", viewer.username, "--role", "神", *sysadmin])
    assert stop.value.code == 2
    assert "“神”不是可选的值（可选：sysadmin 系统管理员、" in capsys.readouterr().err


def _edit(source: Path, target: Path, changes: dict[tuple[int, str], object]) -> Path:
    book = load_workbook(source)
    sheet = book["数据资源"]
    headers = [c.value for c in sheet[1]]
    for (row, header), value in changes.items():
        sheet.cell(row=row, column=headers.index(header) + 1).value = value
    book.save(target)
    return target


def test_import_problems_once_each_with_region_names(
        sqlite_demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = accounts_for(sqlite_demo_db)
    args = _as(sqlite_demo_db, accounts, "data_admin", monkeypatch)
    whole = tmp_path / "all.xlsx"
    assert main(["catalog", "export", str(whole), "--json", *args]) == 0
    capsys.readouterr()
    bad = _edit(whole, tmp_path / "bad.xlsx", {(2, "提供方代码"): "NOPE-1", (3, "提供方代码"): None})
    assert main(["catalog", "import", str(bad), "--dry-run", *args]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "第 2 行" in line] == [
        "数据资源 第 2 行“提供方代码”：提供方代码“NOPE-1”不存在"]
    assert [line for line in lines if "第 3 行" in line] == [
        "数据资源 第 3 行“提供方代码”：必填项“提供方”为空"]  # not 提供方“0”
    hangzhou = _as(sqlite_demo_db, accounts, "data_admin", monkeypatch, region="330100000000")
    moved = _edit(whole, tmp_path / "moved.xlsx", {(2, "行政区划代码"): "330200000000"})
    assert main(["catalog", "import", str(moved), "--dry-run", *hangzhou]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "数据资源 第 2 行“行政区划代码”：行政区划“宁波市”（330200000000）不在您的管辖范围内" in lines


def test_a_file_that_is_no_workbook_is_not_called_a_sheet(
        sqlite_demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = accounts_for(sqlite_demo_db)
    fake = tmp_path / "notes.xlsx"
    fake.write_text("hello", encoding="utf-8")
    said = "notes.xlsx 不是 Excel 工作簿（.xlsx）或 OpenDocument 电子表格（.ods），或文件已损坏、不完整"
    for role, argv, stream in (("data_admin", ["catalog", "import"], "out"),
                               ("sysadmin", ["orgs", "import"], "err"),
                               ("secadmin", ["grades", "apply"], "err"),
                               ("data_admin", ["classify", "suggest"], "err")):
        args = _as(sqlite_demo_db, accounts, role, monkeypatch)
        assert main([*argv, str(fake), *args]) == 1
        text = getattr(capsys.readouterr(), stream)
        assert said in text and "工作表" not in text and text.count("notes.xlsx") == 1, text


@pytest.mark.parametrize(("content", "line", "column", "words"), [
    ("code: x\nname: y\ngrades:\n  - code: a\n    name: b: c\n", 5, 12, "此处不能再出现“键: 值”"),
    ("code: x\ngrades:\n\t- a\n", 3, 1, "制表符"),
    ('code: "x\ngrades: []\n', 1, 7, "引号或括号没有闭合"),
])
def test_bad_yaml_is_named_by_line_and_column_in_chinese(
        sqlite_demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        content: str, line: int, column: int, words: str) -> None:
    args = _as(sqlite_demo_db, accounts_for(sqlite_demo_db), "secadmin", monkeypatch)
    scheme = tmp_path / "s.yaml"
    scheme.write_text(content, encoding="utf-8")
    assert main(["grades", "apply", str(scheme), *args]) == 1
    err = capsys.readouterr().err
    assert f"s.yaml: 第 {line} 行第 {column} 列不是有效的 YAML：" in err and words in err
    assert "unicode string" not in err and "scanning" not in err and "^" not in err
    assert main(["grades", "apply", str(scheme), "--lang", "en", *args]) == 1
    assert f"Line {line}, column {column} is not valid YAML: " in capsys.readouterr().err


def test_org_import_problems_say_where_in_the_users_language(
        sqlite_demo_db: Database, accounts_for, tmp_path: Path,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    args = _as(sqlite_demo_db, accounts_for(sqlite_demo_db), "sysadmin", monkeypatch)
    book_path = tmp_path / "o.xlsx"
    assert main(["orgs", "template", str(book_path), *args]) == 0
    book = load_workbook(book_path)
    book.active.cell(row=2, column=3).value = "nokind"
    book.save(book_path)
    capsys.readouterr()
    assert main(["orgs", "import", str(book_path), "--lang", "en", *args]) == 1
    err = capsys.readouterr().err
    assert "组织机构 row 2: Kind 'nokind' is not in the list (Disabled persons' federation, " \
           "Education" in err and "第" not in err
    assert main(["orgs", "import", str(book_path), "--json", "--lang", "en", *args]) == 1
    assert json.loads(capsys.readouterr().out)["params"]["problems"][0]["where"] == \
        "组织机构 row 2"
    assert main(["orgs", "import", str(book_path), *args]) == 1
    assert "组织机构 第 2 行: 类型“nokind”不在值列表中（可选：残疾人联合会、教育部门" in \
        capsys.readouterr().err


def test_chinese_output_has_chinese_commas(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVDESK_LANG", raising=False)
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert "空数据库" not in capsys.readouterr().out
    assert main(["--db", url, "orgs", "seed", "--province", "33"]) == 0
    seeded = capsys.readouterr().out
    assert "全国 1，省级 1，地市级 11，县级 90" in seeded and ", " not in seeded
    assert main(["--db", url, "orgs", "list"]) == 0
    listed = capsys.readouterr().out
    assert "[残疾人联合会，杭州市]" in listed and not re.search(r"[\u4e00-\u9fff], ", listed)
    assert main(["--db", url, "--lang", "en", "orgs", "seed", "--province", "33"]) == 0
    english = capsys.readouterr().out
    assert "National 1, Province 1, City 11, County 90" in english
    assert not re.search(r"[\u4e00-\u9fff]", english.replace("浙江省", ""))
