"""Validation messages in the user's language, for the GUI, the CLI and import reports.

A :class:`Problem` carries a message code and parameters; :func:`text` renders it in Chinese or
English. Keeping the texts here (not in Qt) lets headless commands report in either language.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from govdesk.errors import InputRejected

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("必填项“{field}”为空", "{field} is required"),
    "too_long": ("“{field}”超过 {max} 个字符", "{field} is longer than {max} characters"),
    "not_in_list": ("“{value}”不是“{field}”的有效取值（可选：{allowed}）",
                    "{value!r} is not a valid {field} (choose from: {allowed})"),
    "basis_required": ("共享类型为“不予共享”时必须填写不予共享依据",
                       "'Not shared' needs the legal or policy basis"),
    "not_shared_implies_not_open": ("“不予共享”的资源开放属性必须为“不予开放”",
                                    "A resource that is not shared cannot be open"),
    "conditions_required": ("共享类型为“有条件共享”时必须填写共享条件",
                            "'Shared on conditions' needs the conditions"),
    "open_conditions_required": ("开放属性为“有条件开放”时必须填写开放条件",
                                 "'Open on conditions' needs the conditions"),
    "unknown_category": ("分类“{value}”不存在", "Category {value} does not exist"),
    "unknown_organisation": ("提供方“{value}”不存在", "Provider {value} does not exist"),
    "unknown_region": ("行政区划代码“{value}”不存在", "Region code {value} does not exist"),
    "region_out_of_scope": ("行政区划“{value}”不在您的管辖范围内",
                            "Region {value} is outside your area"),
    "unknown_related": ("关联资源代码“{value}”不存在", "Related resource {value} does not exist"),
    "unknown_grade": ("分级“{value}”不在当前分级方案中", "Grade {value} is not in the active scheme"),
    "duplicate_item": ("信息项名称“{value}”重复", "Data item {value!r} appears twice"),
    "bad_length": ("长度“{value}”必须是正整数", "Length {value!r} must be a positive whole number"),
    "bad_code": ("资源代码“{value}”格式不正确（应为 分类代码/序号）",
                 "Resource code {value!r} is not category-code/sequence"),
    "bad_date": ("“{value}”不是日期", "{value!r} is not a date"),
    "grade_raised": ("资源分级已按“就高从严”提高到“{value}”（信息项“{item}”的分级）",
                     "The resource grade was raised to {value} to match item {item!r} (就高从严)"),
    "no_items": ("至少需要一个信息项", "At least one data item is required"),
    "grade_lowered": ("“{what}”的分级不能由“{old}”降为“{value}”：数据管理员只能提高分级，降级请安全管理员重新定级",
                      "The grade of {what!r} cannot go down from {old} to {value}: a data "
                      "administrator only raises grades; a security administrator re-grades"),
    # grade schemes (catalog/schemes.py)
    "scheme_unreadable": ("无法读取分级方案文件：{value}", "Cannot read the scheme file: {value}"),
    "scheme_no_grades": ("分级方案中没有任何分级", "The scheme has no grades"),
    "bad_bool": ("“{value}”不是“是/否”", "{value!r} is not yes/no"),
    "bad_int": ("“{value}”不是 {min}–{max} 之间的整数",
                "{value!r} is not a whole number from {min} to {max}"),
    "duplicate_code": ("编码“{value}”重复", "Code {value!r} appears twice"),
    "duplicate_rank": ("级别序号“{value}”重复（序号越大越严格，必须各不相同）",
                       "Rank {value} appears twice (higher is stricter; ranks must differ)"),
    "unknown_detector": ("识别器“{value}”不存在（可选：{allowed}）",
                         "Detector {value!r} does not exist (choose from: {allowed})"),
    "detector_twice": ("识别器“{value}”被多个分级使用", "Detector {value!r} is used by two grades"),
    "unmapped_grade": ("当前分级“{value}”仍被 {count} 个资源或信息项使用，需指定它在新方案中的对应分级",
                       "Grade {value!r} is still used by {count} resources or items: say which "
                       "grade of the new scheme it becomes"),
    "bad_code_category": ("分类代码“{value}”应为 {digits} 位数字",
                          "Category code {value!r} must have {digits} digits"),
    "category_prefix": ("分类代码“{value}”必须以上级分类代码“{parent}”开头",
                        "Category code {value!r} must start with its parent's code {parent}"),
    "bad_mapping": ("对应关系“{value}”无效：{reason}", "Mapping {value!r} is not valid: {reason}"),
}

FIELD_NAMES: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"), "code": ("资源代码", "resource code"),
    "category": ("分类", "category"), "provider": ("提供方", "provider"),
    "summary": ("摘要", "summary"), "format": ("资源格式", "format"),
    "sharing_type": ("共享类型", "sharing type"), "sharing_method": ("共享方式", "sharing method"),
    "open_type": ("开放属性", "open type"), "update_cycle": ("更新周期", "update cycle"),
    "region": ("行政区划", "region"), "item_name": ("信息项名称", "data item name"),
    "data_type": ("数据类型", "data type"), "length": ("长度", "length"),
    "grade": ("分级", "grade"), "publish_date": ("发布日期", "publish date"),
    "rank": ("级别序号", "rank"), "masking_required": ("需脱敏", "masking required"),
    "export_allowed": ("允许导出", "export allowed"),
    "export_encryption_required": ("导出需加密", "export encryption required"),
    "sharing_types_allowed": ("允许的共享类型", "sharing types allowed"),
    "approvals_required": ("共享审批人数", "approvals required"),
    "min_dr_level": ("最低灾备等级", "minimum DR level"),
    "audit_retention_days": ("审计日志保留天数", "audit retention days"),
    "detectors": ("识别器", "detectors"), "mapping": ("对应关系", "mapping"),
    "file": ("文件", "file"), "scheme": ("分级方案", "scheme"),
}


@dataclass(frozen=True)
class Problem:
    """One validation finding. ``item`` is the 1-based data-item row, None for the resource.
    ``blocking`` is False for notices (e.g. a grade raised automatically)."""

    code: str
    field: str
    value: object = None
    item: int | None = None
    params: dict[str, object] = dc_field(default_factory=dict)
    blocking: bool = True

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang`` ("zh" or "en")."""
        zh, en = MESSAGES[self.code]
        name = FIELD_NAMES.get(self.field, (self.field, self.field))[0 if lang == "zh" else 1]
        template = zh if lang == "zh" else en
        return template.format(field=name, value=self.value, **self.params)


class LocatedProblems(InputRejected):
    """Rejected input with every problem and where it is: ``problems`` are (where, Problem)
    pairs; the message lists them in ``lang``."""

    def __init__(self, problems: list[tuple[str, Problem]], lang: str = "zh") -> None:
        self.problems = problems
        super().__init__("\n".join(f"{where}: {p.text(lang)}" if where else p.text(lang)
                                   for where, p in problems))
