"""Messages of the access-log import (issue 15), in Chinese and English (see
:mod:`govdesk.messages`). Importing this module registers them."""

from __future__ import annotations

from govdesk.messages import Text, define

#: the fields of an access event a mapping names, as messages call them
FIELDS: dict[str, Text] = {
    "time": Text("时间", "time"),
    "user": Text("用户", "user"),
    "organisation": Text("单位", "organisation"),
    "resource": Text("资源", "resource"),
    "action": Text("操作", "action"),
    "result": Text("结果", "result"),
    "client_host": Text("客户端地址", "client host"),
    "row_count": Text("行数", "row count"),
    "line": Text("整行", "whole line"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "log_problem_at": ("第 {line} 行（{column}）：{reason}", "line {line} ({column}): {reason}"),
    "log_columns": ("有 {found} 列，表头有 {expected} 列", "has {found} columns, the header {expected}"),
    "log_empty_value": ("值为空", "is empty"),
    "log_time_bad": ("“{value}”不是格式为 {format} 的时间", "“{value}” is not a time in the format {format}"),
    "log_too_long": ("长度 {length} 超过上限 {limit}", "is {length} characters long, at most {limit} allowed"),
    "log_action_unknown": ("“{value}”不是已映射的操作（可用：{known}）",
                           "“{value}” is not a mapped action (known: {known})"),
    "log_result_unknown": ("“{value}”不是已映射的结果（可用：{known}）",
                           "“{value}” is not a mapped result (known: {known})"),
    "log_resource_unknown": ("目录中没有编码为“{value}”的资源（或您无权查看）",
                             "no resource with code “{value}” in the catalogue (or not yours to see)"),
    "log_org_unknown": ("没有编码为“{value}”的单位", "no organisation with code “{value}”"),
    "log_count_bad": ("“{value}”不是非负整数", "“{value}” is not a whole number ≥ 0"),
    "log_nul": ("含有空字符（U+0000）", "contains a NUL character (U+0000)"),
    "log_json_bad": ("不是有效的 JSON：{reason}", "is not valid JSON: {reason}"),
    "log_json_not_object": ("不是 JSON 对象", "is not a JSON object"),
    "log_encoding_bad": ("不是 {encoding} 编码的文本", "is not {encoding} text"),
    "log_prefix_mismatch": ("与日志行前缀 {prefix} 不符", "does not match the log line prefix {prefix}"),
    "log_audit_fields": ("pgAudit 记录的字段不全（{found} 个，至少 9 个）",
                         "the pgAudit entry has {found} fields, at least 9 expected"),
    "log_audit_user_missing": ("日志行前缀中没有用户（%u）", "the log line prefix gives no user (%u)"),
    "mapping_bad": ("列映射无效：{reason}", "The column mapping is invalid: {reason}"),
    "mapping_required": ("列映射必须指定“{field}”所在的列。", "The column mapping must name the column of the {field}."),
    "mapping_column_missing": ("文件中没有列映射指定的“{column}”列（{field}）；文件的列为：{found}。",
                               "The file has no column “{column}” ({field}) named by the mapping; its columns: {found}."),
    "mapping_action_bad": ("列映射把“{value}”映射到未知操作“{action}”（可用：{known}）。",
                           "The mapping maps “{value}” to an unknown action “{action}” (known: {known})."),
    "mapping_timezone_bad": ("未知时区“{zone}”。", "Unknown time zone “{zone}”."),
    "mapping_prefix_bad": ("日志行前缀 {prefix} 中有不支持的转义 {escape}。",
                           "The log line prefix {prefix} has an escape GovDesk cannot read: {escape}."),
    "log_source_unknown": ("没有名为“{name}”的访问日志来源；新来源请同时给出 --kind。",
                           "There is no access-log source “{name}”; give --kind to create it."),
    "log_source_kind": ("来源“{name}”的类型是 {kind}，不是 {asked}。",
                        "Source “{name}” is of kind {kind}, not {asked}."),
    "log_kind_unknown": ("未知的日志类型“{kind}”（可用：{known}）。",
                         "Unknown log kind “{kind}” (known: {known})."),
    "log_file_unreadable": ("无法读取文件 {path}：{reason}", "Cannot read {path}: {reason}"),
    "log_has_problems": ("文件中有 {bad} 行有问题，未导入任何内容（{shown}）：\n{problems}",
                         "{bad} lines of the file have problems; nothing was imported ({shown}):\n{problems}"),
    "log_shown": ("列出前 {shown} 条", "the first {shown} shown"),
}

define(MESSAGES, __name__)
