"""Excel in: a clean file is written in one transaction; anything else is reported, cell by
cell, and changes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from govdesk.catalog.excel.exporter import export_catalog
from govdesk.catalog.excel.importer import import_catalog
from govdesk.cli import main
from govdesk.db.engine import Database
from govdesk.security.identity import Identity
from govdesk.security.roles import Role

WHO = Identity("importer", Role.DATA_ADMIN, host="t")


def fingerprint(db: Database) -> str:
    """A digest of every catalogue row (to prove a refused import changed nothing)."""
    h = hashlib.sha256()
    with db.engine.connect() as c:
        for table in ("data_resources", "data_items", "resource_versions", "resource_search"):
            for row in c.execute(text(f"SELECT * FROM {table} ORDER BY 1")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


@pytest.fixture
def exported(demo_db: Database, tmp_path: Path) -> Path:
    out = tmp_path / "catalogue.xlsx"
    export_catalog(demo_db, WHO, out)
    return out


def test_round_trip_reports_no_change(demo_db: Database, exported: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    before = fingerprint(demo_db)
    report = import_catalog(demo_db, WHO, exported)
    assert report.ok and report.errors == [] and not report.written
    assert report.as_dict()["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300}
    assert fingerprint(demo_db) == before


def test_changes_are_previewed_then_written_in_one_go(demo_db: Database, exported: Path) -> None:
    book = load_workbook(exported)
    res, items = book["数据资源"], book["信息项"]
    res["F2"] = "修订后的摘要"
    new_row = [c.value for c in res[3]]
    new_row[0], new_row[1] = "101/900001", "新增的资源"
    res.append(new_row)
    items.append(["101/900001", 1, "姓名", "字符型C", 50, None, "一般数据4级", "否", "DE0001"])
    book.save(exported)
    preview = import_catalog(demo_db, WHO, exported, dry_run=True)
    assert preview.ok and preview.inserted == ["101/900001"] and preview.updated == ["101/000001"]
    assert not preview.written
    done = import_catalog(demo_db, WHO, exported)
    assert done.written and done.unchanged == 299
    from govdesk.catalog.search.browse import ResourceFilter, list_resources

    found = list_resources(demo_db, WHO, ResourceFilter(text="新增的资源"), 0, 5)
    assert [r.code for r in found] == ["101/900001"]  # indexed for search at once
    again = import_catalog(demo_db, WHO, exported)
    assert again.as_dict()["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300 + 1}


def write_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_what_people_really_send_is_accepted(demo_db: Database, exported: Path,
                                             tmp_path: Path) -> None:
    book = load_workbook(exported, read_only=True)
    res = [list(r) for r in book["数据资源"].iter_rows(values_only=True)][:4]
    items = [list(r) for r in book["信息项"].iter_rows(values_only=True)]
    book.close()
    codes = {r[0] for r in res[1:]}
    items = [items[0]] + [r for r in items[1:] if r[0] in codes]
    # columns in another order, a title row above a repeated header, trailing empty rows,
    # a date as an Excel serial number and one as Chinese text, full-width digits in a code
    order = list(reversed(range(len(res[0]))))
    shuffled = [[row[i] for i in order] for row in res]
    date_col = res[0].index("发布日期")
    shuffled[1][order.index(date_col)] = 45183  # 2023-09-15 as a serial number
    shuffled[2][order.index(date_col)] = "2023年9月15日"
    shuffled[3][order.index(0)] = "１０１／０００００３"
    rows = [["浙江省数据资源目录（导出）"], shuffled[0], *shuffled[1:2], shuffled[0],
            *shuffled[2:], [None] * len(order), [None] * len(order)]
    path = write_book(tmp_path / "resaved.xlsx", {"数据资源": rows, "信息项": items})
    report = import_catalog(demo_db, WHO, path, dry_run=True)
    assert report.ok, report.as_dict()["errors"][:5]
    assert report.inserted == []


@pytest.mark.parametrize("case", ["not_xlsx", "truncated", "other_template", "empty_sheet",
                                  "too_big", "bad_values"])
def test_wrong_files_change_nothing(demo_db: Database, exported: Path, tmp_path: Path,
                                    case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{case}.xlsx"
    if case == "not_xlsx":
        path.write_text("资源代码,资源名称\n101/000001,x\n", encoding="utf-8")
    elif case == "truncated":
        data = exported.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif case == "other_template":
        write_book(path, {"Sheet1": [["姓名", "年龄"], ["张三", 30]]})
    elif case == "empty_sheet":
        export_catalog(demo_db, WHO, path, blank=True)
    elif case == "too_big":
        from govdesk.catalog.excel.importer import MAX_BYTES

        with open(path, "wb") as f:
            f.truncate(MAX_BYTES + 1)
    else:
        shutil.copy(exported, path)
        book = load_workbook(path)
        book["数据资源"]["H2"] = "随便共享"
        book["信息项"]["D2"] = "字符"
        book.save(path)
    before = fingerprint(demo_db)
    report = import_catalog(demo_db, WHO, path)
    assert not report.ok and report.errors and not report.written
    assert fingerprint(demo_db) == before
    if case == "too_big":
        assert "150 MB limit" in import_catalog(demo_db, WHO, path, lang="en").errors[0].message
    if case == "bad_values":
        cells = {(e.sheet, e.row, e.column) for e in report.errors}
        assert ("数据资源", 2, "共享类型") in cells and ("信息项", 2, "数据类型") in cells
        assert all(e.message for e in report.errors)


def test_cli_import_json_and_exit_codes(demo_db: Database, exported: Path, tmp_path: Path,
                                        accounts_for, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                        capsys: pytest.CaptureFixture[str]) -> None:
    accounts = accounts_for(demo_db)
    who = accounts.add("data_admin")
    if demo_db.is_postgres:
        args = ["--db", accounts.url_for(who.username)]
    else:
        monkeypatch.setenv("GOVDESK_PASSWORD", accounts.PASSWORD)
        args = ["--db", demo_db.url, "--user", who.username]
    assert main(["catalog", "import", str(exported), "--dry-run", "--json", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["errors"] == []
    assert out["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300}
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert main(["catalog", "import", str(bad), "--json", *args]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and {"sheet", "row", "column", "value", "message"} <= set(out["errors"][0])


def test_a_file_saved_by_libreoffice_imports(demo_db: Database, tmp_path: Path) -> None:
    """tests/data/libreoffice-resaved.xlsx: seven new resources (85 data items) in the
    GovDesk layout, opened and saved again by LibreOffice Calc 7.4 (its own styles, shared
    strings and date cells). It imports cleanly, and importing it again changes nothing."""
    from python_calamine import CalamineWorkbook

    source = Path(__file__).parent / "data" / "libreoffice-resaved.xlsx"
    assert b"LibreOffice" in __import__("zipfile").ZipFile(source).read("docProps/app.xml")
    path = tmp_path / "resaved.xlsx"
    shutil.copy(source, path)
    report = import_catalog(demo_db, WHO, path)
    assert report.ok, report.errors[:3]
    assert report.as_dict()["changes"] == {"inserted": 7, "updated": 0, "unchanged": 0}
    again = import_catalog(demo_db, WHO, path)
    assert again.ok and again.as_dict()["changes"]["unchanged"] == 7 and not again.written
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("数据资源").to_python()
    with demo_db.engine.connect() as c:
        stored = dict(c.execute(text("SELECT code, name FROM data_resources "
                                     "WHERE code LIKE '205/9000%'")).all())
    assert stored == {r[0]: r[1] for r in rows[1:] if r[0]}
    with demo_db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM data_items i JOIN data_resources r "
                              "ON r.id = i.resource_id WHERE r.code LIKE '205/9000%'")
                         ).scalar() == 85


WPS_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
    'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.'
    'openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B'
    '-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.17827'
    '</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" '
    'name="ICV"><vt:lpwstr>0A1B2C3D4E5F</vt:lpwstr></property></Properties>')


def _rewrite(source: Path, target: Path, variant: str) -> None:
    """``source`` with its parts stored the way another writer stores them."""
    import re
    import zipfile

    def shared(xml: str, strings: list[str]) -> str:
        def cell(m: re.Match[str]) -> str:
            strings.append(m.group(2))
            return f'{m.group(1)} t="s"><v>{len(strings) - 1}</v></c>'
        return re.sub(r'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>',
                      cell, xml)

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        parts = {n: zin.read(n).decode() for n in zin.namelist()}
        if variant == "wps":
            # WPS Office's marks: its build in custom properties, shared strings, and part
            # names given as absolute paths in the relationships
            strings: list[str] = []
            for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
                parts[name] = shared(parts[name], strings)
            parts["xl/sharedStrings.xml"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
                'schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">'
                .format(len(strings)) + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
            parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
                'Target="', 'Target="/xl/').replace("</Relationships>", (
                    '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/sharedStrings" '
                    'Target="/xl/sharedStrings.xml"/></Relationships>'))
            parts["docProps/custom.xml"] = WPS_CUSTOM
            parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", (
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.custom-properties+xml"/></Types>'))
            parts["docProps/app.xml"] = re.sub(r"<Application>.*?</Application>",
                                               "<Application>WPS 表格</Application>",
                                               parts["docProps/app.xml"])
        for name, data in parts.items():
            zout.writestr(name, data)


def test_cells_stored_the_way_wps_stores_them(demo_db: Database, exported: Path,
                                              tmp_path: Path) -> None:
    """The same catalogue with the parts stored as WPS Office writes them (shared strings,
    absolute part names, its custom document properties and application name): the
    import reads exactly the same values and reports no change.

    This is built from what WPS is known to write, not saved by WPS itself: WPS has no Debian
    package, so no file really saved by it could be made here."""
    import zipfile

    from python_calamine import CalamineWorkbook

    variant = tmp_path / "wps-like.xlsx"
    _rewrite(exported, variant, "wps")
    ours = CalamineWorkbook.from_path(str(exported))
    theirs = CalamineWorkbook.from_path(str(variant))
    with zipfile.ZipFile(variant) as z:
        assert b"KSOProductBuildVer" in z.read("docProps/custom.xml")
        assert b"inlineStr" not in z.read("xl/worksheets/sheet2.xml")
        assert z.read("xl/sharedStrings.xml").count(b"<si>") > 1000
    for sheet in ("数据资源", "信息项"):
        assert (theirs.get_sheet_by_name(sheet).to_python()
                == ours.get_sheet_by_name(sheet).to_python())
    before = fingerprint(demo_db)
    report = import_catalog(demo_db, WHO, variant)
    assert report.ok and report.errors == [] and not report.written
    assert report.as_dict()["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300}
    assert fingerprint(demo_db) == before


def _ods(path: Path, sheets: dict[str, list[list[object]]], formula_at: tuple[str, int, int] | None
         = None) -> Path:
    """An OpenDocument spreadsheet of ``sheets`` written the way LibreOffice stores cells (text
    in <text:p>, numbers in office:value); ``formula_at`` (sheet, row, column) becomes a
    formula cell without a calculated value."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value: object, formula: bool) -> str:
        if formula:
            return '<table:table-cell table:formula="of:=1+1"/>'
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{name}">' + "".join(
            "<table:table-row>" + "".join(cell(v, formula_at == (name, r, c))
                                          for c, v in enumerate(row)) + "</table:table-row>"
            for r, row in enumerate(rows)) + "</table:table>" for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:'
                   'manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                   'vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
        z.writestr("content.xml", content)
    return path


def test_an_ods_copy_imports_with_no_change_and_its_formulas_are_checked(
        demo_db: Database, exported: Path, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(exported))
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in ("数据资源", "信息项")}
    for row in sheets["数据资源"][1:]:  # dates as text, as a copy made by hand would hold them
        row[14] = row[14].isoformat() if hasattr(row[14], "isoformat") else row[14]
    before = fingerprint(demo_db)
    report = import_catalog(demo_db, WHO, _ods(tmp_path / "copy.ods", sheets))
    assert report.ok, report.as_dict()["errors"][:3]
    assert report.as_dict()["changes"] == {"inserted": 0, "updated": 0, "unchanged": 300}
    bad = import_catalog(demo_db, WHO, _ods(tmp_path / "formula.ods", sheets, ("信息项", 3, 5)),
                         lang="en")
    assert not bad.ok and bad.errors[0].sheet == "信息项"
    assert "=of:=1+1 but no calculated value" in bad.errors[0].message
    assert fingerprint(demo_db) == before
