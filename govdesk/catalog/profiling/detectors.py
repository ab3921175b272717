"""Detectors: what the values of one column are (citizen IDs, phone numbers, names, ...).

Each detector validates values one at a time (structure, dates, check digits, known codes), so a
column's confidence is the share of its sampled values that truly validate, not the share that
merely looks right: an 18-digit order number fails the GB 11643 check digit ten times in eleven.
Column names add hints in Chinese and English, matched as whole words (``scenario_code`` holds
neither a "name" nor an "id"). Three detectors whose values alone are ambiguous (a 1–7 digit, a
1–4 digit, a date) count only when the column's name says so.

Pure functions over strings: no database, no pandas, no Qt.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from stdnum import luhn

from govdesk.catalog.profiling.identifiers import (
    DISABILITY_CATEGORIES,
    DISABILITY_GRADES,
    citizen_id_problem,
    disability_cert_problem,
)
from govdesk.config import resources_dir

#: detector codes, in the order they are tried (more specific first)
DETECTOR_CODES = ("disability_cert", "citizen_id", "bank_card", "phone", "region_code",
                  "birth_date", "disability_category", "disability_grade", "person_name",
                  "address")

#: how each detector's values are masked (keys of security.masking.MASKERS)
MASK_KIND = {
    "citizen_id": "citizen_id", "disability_cert": "disability_cert", "phone": "phone",
    "person_name": "person_name", "address": "address", "bank_card": "bank_card",
    "birth_date": "other", "disability_category": "other", "disability_grade": "other",
    "region_code": "none",
}

# -- validators -------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


def valid_citizen_id(v: str) -> bool:
    """18-character GB 11643 number with a real birth date and check digit, or a 15-digit
    first-generation number with a real province and birth date."""
    v = v.strip().upper()
    if len(v) == 18:
        return citizen_id_problem(v) is None
    if len(v) == 15 and v.isdigit() and v[:2] in _provinces():
        return _date_ok(1900 + int(v[6:8]), int(v[8:10]), int(v[10:12]))
    return False


def valid_disability_cert(v: str) -> bool:
    return disability_cert_problem(v) is None


_MOBILE = re.compile(r"(?:\+?86[- ]?)?1[3-9]\d{9}")
_FIXED = re.compile(r"(?:\(0\d{2,3}\)|0\d{2,3})[- ]?[2-9]\d{6,7}(?:-\d{1,6})?")


def valid_phone(v: str) -> bool:
    """A mainland mobile number (1[3-9] + 9 digits, optionally +86) or a fixed number *with* its
    area code (a bare 7–8 digit number is as likely a count or an amount)."""
    v = v.strip().replace(" ", "") if len(v) < 30 else v
    return bool(_MOBILE.fullmatch(v) or _FIXED.fullmatch(v))


def valid_bank_card(v: str) -> bool:
    """16–19 digits (spaces allowed) passing the Luhn check, issuer digit 3–6 (UnionPay 62,
    Visa 4, Mastercard 5, JCB/Amex 3). A random number passes Luhn one time in ten."""
    d = v.strip().replace(" ", "").replace("-", "")
    return 16 <= len(d) <= 19 and d.isdigit() and d[0] in "3456" and luhn.is_valid(d)


@functools.cache
def _region_codes() -> frozenset[str]:
    with open(resources_dir() / "regions" / "adcodes.csv", encoding="utf-8", newline="") as f:
        return frozenset(r["adcode"] for r in csv.DictReader(f))


@functools.cache
def _provinces() -> frozenset[str]:
    """The two-digit province codes of the GB/T 2260 list."""
    return frozenset(c[:2] for c in _region_codes() if c[:2] != "00")


def valid_region_code(v: str) -> bool:
    """A GB/T 2260 code of 6, 9 or 12 digits that names a real division."""
    v = v.strip()
    return len(v) in (6, 9, 12) and v.isdigit() and v.ljust(12, "0") in _region_codes()


def _date_ok(y: int, m: int, d: int) -> bool:
    try:
        day = dt.date(y, m, d)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.date.today()


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?")


def valid_birth_date(v: str) -> bool:
    """A past date since 1900: 2001-02-03, 2001/2/3, 2001.02.03, 20010203, 2001年2月3日."""
    v = v.strip()
    if len(v) == 8 and v.isdigit():
        return _date_ok(int(v[:4]), int(v[4:6]), int(v[6:]))
    m = _DATE.fullmatch(v)
    return m is not None and _date_ok(int(m[1]), int(m[2]), int(m[3]))


_CATEGORY_WORDS = {zh for zh, _en in DISABILITY_CATEGORIES.values()} | {
    zh[:2] for zh, _en in DISABILITY_CATEGORIES.values()} | {
    en for _zh, en in DISABILITY_CATEGORIES.values()}


def valid_disability_category(v: str) -> bool:
    """1–7, or a category name (视力残疾 / 视力 / visual …)."""
    v = v.strip().lower()
    return v in DISABILITY_CATEGORIES or v in _CATEGORY_WORDS


_GRADE_WORDS = set(DISABILITY_GRADES.values()) | {g + "残疾" for g in DISABILITY_GRADES.values()} \
    | {"一", "二", "三", "四"}


def valid_disability_grade(v: str) -> bool:
    """1–4, or 一级 … 四级."""
    v = v.strip()
    return v in DISABILITY_GRADES or v in _GRADE_WORDS


#: common single-character surnames (the 100 most frequent cover about 85 % of people) and the
#: compound ones still met
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_COMPOUND_SURNAMES = frozenset(("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
                                "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐", "端木", "独孤"))
_HAN = re.compile(r"[\u4e00-\u9fff·]{2,5}")
#: endings that make a short Chinese string a place, a body or a category rather than a person
_NOT_NAME_ENDINGS = tuple("省市县区镇乡村街路会局院校所站队部厅委室组科处司厂店类级型") + (
    "残疾", "中心", "公司")


def valid_person_name(v: str) -> bool:
    """2–4 Han characters (5 with a compound surname or ·), starting with a known surname, not
    ending like a place, an organisation or a category (杭州市, 康复中心, 视力残疾)."""
    v = v.strip()
    if not _HAN.fullmatch(v) or v.endswith(_NOT_NAME_ENDINGS):
        return False
    if v[:2] in _COMPOUND_SURNAMES:
        return 3 <= len(v) <= 5
    return v[0] in _SURNAMES and len(v) <= 4


_ADDRESS_MARKERS = re.compile(r"省|自治区|市|区|县|旗|镇|乡|街道|路|街|大道|巷|弄|村|社区|小区|号|栋|幢|单元|室|楼")


def valid_address(v: str) -> bool:
    """At least 6 characters with Han text and two different address markers (省, 市, 区, 路,
    号, 村 …), or one marker followed by a house number."""
    v = v.strip()
    if len(v) < 6 or not re.search(r"[\u4e00-\u9fff]", v):
        return False
    markers = set(_ADDRESS_MARKERS.findall(v))
    return len(markers) >= 2 or bool(re.search(r"[路街巷弄道村]\S*\d+号", v))


# -- column-name hints ------------------------------------------------------------------------

def name_tokens(column: str) -> tuple[str, ...]:
    """``column`` split into lower-case words (snake, kebab, camel case, spaces)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", column)
    return tuple(t for t in re.split(r"[^0-9A-Za-z\u4e00-\u9fff]+", spaced.lower()) if t)


@dataclass(frozen=True)
class Hint:
    """Column-name evidence for a detector: Chinese substrings, English word sequences."""

    zh: tuple[str, ...] = ()
    en: tuple[tuple[str, ...], ...] = ()

    def matches(self, column: str) -> bool:
        if any(z in column for z in self.zh):
            return True
        tokens = name_tokens(column)
        joined = "".join(tokens)
        for words in self.en:
            n = len(words)
            if any(tokens[i:i + n] == words for i in range(len(tokens) - n + 1)):
                return True
            if n > 1 and "".join(words) == joined:  # idcard, birthdate
                return True
        return False


HINTS: dict[str, Hint] = {
    "citizen_id": Hint(("身份证", "公民身份号码", "证件号码", "身份号码"),
                       (("id", "card"), ("id", "no"), ("id", "number"), ("citizen", "id"),
                        ("identity", "number"), ("sfz",), ("sfzh",), ("idcard",))),
    "disability_cert": Hint(("残疾人证", "残疾证", "证号"),
                            (("disability", "cert"), ("disability", "certificate"),
                             ("cert", "no"), ("cjrzh",), ("cjzh",))),
    "phone": Hint(("电话", "手机", "联系方式", "联系号码"),
                  (("phone",), ("mobile",), ("tel",), ("telephone",), ("cellphone",),
                   ("lxdh",), ("sjhm",))),
    "person_name": Hint(("姓名", "名字", "联系人", "监护人", "户主"),
                        (("name",), ("person", "name"), ("full", "name"), ("xm",),
                         ("guardian",), ("contact",))),
    "address": Hint(("地址", "住址", "居住地", "户籍地", "住所"),
                    (("address",), ("addr",), ("residence",), ("dz",), ("zz",))),
    "region_code": Hint(("行政区划", "区划代码", "地区代码", "区域代码"),
                        (("region", "code"), ("area", "code"), ("adcode",), ("division", "code"),
                         ("xzqh",), ("qhdm",))),
    "disability_category": Hint(("残疾类别", "残疾类型", "残疾种类"),
                                (("disability", "category"), ("disability", "type"),
                                 ("cjlb",), ("cjlx",))),
    "disability_grade": Hint(("残疾等级", "残疾级别"),
                             (("disability", "grade"), ("disability", "level"), ("cjdj",))),
    "birth_date": Hint(("出生", "生日"),
                       (("birth",), ("birthday",), ("birth", "date"), ("date", "of", "birth"),
                        ("dob",), ("csrq",))),
    "bank_card": Hint(("银行卡", "银行账号", "卡号", "账号", "帐号"),
                      (("bank", "card"), ("bank", "account"), ("card", "no"),
                       ("account", "no"), ("yhkh",))),
}

#: hints that the column describes a guardian (监护人) rather than the person themselves
GUARDIAN_HINT = Hint(("监护人", "监护"), (("guardian",),))

#: detectors whose values alone prove nothing (any 1–7 digit, any date): they need a name hint
NEEDS_HINT = frozenset({"disability_category", "disability_grade", "birth_date"})

VALIDATORS: dict[str, Callable[[str], bool]] = {
    "citizen_id": valid_citizen_id,
    "disability_cert": valid_disability_cert,
    "phone": valid_phone,
    "person_name": valid_person_name,
    "address": valid_address,
    "region_code": valid_region_code,
    "disability_category": valid_disability_category,
    "disability_grade": valid_disability_grade,
    "birth_date": valid_birth_date,
    "bank_card": valid_bank_card,
}

#: share of sampled values that must validate (with a name hint, less is enough: dirty data)
THRESHOLD = 0.8
THRESHOLD_WITH_HINT = 0.5


@dataclass(frozen=True)
class Detection:
    """What one column holds, by one detector (``detector`` None: nothing recognised)."""

    detector: str | None
    confidence: float  #: 0–1: share of sampled values that validate (+0.05 with a name hint)
    valid_share: float  #: share of sampled values that validate
    hinted: bool  #: the column name points to this detector
    guardian: bool  #: the column name says it describes a guardian
    scores: dict[str, float]  #: every detector's valid share, for the report


def detect(column: str, values: Iterable[str]) -> Detection:
    """The best detector for a column named ``column`` whose sampled non-empty values are
    ``values`` (strings, as read). Never raises on odd input."""
    sample = [v for v in values if v is not None and str(v).strip()]
    hinted = {code for code, hint in HINTS.items() if hint.matches(column)}
    guardian = GUARDIAN_HINT.matches(column)
    if not sample:
        return Detection(None, 0.0, 0.0, False, guardian, {})
    scores: dict[str, float] = {}
    best: tuple[float, str] | None = None
    for code in DETECTOR_CODES:
        if code in NEEDS_HINT and code not in hinted:
            continue
        ok = VALIDATORS[code]
        share = sum(1 for v in sample if ok(str(v))) / len(sample)
        scores[code] = round(share, 4)
        need = THRESHOLD_WITH_HINT if code in hinted else THRESHOLD
        if share >= need:
            score = share + (0.05 if code in hinted else 0.0)
            if best is None or score > best[0] + 1e-9:
                best = (score, code)
    if best is None:
        return Detection(None, 0.0, 0.0, False, guardian, scores)
    code = best[1]
    return Detection(code, round(min(1.0, best[0]), 4), scores[code], code in hinted, guardian,
                     scores)
