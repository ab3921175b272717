"""Fictitious people for sample rows: consistent, valid identifiers (citizen ID, certificate
number, bank card) and plausible values for every kind of sample column."""

from __future__ import annotations

import datetime as dt
import random

from stdnum import luhn

from govdesk.catalog.profiling.identifiers import make_citizen_id, make_disability_cert
from govdesk.demo import templates as tpl
from govdesk.demo.rows import RegionRef


class Person:
    """One fictitious person with consistent, valid identifiers."""

    def __init__(self, rng: random.Random, county: RegionRef, today: dt.date) -> None:
        self.rng = rng
        self.county = county
        self.birth = dt.date(rng.randint(1940, 2018), rng.randint(1, 12), rng.randint(1, 28))
        self.male = rng.random() < 0.55
        seq = rng.randrange(0, 500) * 2 + (1 if self.male else 0)
        self.citizen_id = make_citizen_id(county.code[:6], self.birth, seq)
        self.category = rng.randint(1, 7)
        self.grade = rng.randint(1, 4)
        self.today = today

    def value(self, kind: str, name: str) -> object:
        rng = self.rng
        match kind:
            case "person_name":
                return rng.choice(tpl.SURNAMES) + "".join(
                    rng.choice(tpl.GIVEN) for _ in range(rng.randint(1, 2)))
            case "citizen_id":
                if name.startswith("监护人"):
                    birth = dt.date(rng.randint(1950, 1990), rng.randint(1, 12), rng.randint(1, 28))
                    return make_citizen_id(self.county.code[:6], birth, rng.randrange(1000))
                return self.citizen_id
            case "disability_cert":
                return make_disability_cert(self.citizen_id, self.category, self.grade)
            case "sex":
                return "男" if self.male else "女"
            case "birth_date":
                return self.birth.isoformat()
            case "ethnicity":
                return rng.choice(tpl.ETHNICITIES)
            case "disability_category":
                return str(self.category)
            case "disability_grade":
                return str(self.grade)
            case "phone":
                return rng.choice(tpl.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            case "address":
                return f"{self.county.name}{rng.choice(tpl.STREETS)}{rng.randint(1, 300)}号"
            case "region_code":
                return self.county.code
            case "bank_card":
                body = "622848" + f"{rng.randrange(10**12):012d}"
                return body + luhn.calc_check_digit(body)
            case "amount":
                return round(rng.uniform(50, 3000), 2)
            case "count":
                return rng.randint(1, 200)
            case "float":
                return round(rng.uniform(118, 123), 6)
            case "bool":
                return rng.random() > 0.03
            case "date":
                return (self.today - dt.timedelta(days=rng.randint(0, 3000))).isoformat()
            case "datetime":
                return (dt.datetime.combine(self.today, dt.time(9)) -
                        dt.timedelta(minutes=rng.randint(0, 500_000))).isoformat(sep=" ")
            case "hukou":
                return rng.choice(("农业", "非农业"))
            case "education":
                return rng.choice(("小学", "初中", "高中", "中专", "大专", "本科", "未上学"))
            case "org":
                return f"{self.county.name}{rng.choice(('康复中心', '特殊教育学校', '人民医院', '残疾人托养中心'))}"
            case _:
                return ""

