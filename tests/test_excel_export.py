"""Excel out: the catalogue (or a filter) and the blank template, with drop-downs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from govdesk.catalog.excel.layout import ITEM_COLUMNS, RESOURCE_COLUMNS
from govdesk.cli import main
from govdesk.db.engine import Database


@pytest.fixture
def as_user(demo_db: Database, accounts_for, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    """CLI arguments that act as a province-wide data administrator on either database."""
    accounts = accounts_for(demo_db)
    who = accounts.add("data_admin")
    if demo_db.is_postgres:
        return ["--db", accounts.url_for(who.username)]
    monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
    return ["--db", demo_db.url, "--user", who.username]


def test_export_whole_catalogue(as_user: list[str], tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "catalogue.xlsx"
    assert main(["catalog", "export", str(out), *as_user, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["resources"] == 300 and report["items"] > 1500
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["数据资源", "信息项", "值域"]
    resources = book.get_sheet_by_name("数据资源").to_python()
    items = book.get_sheet_by_name("信息项").to_python()
    assert resources[0] == [c.header for c in RESOURCE_COLUMNS]
    assert items[0] == [c.header for c in ITEM_COLUMNS]
    assert len(resources) == 301 and len(items) == report["items"] + 1
    first = dict(zip(resources[0], resources[1]))
    assert first["资源代码"] == "101/000001" and first["共享类型"] == "有条件共享"
    assert first["更新周期"] == "每日" and first["分级"] == "一般数据4级"


def test_filter_and_template(as_user: list[str], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "shared.xlsx"
    assert main(["catalog", "export", str(out), "--category", "3", *as_user]) == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("数据资源").to_python()[1:]
    assert rows and all(str(r[0]).startswith("3") for r in rows)
    template = tmp_path / "template.xlsx"
    assert main(["catalog", "export", str(template), "--template", *as_user]) == 0
    book = load_workbook(template)
    sheet = book["数据资源"]
    assert sheet.max_row == 1
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    headers = [c.value for c in sheet[1]]
    for column in ("资源格式", "共享类型", "共享方式", "开放属性", "更新周期", "分级", "分类代码"):
        letter = sheet.cell(row=1, column=headers.index(column) + 1).column_letter
        assert f"{letter}2" in validated, column
    lists = book["值域"]
    values = {c.value for row in lists.iter_rows() for c in row}
    assert {"有条件共享", "每季度", "字符型C", "一般数据4级", "是"} <= values
    assert main(["catalog", "export", str(tmp_path / "x.csv"), *as_user]) == 1
    capsys.readouterr()
