"""What the classification's codes are called where a person reads them: detectors (what a
profiled column holds) and the handling rules of a grade, in Chinese and English. Pure data
(no database, no Qt), for the CLI and the GUI alike.

Grades themselves are named by their scheme (``GradeSpec.name``, ``GradeRef.name``): show that
name, never the grade's code.
"""

from __future__ import annotations

from govdesk.messages import lang_code
from govdesk.vocab import SHARING_TYPE, Term, Vocabulary

#: the detectors of :mod:`govdesk.catalog.profiling` (migration 0009's defaults)
DETECTOR = Vocabulary("detector", (
    Term("citizen_id", "身份证号码", "Citizen ID number"),
    Term("disability_cert", "残疾人证号", "Disability certificate number"),
    Term("phone", "电话号码", "Phone number"),
    Term("person_name", "姓名", "Person's name"),
    Term("address", "地址", "Address"),
    Term("region_code", "行政区划代码", "Region code"),
    Term("disability_category", "残疾类别", "Disability category"),
    Term("disability_grade", "残疾等级", "Disability grade"),
    Term("birth_date", "出生日期", "Date of birth"),
    Term("bank_card", "银行卡号", "Bank card number"),
))

#: the fields of :class:`govdesk.catalog.classification.schemes.GradeRules` (the Chinese are
#: the headers a scheme workbook uses)
RULE = Vocabulary("grade_rule", (
    Term("masking_required", "需脱敏", "Masking required"),
    Term("export_allowed", "允许导出", "Export allowed"),
    Term("export_encryption_required", "导出需加密", "Encrypted export required"),
    Term("sharing_types_allowed", "允许的共享类型", "Sharing types allowed"),
    Term("approvals_required", "共享审批人数", "Approvals required"),
    Term("min_dr_level", "最低灾备等级", "Minimum DR level"),
    Term("audit_retention_days", "审计日志保留天数", "Audit retention (days)"),
    Term("max_grant_days", "共享授权最长天数", "Longest sharing grant (days)"),
))


def detector_label(code: str | None, lang: str = "zh") -> str:
    """The name of the detector ``code`` in ``lang``; "-" for none, an unknown code as is."""
    return DETECTOR.label(code, lang_code(lang)) if code else "-"


def rule_label(code: str, lang: str = "zh") -> str:
    """The name of the grade rule ``code`` in ``lang``; an unknown code as is."""
    return RULE.label(code, lang_code(lang))


def rule_value(value: object, lang: str = "zh") -> str:
    """A rule's value as people read it: 是/否 for booleans, a list of sharing types by their
    names, else as is."""
    lang = lang_code(lang)
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, (tuple, list)):
        return (", " if lang == "en" else "、").join(
            SHARING_TYPE.label(str(v), lang) for v in value) or "-"
    return str(value)
