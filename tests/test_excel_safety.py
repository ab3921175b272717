"""The import refuses what it cannot read faithfully, before reading it, with a message that
names the file, sheet or cell, and without any change; on both databases, through the CLI as a
real data administrator's login.

Every bad file is made here, bounded in size: the deflate bomb (2 GiB of sheet XML) is about
2 MB on disk, written as a raw deflate stream of one repeated, fully flushed block.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.excel.importer import import_catalog
from govdesk.cli import main
from govdesk.db.engine import Database

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def fingerprint(db: Database) -> tuple[Any, ...]:
    """Count, highest version and a digest of every code, name, summary and data item."""
    with db.engine.connect() as c:
        count, top = c.execute(text("SELECT count(*), max(version) FROM data_resources")).one()
        h = hashlib.sha256()
        for row in c.execute(text("SELECT code, name, summary, version FROM data_resources "
                                  "ORDER BY code")):
            h.update(repr(tuple(row)).encode())
        for row in c.execute(text("SELECT resource_id, seq, name, description, length, "
                                  "standard_code FROM data_items ORDER BY resource_id, seq")):
            h.update(repr(tuple(row)).encode())
        versions = c.execute(text("SELECT count(*) FROM resource_versions")).scalar()
    return count, top, versions, h.hexdigest()


class Cli:
    """Runs ``govdesk catalog ...`` as a real data administrator's login."""

    def __init__(self, db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.accounts = accounts_for(db)
        self.handle, self.who = self.accounts.login("data_admin")
        if db.is_postgres:
            self.args = ["--db", self.accounts.url_for(self.who.username)]
        else:
            monkeypatch.setenv("GOVDESK_PASSWORD", self.accounts.PASSWORD)
            self.args = ["--db", db.url, "--user", self.who.username]
        self.capsys = capsys

    def run(self, *argv: str, lang: str = "en") -> tuple[int, dict[str, Any], str]:
        self.capsys.readouterr()
        code = main(["catalog", *argv, "--json", "--lang", lang, *self.args])
        out = self.capsys.readouterr().out
        return code, json.loads(out), out


@pytest.fixture
def cli(demo_db: Database, accounts_for: Any, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(demo_db, accounts_for, monkeypatch, capsys)


@pytest.fixture
def exported(cli: Cli, tmp_path: Path) -> Path:
    out = tmp_path / "catalogue.xlsx"
    code, _data, _out = cli.run("export", str(out))
    assert code == 0
    return out


def refused(cli: Cli, db: Database, path: Path, lang: str = "en") -> list[dict[str, Any]]:
    """Import ``path`` through the CLI: exit 1, nothing written, the database unchanged."""
    before = fingerprint(db)
    code, data, _out = cli.run("import", str(path), lang=lang)
    assert code == 1, data
    assert data["ok"] is False and data["written"] is False and data["errors"]
    assert fingerprint(db) == before
    return list(data["errors"])


def rewrite_sheet(source: Path, target: Path, sheet: str, edit: Any) -> None:
    """``source`` with the XML of ``sheet`` (a member name) passed through ``edit``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, edit(data.decode()).encode() if name == sheet else data)


RESOURCES_XML = "xl/worksheets/sheet1.xml"


def set_cell(xml: str, ref: str, inner: str, t: str | None) -> str:
    kind = f' t="{t}"' if t else ""
    new, n = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', f'<c r="{ref}"{kind}>{inner}</c>', xml,
                     count=1)
    assert n == 1, ref
    return new


# -- formulas ---------------------------------------------------------------------------------
def test_a_formula_without_a_calculated_value_is_refused_naming_the_cell(
        cli: Cli, demo_db: Database, exported: Path, tmp_path: Path) -> None:
    book = load_workbook(exported)
    book["数据资源"]["F2"] = '="摘要"&"（修订）"'  # openpyxl stores no calculated value
    bad = tmp_path / "formula.xlsx"
    book.save(bad)
    errors = refused(cli, demo_db, bad, lang="zh_CN")
    first = errors[0]
    assert (first["sheet"], first["row"], first["column"]) == ("数据资源", 2, "摘要")
    assert "数据资源!F2" in first["message"] and "没有保存它的计算结果" in first["message"]


def test_a_formula_is_read_by_its_calculated_value(cli: Cli, demo_db: Database, exported: Path,
                                                   tmp_path: Path) -> None:
    good = tmp_path / "cached.xlsx"
    rewrite_sheet(exported, good, RESOURCES_XML, lambda xml: set_cell(
        xml, "F2", '<f>"新"&amp;"摘要"</f><v>新摘要</v>', "str"))
    code, data, _out = cli.run("import", str(good))
    assert code == 0 and data["changes"]["updated"] == 1, data
    with demo_db.engine.connect() as c:
        assert c.execute(text("SELECT summary FROM data_resources WHERE code = '101/000001'")
                         ).scalar() == "新摘要"


def test_an_error_value_is_refused(cli: Cli, demo_db: Database, exported: Path,
                                   tmp_path: Path) -> None:
    bad = tmp_path / "error.xlsx"
    rewrite_sheet(exported, bad, RESOURCES_XML, lambda xml: set_cell(
        xml, "O3", "<f>1/0</f><v>#DIV/0!</v>", "e"))
    first = refused(cli, demo_db, bad)[0]
    assert (first["row"], first["column"], first["value"]) == (3, "发布日期", "#DIV/0!")
    assert "数据资源!O3" in first["message"] and "#DIV/0!" in first["message"]


# -- headers ----------------------------------------------------------------------------------
def test_an_unknown_header_is_reported_with_the_closest_one(cli: Cli, demo_db: Database,
                                                            exported: Path,
                                                            tmp_path: Path) -> None:
    book = load_workbook(exported)
    assert book["数据资源"]["F1"].value == "摘要"
    book["数据资源"]["F1"] = "摘要说明"
    bad = tmp_path / "header.xlsx"
    book.save(bad)
    errors = refused(cli, demo_db, bad, lang="zh_CN")
    assert len(errors) == 1
    assert errors[0]["value"] == "摘要说明" and errors[0]["row"] == 1
    assert "是否应为“摘要”" in errors[0]["message"]
    en = refused(cli, demo_db, bad, lang="en")
    assert "did you mean 摘要?" in en[0]["message"]


def test_a_missing_optional_column_leaves_the_field_unchanged(cli: Cli, demo_db: Database,
                                                              exported: Path,
                                                              tmp_path: Path) -> None:
    with demo_db.engine.connect() as c:
        before = dict(c.execute(text("SELECT code, summary FROM data_resources")).all())
        items_before = c.execute(text("SELECT resource_id, seq, name, description, length "
                                      "FROM data_items ORDER BY 1, 2")).all()
    book = load_workbook(exported)
    res, items = book["数据资源"], book["信息项"]
    res.delete_cols(6)  # 摘要
    items.delete_cols(6)  # 说明
    items.delete_cols(5)  # 长度
    items.delete_cols(2)  # 序号
    assert res["B2"].value and res["A2"].value == "101/000001"
    res["B2"] = "改名后的资源"
    path = tmp_path / "fewer-columns.xlsx"
    book.save(path)
    code, data, _out = cli.run("import", str(path))
    assert code == 0 and data["changes"] == {"inserted": 0, "updated": 1, "unchanged": 299}
    with demo_db.engine.connect() as c:
        after = dict(c.execute(text("SELECT code, summary FROM data_resources")).all())
        items_after = c.execute(text("SELECT resource_id, seq, name, description, length "
                                     "FROM data_items ORDER BY 1, 2")).all()
        name = c.execute(text("SELECT name FROM data_resources WHERE code = '101/000001'")
                         ).scalar()
    assert after == before and items_after == items_before and name == "改名后的资源"


def test_a_hidden_data_sheet_is_read_and_reported(cli: Cli, demo_db: Database, exported: Path,
                                                  tmp_path: Path) -> None:
    book = load_workbook(exported)
    book["信息项"].sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    before = fingerprint(demo_db)
    code, data, out = cli.run("import", str(path), "--dry-run")
    assert code == 0 and data["ok"] and data["changes"]["unchanged"] == 300
    assert [w["sheet"] for w in data["warnings"]] == ["信息项"]
    assert "is hidden" in data["warnings"][0]["message"]
    assert fingerprint(demo_db) == before
    cli.capsys.readouterr()
    assert main(["catalog", "import", str(path), "--dry-run", "--lang", "zh_CN", *cli.args]) == 0
    assert "工作表“信息项”是隐藏的" in cli.capsys.readouterr().out


# -- bombs ------------------------------------------------------------------------------------
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
      'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
      'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
      'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships"><sheets><sheet name="数据资源" sheetId="1" '
            'r:id="rId1"/><sheet name="信息项" sheetId="2" r:id="rId2"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
           'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
           'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
           'worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats'
           '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
           '</Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"
EMPTY_SHEET = SHEET_HEAD + SHEET_TAIL


def write_raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip of (name, raw deflate data, CRC-32, size told in the headers) members."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        raw_name = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data),
                           size, len(raw_name), 0) + raw_name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc,
                               len(data), size, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(out), 0)
    path.write_bytes(bytes(out + central + end))


def deflated(text_: str) -> tuple[bytes, int, int]:
    data = text_.encode()
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def bomb(path: Path, gib: float, told: int | None = None) -> int:
    """A workbook whose resources sheet inflates to ``gib`` GiB of XML (blanks between the
    elements, which XML allows): one 16 MB block deflated once with a full flush, so the
    same bytes can be repeated. ``told`` = the size the headers give (the truth by default).
    Returns the size of the file."""
    block = b" " * (16 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(SHEET_HEAD.encode()) + c.flush(zlib.Z_FULL_FLUSH)
    once = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    repeats = int(gib * 2**30) // len(block)
    tail = c.compress(SHEET_TAIL.encode()) + c.flush()
    crc = zlib.crc32(SHEET_HEAD.encode())
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(SHEET_TAIL.encode(), crc)
    size = len(SHEET_HEAD) + repeats * len(block) + len(SHEET_TAIL)
    members = [(n, *deflated(t)) for n, t in (("[Content_Types].xml", CT), ("_rels/.rels", RELS),
                                             ("xl/workbook.xml", WORKBOOK),
                                             ("xl/_rels/workbook.xml.rels", WB_RELS),
                                             ("xl/worksheets/sheet2.xml", EMPTY_SHEET))]
    sheet = head + once * repeats + tail
    members.append(("xl/worksheets/sheet1.xml", sheet, crc, told if told is not None else size))
    write_raw_zip(path, members)
    return path.stat().st_size


def test_a_deflate_bomb_is_refused_before_reading(cli: Cli, demo_db: Database,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    assert bomb(path, 2) < 5 * 2**20  # 2 GiB of sheet XML in a file of about 2 MB
    errors = refused(cli, demo_db, path)
    assert "xl/worksheets/sheet1.xml" in errors[0]["message"]
    assert "2048 MB uncompressed, over the 1024 MB limit" in errors[0]["message"]
    lying = tmp_path / "lying.xlsx"  # the same, with headers that claim 2 KB
    bomb(lying, 2, told=2048)
    errors = refused(cli, demo_db, lying, lang="zh_CN")
    assert "文件已损坏" in errors[0]["message"]
    dense = tmp_path / "dense.xlsx"  # 128 MB that inflates 1,000 times
    bomb(dense, 0.125)
    errors = refused(cli, demo_db, dense)
    assert "the mark of a zip bomb" in errors[0]["message"]


def test_a_cell_at_the_last_column_and_row_is_refused_before_reading(
        cli: Cli, demo_db: Database, exported: Path, tmp_path: Path) -> None:
    book = load_workbook(exported)
    book["信息项"]["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    book.save(path)
    assert path.stat().st_size < 2**20
    errors = refused(cli, demo_db, path, lang="zh_CN")  # calamine would abort the process here
    assert errors[0]["sheet"] == "信息项"
    assert "A1:XFD1048576" in errors[0]["message"] and "17,179,869,184" in errors[0]["message"]


# -- containers -------------------------------------------------------------------------------
def test_a_password_protected_workbook_says_so(cli: Cli, demo_db: Database, exported: Path,
                                               tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    path = tmp_path / "protected.xlsx"
    with open(exported, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    en = refused(cli, demo_db, path)
    assert "encrypted" in en[0]["message"] and "save it without a password" in en[0]["message"]
    zh = refused(cli, demo_db, path, lang="zh_CN")
    assert "已加密" in zh[0]["message"] and "不设密码" in zh[0]["message"]


def compound_file(stream: str) -> bytes:
    """A minimal OLE compound file holding one 4 KB stream (how .xls workbooks are stored)."""
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *([free] * 108)))
    fat = [fat_sect, end, 3, 4, 5, 6, 7, 8, 9, end] + [free] * 118

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, nostream,
                                                     nostream, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, nostream, 2, 4096)
                 + entry("", 0, nostream, 0, 0) * 2)
    return header + struct.pack("<128I", *fat) + directory + bytes(4096)


@pytest.mark.parametrize("case", ["xls", "xlsb", "docx", "csv"])
def test_other_files_get_a_clear_message(cli: Cli, demo_db: Database, tmp_path: Path,
                                         case: str) -> None:
    path = tmp_path / f"file.{case}"
    if case == "xls":
        path.write_bytes(compound_file("Workbook"))
        expected = "old Excel 97-2003 workbook (.xls)"
    elif case == "xlsb":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", CT)
            z.writestr("xl/workbook.bin", b"\0" * 16)
        expected = "binary workbook (.xlsb)"
    elif case == "docx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", CT)
            z.writestr("word/document.xml", "<w:document/>")
        expected = "is not an Excel workbook (.xlsx) or an OpenDocument spreadsheet"
    else:
        path.write_text("资源代码,资源名称\n101/000001,x\n", encoding="utf-8")
        expected = "is not an Excel workbook (.xlsx) or an OpenDocument spreadsheet"
    errors = refused(cli, demo_db, path)
    assert expected in errors[0]["message"] and path.name in errors[0]["message"]


# -- the round trip ---------------------------------------------------------------------------
TRICKY = {"summary": "\u3000\u3000首行缩进两格，中间有\u3000全角空格。 \n第二行，末尾有换行\n",
          "sharing_condition": " 前后有空格 "}


def test_values_saved_by_the_editor_come_back_unchanged(cli: Cli, demo_db: Database,
                                                        tmp_path: Path) -> None:
    from govdesk.catalog.editing.resources import load_draft, save_resource

    with demo_db.engine.connect() as c:
        rid = c.execute(text("SELECT id FROM data_resources WHERE sharing_type = 'conditional' "
                             "ORDER BY code LIMIT 1")).scalar()
    draft, version = load_draft(cli.handle, cli.who, rid)
    draft = dataclasses.replace(draft, name="  名称前后有空格  ", **TRICKY)
    save_resource(cli.handle, cli.who, draft, resource_id=rid, base_version=version)
    with demo_db.engine.connect() as c:
        stored = c.execute(text("SELECT name, summary, sharing_condition FROM data_resources "
                                "WHERE id = :i"), {"i": rid}).one()
    assert tuple(stored) == ("名称前后有空格", TRICKY["summary"], TRICKY["sharing_condition"])
    out = tmp_path / "again.xlsx"
    assert cli.run("export", str(out))[0] == 0
    before = fingerprint(demo_db)
    code, data, _out = cli.run("import", str(out))
    assert code == 0 and data["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300}
    assert fingerprint(demo_db) == before
    # and the file holds the value exactly (no inner U+3000 turned into a space)
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("数据资源").to_python()
    assert TRICKY["summary"] in [r[5] for r in rows]


def test_export_refuses_a_value_longer_than_a_cell_holds(cli: Cli, demo_db: Database,
                                                         tmp_path: Path) -> None:
    from govdesk.catalog.editing.resources import load_draft, save_resource

    with demo_db.engine.connect() as c:
        rid, code = c.execute(text("SELECT id, code FROM data_resources ORDER BY code "
                                   "LIMIT 1 OFFSET 7")).one()
    draft, version = load_draft(cli.handle, cli.who, rid)
    save_resource(cli.handle, cli.who, dataclasses.replace(draft, summary="长" * 40_000),
                  resource_id=rid, base_version=version)
    out = tmp_path / "long.xlsx"
    exit_code, data, _out = cli.run("export", str(out))
    assert exit_code == 1 and not out.exists()
    assert code in data["error"] and "摘要" in data["error"] and "40,000" in data["error"]
    assert "32,767" in data["error"]
    cli.capsys.readouterr()
    assert main(["catalog", "export", str(out), "--lang", "zh_CN", *cli.args]) == 1
    assert "超过 Excel 单元格最多 32,767 个字符" in cli.capsys.readouterr().err


def test_an_untouched_export_reimports_with_no_change(cli: Cli, demo_db: Database,
                                                      exported: Path) -> None:
    before = fingerprint(demo_db)
    code, data, _out = cli.run("import", str(exported))
    assert code == 0 and data["written"] is False and data["errors"] == []
    assert data["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300}
    assert fingerprint(demo_db) == before
    report = import_catalog(cli.handle, cli.who, exported, dry_run=True)
    assert report.ok and report.unchanged == 300 and report.warnings == []
    export_catalog(cli.handle, cli.who, exported)  # the service itself, as the same login


def test_a_text_longer_than_a_cell_holds_is_refused(cli: Cli, demo_db: Database,
                                                    exported: Path, tmp_path: Path) -> None:
    """calamine cuts a text over 32,767 characters to that length without a word (a file made
    by a program can hold one): the check finds it in the XML and the import refuses."""
    path = tmp_path / "long.xlsx"
    summary = "长" * 40_000
    rewrite_sheet(exported, path, RESOURCES_XML, lambda xml: set_cell(
        xml, "F2", f"<is><t>{summary}</t></is>", "inlineStr"))
    errors = refused(cli, demo_db, path)
    assert "40,000 characters, more than the 32,767 a cell holds" in errors[0]["message"]
    errors = refused(cli, demo_db, path, lang="zh_CN")
    assert "超过单元格最多 32,767 个字符" in errors[0]["message"]
