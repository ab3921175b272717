"""A sample file with known truth, for the profiler's tests, its benchmark and demonstrations.

Twenty columns of fictitious people, each column with the detector it should be found by
(:data:`TRUTH`), including the decoys peer tools misread: 18-digit IDs with one digit changed,
18-digit order numbers, a ``scenario_code`` column, amounts, counts and free text.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from govdesk.demo.person import Person
from govdesk.demo.rows import RegionRef

#: column name -> detector that should find it (None: no personal data there)
TRUTH: dict[str, str | None] = {
    "姓名": "person_name",
    "公民身份号码": "citizen_id",
    "残疾人证号": "disability_cert",
    "联系电话": "phone",
    "户籍地址": "address",
    "行政区划代码": "region_code",
    "残疾类别": "disability_category",
    "残疾等级": "disability_grade",
    "出生日期": "birth_date",
    "银行卡号": "bank_card",
    "监护人姓名": "person_name",
    "监护人电话": "phone",
    "altered_id": None,  # valid IDs with one digit changed: the check digit fails
    "order_no": None,  # 18-digit order numbers
    "scenario_code": None,
    "补贴金额": None,
    "服务次数": None,
    "办证日期": None,  # a date, but not a birth date
    "文化程度": None,
    "服务机构": None,
}

_COUNTIES = tuple(RegionRef(code, name, 3, code[:4] + "00000000") for code, name in (
    ("330102000000", "上城区"), ("330106000000", "西湖区"), ("330203000000", "海曙区"),
    ("330302000000", "鹿城区"), ("330402000000", "南湖区"), ("330782000000", "义乌市")))


def _altered(citizen_id: str, rng: random.Random) -> str:
    """``citizen_id`` with one of its sequence digits changed (so the check digit is wrong)."""
    pos = rng.randrange(14, 17)
    digit = str((int(citizen_id[pos]) + rng.randint(1, 9)) % 10)
    return citizen_id[:pos] + digit + citizen_id[pos + 1:]


def sample_rows(rows: int, seed: int = 11) -> list[list[str]]:
    """``rows`` rows of the :data:`TRUTH` columns, as strings ('' for a missing value)."""
    rng = random.Random(seed)
    today = dt.date(2026, 6, 30)
    out: list[list[str]] = []
    for n in range(rows):
        p = Person(rng, rng.choice(_COUNTIES), today)
        row = [
            str(p.value("person_name", "姓名")), p.citizen_id,
            str(p.value("disability_cert", "")), str(p.value("phone", "")),
            str(p.value("address", "")), p.county.code[:6], str(p.category), str(p.grade),
            p.birth.isoformat(), str(p.value("bank_card", "")),
            str(p.value("person_name", "")) if n % 3 else "",  # guardians: a third missing
            str(p.value("phone", "")) if n % 3 else "",
            _altered(p.citizen_id, rng),
            f"{today:%Y%m%d}{rng.randrange(10**10):010d}",
            f"SC{rng.randrange(1000):04d}",
            f"{rng.uniform(50, 3000):.2f}", str(rng.randint(1, 200)),
            str(p.value("date", "")), rng.choice(("小学", "初中", "高中", "大专", "本科")),
            f"{p.county.name}{rng.choice(('康复中心', '特殊教育学校', '人民医院'))}",
        ]
        out.append(row)
    return out


def write_sample_csv(path: Path, rows: int, seed: int = 11, encoding: str = "utf-8") -> Path:
    """Write ``rows`` rows of the sample (header first) to ``path`` as CSV."""
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(TRUTH)
        block = 50_000
        for start in range(0, rows, block):
            w.writerows(sample_rows(min(block, rows - start), seed + start))
    return path

