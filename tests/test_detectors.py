"""Detectors and the profiler: precision on generated columns with known truth, and the false
positives peer tools are known for (altered IDs, order numbers, ``scenario_code``)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govdesk.catalog.profiling import detectors as d
from govdesk.catalog.profiling.profile import profile_file
from govdesk.demo.profile_sample import TRUTH, sample_rows, write_sample_csv
from govdesk.errors import InputRejected


@pytest.mark.parametrize(("value", "ok"), [
    ("11010519491231002X", True), ("440524188001010014", True),  # the standard's examples
    ("11010519491231002x", True), ("110105194912310021", False),  # wrong check digit
    ("110105491231002", True),  # first generation, 15 digits
    ("990105491231002", False),  # no such province
    ("110105194913310028", False),  # month 13
])
def test_citizen_id(value: str, ok: bool) -> None:
    assert d.valid_citizen_id(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("13812345678", True), ("+86 13812345678", True), ("12812345678", False),
    ("0571-87654321", True), ("(0571)87654321", True), ("010-12345678", False),  # starts with 1
    ("87654321", False),  # no area code: as likely a count
    ("0571-87654321-123", True),
])
def test_phone(value: str, ok: bool) -> None:
    assert d.valid_phone(value) is ok


@pytest.mark.parametrize(("value", "ok"), [
    ("张三", True), ("欧阳娜娜", True), ("王小明", True), ("杭州市", False), ("康复中心", False),
    ("视力残疾", False), ("Zhang San", False), ("张", False), ("张三丰五六", False),
])
def test_person_name(value: str, ok: bool) -> None:
    assert d.valid_person_name(value) is ok


def test_bank_card_luhn_and_issuer() -> None:
    assert d.valid_bank_card("6228480402564890018")
    assert not d.valid_bank_card("6228480402564890011")  # Luhn fails
    assert not d.valid_bank_card("1228480402564890016")  # no issuer starts with 1
    assert d.valid_bank_card("6228 4804 0256 4890 018")


def test_region_birth_address_category_grade() -> None:
    assert d.valid_region_code("330106") and d.valid_region_code("330106000000")
    assert not d.valid_region_code("123456")
    assert d.valid_birth_date("1980-02-29") and d.valid_birth_date("1980年2月3日")
    assert d.valid_birth_date("19800203") and not d.valid_birth_date("1981-02-29")
    assert not d.valid_birth_date("2999-01-01")
    assert d.valid_address("浙江省杭州市西湖区文三路90号") and d.valid_address("解放路12号")
    assert not d.valid_address("康复服务") and not d.valid_address("无")
    assert d.valid_disability_category("4") and d.valid_disability_category("肢体残疾")
    assert not d.valid_disability_category("8")
    assert d.valid_disability_grade("二级") and not d.valid_disability_grade("5")


def test_disability_cert() -> None:
    assert d.valid_disability_cert("11010519491231002X42")
    assert not d.valid_disability_cert("11010519491231002X82")  # category 8
    assert not d.valid_disability_cert("11010519491231002X45")  # grade 5


@pytest.mark.parametrize(("column", "detector"), [
    ("身份证号", "citizen_id"), ("id_card", "citizen_id"), ("IdNumber", "citizen_id"),
    ("sfzh", "citizen_id"), ("person_name", "person_name"), ("scenario_code", None),
    ("valid", None), ("candidate", None), ("telephone", "phone"), ("birthDate", "birth_date"),
])
def test_name_hints_are_whole_words(column: str, detector: str | None) -> None:
    hinted = [code for code, hint in d.HINTS.items() if hint.matches(column)]
    assert (detector in hinted) if detector else not hinted


def test_every_generated_column_gets_its_detector() -> None:
    rows = sample_rows(3000)
    for i, name in enumerate(TRUTH):
        got = d.detect(name, [r[i] for r in rows])
        assert got.detector == TRUTH[name], (name, got)
        if got.detector:
            assert got.confidence >= 0.95


def test_decoys_are_not_personal_data() -> None:
    rng = random.Random(3)
    ids = [r[1] for r in sample_rows(2000)]
    # the same values under a neutral name still are IDs: values decide, not names
    assert d.detect("col_7", ids).detector == "citizen_id"
    # IDs with the last digit changed: only about 1 in 11 still validates
    altered = [i[:17] + str((int(i[17]) + 1) % 10 if i[17] != "X" else 0) for i in ids]
    assert d.detect("证件号码", altered).detector is None
    orders = [f"2026{rng.randrange(10**14):014d}" for _ in range(2000)]
    assert d.detect("order_no", orders).detector is None
    assert d.detect("scenario_code", [f"SC{n:04d}" for n in range(2000)]).detector is None
    # small integers are not disability categories unless the column says so
    cats = [str(rng.randint(1, 7)) for _ in range(2000)]
    assert d.detect("count", cats).detector is None
    assert d.detect("残疾类别", cats).detector == "disability_category"
    # a date column is a birth date only by name
    dates = [f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
             for _ in range(500)]
    assert d.detect("办证日期", dates).detector is None
    assert d.detect("出生日期", dates).detector == "birth_date"


def test_precision_over_mixed_columns() -> None:
    """Of 200 generated columns (half personal, half decoys), every detection is right."""
    rng = random.Random(8)
    base = sample_rows(600, seed=21)
    names = list(TRUTH)
    right = wrong = 0
    for _ in range(200):
        i = rng.randrange(len(names))
        values = [r[i] for r in rng.sample(base, 300)]
        got = d.detect(f"c{rng.randrange(1000)}", values).detector
        truth = TRUTH[names[i]]
        if truth in d.NEEDS_HINT:  # anonymous name: these must not be claimed from values
            truth = None
        if got is not None:
            right, wrong = (right + 1, wrong) if got == truth else (right, wrong + 1)
        assert got in (truth, None) or truth is None and got is None, (names[i], got)
    assert wrong == 0 and right > 50


def test_profile_file_counts_and_detects(tmp_path: Path) -> None:
    path = write_sample_csv(tmp_path / "people.csv", 1200)
    prof = profile_file(path, chunk_rows=500)  # three chunks: totals add up across them
    assert prof.rows == 1200
    by_name = {c.name: c for c in prof.columns}
    assert by_name["监护人姓名"].nulls == 400 and by_name["监护人姓名"].null_rate == 0.3333
    assert by_name["公民身份号码"].distinct >= 1190
    assert by_name["残疾等级"].distinct == 4
    assert {c.name: c.detection.detector for c in prof.columns} == TRUTH
    assert by_name["监护人电话"].detection.guardian


def test_profile_reads_gbk_csv_and_excel(tmp_path: Path) -> None:
    gbk = write_sample_csv(tmp_path / "gbk.csv", 300, encoding="gb18030")
    assert profile_file(gbk).columns[0].detection.detector == "person_name"
    import xlsxwriter

    xlsx = tmp_path / "people.xlsx"
    book = xlsxwriter.Workbook(str(xlsx))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, list(TRUTH))
    for r, row in enumerate(sample_rows(300), start=1):
        sheet.write_row(r, 0, row)
    book.close()
    prof = profile_file(xlsx)
    assert prof.rows == 300
    assert {c.name: c.detection.detector for c in prof.columns} == TRUTH


@pytest.mark.parametrize(("name", "content", "message"), [
    ("nothing.csv", b"", "is empty"),
    ("notes.docx", b"PK\x03\x04", "profile a .csv"),
    ("bad.xlsx", b"not a zip", "bad.xlsx is not an Excel workbook"),
    ("ragged.csv", b"a,b\n1,2\n1,2,3,4,5\n", "near row"),
])
def test_bad_files_get_clear_messages(tmp_path: Path, name: str, content: bytes,
                                      message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputRejected, match=message):
        profile_file(path)


def test_a_sample_workbook_gets_the_workbook_checks(tmp_path: Path) -> None:
    """A profiled workbook is checked before calamine reads it: a cell at the last row and
    column (calamine would abort the process) and a deflate bomb are refused with a message."""
    from openpyxl import Workbook

    from tests.test_excel_safety import bomb

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "样例"
    sheet.append(["姓名", "联系电话"])
    sheet["XFD1048576"] = "x"
    far = tmp_path / "far.xlsx"
    book.save(far)
    with pytest.raises(InputRejected, match="Sheet 样例 uses the range A1:XFD1048576"):
        profile_file(far)
    boom = tmp_path / "bomb.xlsx"
    bomb(boom, 1.5)
    with pytest.raises(InputRejected, match="over the 1024 MB limit"):
        profile_file(boom)
