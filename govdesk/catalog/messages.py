"""The catalogue's messages in the user's language, for the GUI, the CLI and import reports.

:data:`MESSAGES` are validation problems: a :class:`Problem` carries a message code, the field
and the value and renders itself in Chinese or English (:meth:`Problem.text`). :data:`ERRORS`
are the codes the catalogue's services raise (``InputRejected("category_missing", code=...)``).
Both are registered in the one catalogue of :mod:`govdesk.messages`; keeping the texts here
(not in Qt) lets headless commands report in either language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from govdesk.errors import InputRejected
from govdesk.messages import DEFAULT_LANG, Message, Text, define, jsonable, render

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("必填项“{field}”为空", "{field} is required"),
    "too_long": ("“{field}”有 {length} 个字符，超过 {max} 个字符的上限（“{value}”）",
                 "{field} has {length} characters, more than the {max} it may have ({value!r})"),
    "too_large": ("“{field}”的值 {value} 超过上限 {max}", "{field} {value} is larger than {max}"),
    "nul_char": ("“{field}”的第 {position} 个字符是空字符（U+0000），数据库不能保存它：请删除后再保存（“{value}”）",
                 "{field} holds a NUL character (U+0000) at position {position}, which the "
                 "database cannot store: remove it ({value!r})"),
    "code_unavailable": ("资源代码“{value}”不能使用：它不在您可以修改的范围内（可能已被您管辖范围以外的资源使用）；新资源请换用其他代码",
                         "Resource code {value} cannot be used: it is not one you may change (a "
                         "resource outside your area may hold it); give a new resource another "
                         "code"),
    "resource_out_of_scope": ("资源“{value}”不在您的管辖范围内，您不能修改它",
                              "Resource {value} is outside your area: you cannot change it"),
    "code_taken": ("资源代码“{value}”已被使用：请换用其他代码，或留空由系统分配",
                   "Resource code {value} is already in use: choose another, or leave it empty "
                   "to have one assigned"),
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
    "organisation_inactive": ("提供方“{value}”已停用：新资源请选择其他提供方",
                              "Provider {value} is deactivated: choose another for a new resource"),
    "unknown_region": ("行政区划代码“{value}”不存在", "Region code {value} does not exist"),
    "region_out_of_scope": ("行政区划“{name}”（{value}）不在您的管辖范围内",
                            "Region {name} ({value}) is outside your area"),
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
    # reading workbooks (catalog/workbook_check.py, catalog/excel_import.py): ``value`` is the
    # file, member or sheet; nothing is read and nothing is written
    "wb_file_too_big": ("文件 {value} 有 {mb} MB，超过 {max} MB 的上限；请按地区或分类拆分后分别导入",
                        "{value} is {mb} MB, over the {max} MB limit; split it by region or "
                        "category and import the parts"),
    "wb_not_workbook": ("{value} 不是 Excel 工作簿（.xlsx）或 OpenDocument 电子表格（.ods），或文件已损坏、不完整",
                        "{value} is not an Excel workbook (.xlsx) or an OpenDocument spreadsheet "
                        "(.ods), or it is damaged or incomplete"),
    "wb_damaged": ("无法读取 {value}：文件已损坏（{error}）", "Cannot read {value}: the file is "
                   "damaged ({error})"),
    "wb_encrypted": ("{value} 已加密（设置了打开密码），无法读取：请在 Excel 中打开它，另存为不设密码的工作簿后再导入",
                     "{value} is encrypted (it has a password to open): open it in Excel and save "
                     "it without a password, then import that file"),
    "wb_legacy_xls": ("{value} 是旧版 Excel 97-2003 工作簿（.xls）：请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
                      "{value} is an old Excel 97-2003 workbook (.xls): save it as .xlsx in Excel "
                      "or WPS, then import that file"),
    "wb_xlsb": ("{value} 是 Excel 二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 后再导入",
                "{value} is an Excel binary workbook (.xlsb): save it as .xlsx in Excel, then "
                "import that file"),
    "wb_member_too_big": ("工作簿中的“{value}”解压后有 {mb} MB，超过 {max} MB 的上限（可能是压缩炸弹或损坏的文件）；未读取该文件",
                          "{value} inside the workbook is {mb} MB uncompressed, over the {max} MB "
                          "limit (a zip bomb or a damaged file); the file was not read"),
    "wb_total_too_big": ("{value} 解压后共有 {mb} MB，超过 {max} MB 的上限（可能是压缩炸弹）；未读取该文件",
                         "{value} is {mb} MB uncompressed in all, over the {max} MB limit (a zip "
                         "bomb?); the file was not read"),
    "wb_ratio": ("工作簿中的“{value}”被压缩了 {ratio} 倍（解压后 {mb} MB，正常的工作表约 10–20 倍，上限 {max} 倍），这是压缩炸弹的特征；未读取该文件",
                 "{value} inside the workbook inflates {ratio} times (to {mb} MB; real sheets "
                 "10-20 times, limit {max}): the mark of a zip bomb; the file was not read"),
    "wb_range_too_big": ("工作表“{value}”的使用区域是 {ref}（{rows} 行 × {cols} 列 = {cells} 个单元格），超过 {max} 个单元格的上限；请删除远处多余的单元格后再导入；未读取该文件",
                         "Sheet {value} uses the range {ref} ({rows} rows x {cols} columns = "
                         "{cells} cells), over the limit of {max} cells; delete the stray cells "
                         "far away and import again; the file was not read"),
    "wb_text_too_long": ("{value} 中有一个 {length} 个字符的文本，超过单元格最多 {max} 个字符的上限：读取时会被截断，所以不导入。请缩短该文本（较长的说明可分到多个字段），再导入",
                         "{value} holds a text of {length} characters, more than the {max} a cell "
                         "holds: it would be read cut, so it is not imported. Shorten it (a long "
                         "description can be split over fields) and import again"),
    "wb_formula_no_value": ("单元格 {value} 是公式 ={formula}，但文件中没有保存它的计算结果（通常是由程序生成、未经 Excel 计算的文件）：请在 Excel 或 WPS 中打开并保存，或把公式改为数值后再导入",
                            "Cell {value} holds the formula ={formula} but no calculated value "
                            "(the file was written by a program, not calculated by Excel): open "
                            "and save it in Excel or WPS, or replace the formula by its value"),
    "wb_formula_error": ("单元格 {value} 的值是错误 {error}{formula}：请改正后再导入",
                         "Cell {value} holds the error {error}{formula}: correct it and import "
                         "again"),
    "wb_more_cells": ("工作表“{value}”中还有 {count} 个这样的单元格", "{count} more such cells in "
                      "sheet {value}"),
    "wb_hidden_sheet": ("工作表“{value}”是隐藏的（在 Excel 中看不到）：已照常读取其中的全部数据，请确认这正是要导入的内容",
                        "Sheet {value} is hidden (not shown in Excel): its data was read as "
                        "usual; make sure it is what you mean to import"),
    "wb_unknown_header": ("列“{value}”不是模板中的列{hint}：请改为模板中的列名，或删除该列后再导入（可选：{allowed}）",
                          "Column {value!r} is not a column of the template{hint}: rename it to a "
                          "template column or delete it (columns: {allowed})"),
    "wb_duplicate_header": ("列“{value}”出现了两次（第 {first} 列和第 {second} 列）：请删除其中一列",
                            "Column {value!r} appears twice (columns {first} and {second}): "
                            "delete one of them"),
    "wb_unreadable": ("无法读取 {value}：{error}", "Cannot read {value}: {error}"),
    "export_cell_too_long": ("资源 {value} 的“{field_name}”有 {length} 个字符，超过 Excel 单元格最多 {max} 个字符的上限；Excel 会截断它，所以没有导出（未写出文件）：请缩短该值，或导出时排除该资源",
                             "The {field_name} of resource {value} has {length} characters, over "
                             "Excel's limit of {max} per cell; Excel would cut it, so nothing was "
                             "exported (no file written): shorten it, or leave that resource out "
                             "of the export"),
    # grade schemes (catalog/schemes.py)
    "scheme_unreadable": ("无法读取分级方案文件：{value}", "Cannot read the scheme file: {value}"),
    "scheme_yaml_error": ("第 {line} 行第 {column} 列不是有效的 YAML：{problem}",
                          "Line {line}, column {column} is not valid YAML: {problem}"),
    "scheme_not_utf8": ("文件不是 UTF-8 编码的文本（请以 UTF-8 保存 YAML 文件）",
                        "The file is not UTF-8 text (save the YAML file as UTF-8)"),
    "scheme_no_grades": ("分级方案中没有任何分级", "The scheme has no grades"),
    "bad_bool": ("“{value}”不是“是/否”", "{value!r} is not yes/no"),
    "bad_int": ("“{field}”的值“{value}”不是 {min}–{max} 之间的整数",
                "{field} {value!r} is not a whole number from {min} to {max}"),
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
    "scheme_loosens": ("{old} 改为 {new}，{field}放宽：{before} → {after}（{resources} 个资源、{items} 个信息项）",
                       "{old} becoming {new} loosens {field}: {before} → {after} ({resources} "
                       "resources, {items} data items)"),
    "scheme_loosening_unconfirmed": ("该方案会放宽 {count} 项管控规则，须明确确认后才能应用（未作任何更改）：",
                                     "The scheme loosens {count} handling rule(s); applying it "
                                     "needs an explicit confirmation (nothing was changed):"),
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
    "max_grant_days": ("共享授权最长天数", "longest sharing grant (days)"),
    "detectors": ("识别器", "detectors"), "mapping": ("对应关系", "mapping"),
    "file": ("文件", "file"), "scheme": ("分级方案", "scheme"),
    "sharing_condition": ("共享条件", "sharing conditions"),
    "sharing_basis": ("不予共享依据", "basis for not sharing"),
    "open_condition": ("开放条件", "open conditions"), "description": ("说明", "description"),
    "standard_code": ("标准数据元代码", "standard data element code"),
    "related_codes": ("关联资源代码", "related resource codes"),
}


#: the errors the catalogue's services raise (code -> zh, en)
ERRORS: dict[str, tuple[str, str]] = {
    # resources: reading, editing, the workflow
    "resource_missing": ("资源 {resource} 不存在。", "Resource {resource} does not exist."),
    "resource_deleted": ("资源 {resource} 不存在（可能已被删除）。",
                         "Resource {resource} does not exist (it may have been deleted)."),
    "resource_out_of_area": ("资源 {resource} 不存在，或不在您的管辖范围内。",
                             "Resource {resource} does not exist or is outside your area."),
    "resource_read_only": ("资源 {resource} 不存在，或不在您的管辖范围内（共享给您的资源是只读的）。",
                           "Resource {resource} does not exist or is outside your area (a "
                           "resource shared with you is read-only)."),
    "resource_not_visible": ("资源 {resource} 不存在，或您无权查看。",
                             "Resource {resource} does not exist or is not yours to see."),
    "version_missing": ("资源 {resource} 的第 {version} 版不存在。",
                        "Version {version} of resource {resource} does not exist."),
    "edit_conflict": ("您打开此资源后，{saved_by} 保存了第 {version} 版；请比较两个版本，决定保留哪些内容。",
                      "{saved_by} saved version {version} of this resource after you opened it; "
                      "compare the versions and choose what to keep."),
    "draft_invalid": ("{problems}", "{problems}"),
    "not_a_draft": ("{resource} 不是草稿（当前状态：{status}）。",
                    "{resource} is not a draft (it is {status})."),
    "not_under_review": ("{resource} 不在待审核状态（当前状态：{status}）。",
                         "{resource} is not waiting for review (it is {status})."),
    "own_review": ("{username} 编写或提交了 {resource}，不能再审核它。",
                   "{username} wrote or submitted {resource} and cannot also review it."),
    "bad_sort": ("不能按“{sort}”排序。", "Cannot sort by {sort!r}."),
    # categories
    "category_missing": ("分类 {code} 不存在。", "Category {code} does not exist."),
    "category_is_leaf": ("分类 {code} 是细目，不能再有下级分类。",
                         "Category {code} is a 细目: it cannot have sub-categories."),
    "category_kind_required": ("顶级分类需要指定类型：{allowed}。",
                               "A top category needs a kind: {allowed}."),
    "category_changed": ("分类 {code} 已被其他人修改，请重新加载。",
                         "Category {code} was changed by someone else; reload it."),
    "category_has_children": ("分类 {code} 下还有下级分类，请先删除它们。",
                              "Category {code} has sub-categories; remove them first."),
    "category_has_resources": ("分类 {code} 下有 {count} 个资源，请先移走它们。",
                               "Category {code} holds {count} resources; move them first."),
    # re-grading and grade suggestions
    "regrade_none": ("请至少选择一个要重新定级的资源。", "Select at least one resource to re-grade."),
    "regrade_too_many": ("一次最多重新定级 {max:,} 个资源。",
                         "Re-grade at most {max:,} resources at a time."),
    "grade_not_active": ("分级 {grade} 不在当前分级方案中。",
                         "Grade {grade} is not in the active scheme."),
    "regrade_stale": ("部分所选资源已不存在或不在您的管辖范围内；请刷新列表后重新选择。",
                      "Some selected resources no longer exist or are outside your area; "
                      "refresh the list and select again."),
    "suggestion_missing": ("分级建议 {suggestion} 不存在。", "Suggestion {suggestion} does not exist."),
    "suggestion_decided": ("分级建议 {suggestion} 已由 {decided_by} 处理（{status}）。",
                           "Suggestion {suggestion} was already {status} by {decided_by}."),
    "suggestion_changed": ("您打开分级建议 {suggestion} 后，它已被修改。",
                           "Suggestion {suggestion} changed since you opened it."),
    "suggestion_out_of_area": ("分级建议 {suggestion} 所属的资源不在您的管辖范围内。",
                               "The resource of suggestion {suggestion} is outside your area."),
    # files: schemes, profiles, exports
    "file_missing": ("{path} 不存在或不是文件。", "{path} does not exist or is not a file."),
    "scheme_file_type": ("{name}：分级方案应为 .yaml 或 .xlsx 文件。",
                         "{name}: a grade scheme is a .yaml or an .xlsx file."),
    "profile_file_type": ("{name}：请剖析 .csv 文件或 Excel 文件（.xlsx、.xls、.ods）。",
                          "{name}: profile a .csv or an Excel file (.xlsx, .xls, .ods)."),
    "profile_workbook_refused": ("{problem}：未剖析。", "{problem}: nothing profiled."),
    "profile_not_excel": ("{name} 不是可读取的 Excel 文件：{reason}",
                          "{name} is not a readable Excel file: {reason}"),
    "profile_too_wide": ("{name} 有 {columns} 列，最多只能剖析 {max} 列。第一行是表头吗？",
                         "{name} has {columns} columns; at most {max} can be profiled. Is the "
                         "first row the header?"),
    "file_empty": ("{name} 是空文件。", "{name} is empty."),
    "profile_unreadable": ("{name} 在第 {row} 行附近无法作为表格读取：{reason}",
                           "{name} could not be read as a table near row {row}: {reason}"),
    "export_type": ("请导出为 .xlsx 文件，而不是 {suffix}。", "Export to an .xlsx file, not {suffix}."),
    "cannot_write": ("无法写入 {path}：{reason}", "Cannot write {path}: {reason}"),
    # samples
    "unmask_not_provider": ("资源 {resource} 按其分级要求脱敏后共享给您的单位：只有提供方可以查看未脱敏数据。",
                            "Resource {resource} is shared with your organisation masked as its "
                            "grades require: only its providing side sees it unmasked."),
    "unmask_reason_too_short": ("查看未脱敏数据的理由至少需要 {min} 个文字或数字（空格和标点不计）；理由会记入审计日志。",
                                "The reason for an unmasked view needs at least {min} letters or "
                                "digits (spaces and punctuation do not count); it is recorded in "
                                "the audit trail."),
    "unmask_reason_required": ("查看未脱敏数据需要填写理由；理由会记入审计日志。",
                               "Give a reason for the unmasked view; it is recorded in the audit "
                               "trail."),
    "export_forbidden": ("分级为 {grades} 的数据不允许导出。",
                         "Data graded {grades} may not be exported."),
    "export_needs_encryption": ("分级为 {grades} 的数据必须加密导出：请为文件设置密码。",
                                "Data graded {grades} must be exported encrypted: give a password "
                                "for the file."),
    # a list of problems, each with where it is (LocatedProblems)
    "problems": ("{problems}", "{problems}"),
}

define(MESSAGES, __name__)
define(ERRORS, __name__)


def field_name(field: str) -> Text:
    """The name of a field in both languages (the field's key when it has none)."""
    zh, en = FIELD_NAMES.get(field, (field, field))
    return Text(zh, en)


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

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang`` ("zh" or "en")."""
        return render(self.code, lang, {**self.params, "field": field_name(self.field),
                                        "value": self.value})

    def to_json(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """Code, field, value, item, parameters and the message in ``lang``."""
        return {"code": self.code, "field": self.field, "value": jsonable(self.value, lang),
                "item": self.item, "params": jsonable(self.params, lang),
                "message": self.text(lang)}


class LocatedProblems(InputRejected):
    """Rejected input with every problem and where it is: ``problems`` are (where, Problem)
    pairs, where a text or a :class:`govdesk.messages.Message` (a workbook row: "组织机构 第 3
    行", "organisations row 3"); the message lists them, one a line, in the language it is
    rendered in, places included."""

    def __init__(self, problems: Sequence[tuple[str | Message, Problem]]) -> None:
        super().__init__("problems")
        self.problems: list[tuple[str | Message, Problem]] = list(problems)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return "\n".join(f"{jsonable(where, lang)}: {p.text(lang)}" if where else p.text(lang)
                         for where, p in self.problems)

    def json_params(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {"problems": [{"where": jsonable(where, lang), **p.to_json(lang)}
                             for where, p in self.problems]}
