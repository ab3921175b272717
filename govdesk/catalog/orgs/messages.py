"""Messages of the organisations directory (errors its services raise and the problems an
organisations workbook can have), in Chinese and English; see :mod:`govdesk.messages`."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    # errors of the services
    "org_missing": ("组织机构 {org} 不存在。", "Organisation {org} does not exist."),
    "org_changed": ("组织机构“{code}”已被他人修改：请刷新后重试。",
                    "Organisation {code} was changed by someone else: refresh and try again."),
    "org_code_exists": ("组织机构代码“{code}”已被“{name}”使用。",
                        "Organisation code {code} is already used by {name}."),
    "org_province_unknown": ("“{province}”不是省级行政区划代码（例如 33 表示浙江省）。",
                             "{province!r} is not a province code (e.g. 33 for Zhejiang)."),
    "org_file_type": ("{name}：组织机构请从 .xlsx 工作簿导入（可先导出模板）。",
                      "{name}: import organisations from an .xlsx workbook (export the "
                      "template first)."),
    "org_row_where": ("{sheet} 第 {row} 行", "{sheet} row {row}"),
    "org_no_rows": ("{name} 的工作表“{sheet}”中没有组织机构。",
                    "Sheet {sheet} of {name} holds no organisations."),
    "org_sheet_missing": ("{name} 中缺少工作表“{sheet}”：请使用导出的组织机构模板。",
                          "{name} has no sheet {sheet}: use the exported organisations template."),
    "org_unreadable": ("无法读取 {name}：文件已损坏或不是 Excel 工作簿（{reason}）。",
                       "Cannot read {name}: damaged or not an Excel workbook ({reason})."),
    "org_column_missing": ("缺少必需的列“{column}”（表头应在第 1 行）。",
                           "The required column {column} is missing (headers go in row 1)."),
    # problems of one organisation (added by hand, edited, or a workbook row)
    "org_required": ("“{column}”为空。", "{column} is empty."),
    "org_too_long": ("“{column}”有 {length} 个字符，最多 {max} 个（“{value}”）。",
                     "{column} has {length} characters, at most {max} ({value!r})."),
    "org_bad_code": ("组织机构代码“{value}”只能包含字母、数字、-、_ 和 .（最多 32 个字符）。",
                     "Organisation code {value!r} may hold letters, digits, -, _ and . only (at "
                     "most 32 characters)."),
    "org_bad_kind": ("类型“{value}”不在值列表中（可选：{allowed}）。",
                     "Kind {value!r} is not in the list ({allowed})."),
    "org_bad_region": ("行政区划代码“{value}”不在区划表中。",
                       "Region code {value!r} is not in the region list."),
    "org_bad_parent": ("上级机构代码“{value}”不存在（也不在本工作簿中）。",
                       "Parent organisation {value!r} does not exist (nor in this workbook)."),
    "org_parent_cycle": ("上级机构“{value}”会形成循环：一个机构不能是自己的上级。",
                         "Parent {value!r} would make a cycle: an organisation cannot be its "
                         "own parent."),
    "org_duplicate_row": ("组织机构代码“{value}”在第 {row} 行已出现。",
                          "Organisation code {value!r} already appears on row {row}."),
    "org_bad_active": ("“启用”应为“是”或“否”，而不是“{value}”。",
                       "Active must be yes or no, not {value!r}."),
    "org_formula": ("单元格 {cell} 是公式且没有保存计算结果（{formula}）：请在 Excel 中打开并保存后再导入。",
                    "Cell {cell} is a formula without a stored result ({formula}): open and save "
                    "the workbook in Excel, then import."),
}

define(MESSAGES, __name__)
