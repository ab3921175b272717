"""Messages of monitoring (rules, alerts, the working calendar), in Chinese and English."""

from __future__ import annotations

from govdesk.messages import Text, define

#: the parameters of the rules, as people read them
PARAMS: dict[str, Text] = {
    "min_rank": Text("最低分级序号", "lowest grade rank"),
    "work_start": Text("上班时间", "working day starts"),
    "work_end": Text("下班时间", "working day ends"),
    "factor": Text("超出基线倍数", "factor above baseline"),
    "minimum": Text("当日最少访问次数", "minimum accesses a day"),
    "baseline_days": Text("基线天数", "baseline days"),
    "count": Text("拒绝次数", "denials"),
    "minutes": Text("时间窗口（分钟）", "window (minutes)"),
    "rows": Text("导出行数上限", "rows exported"),
    "days": Text("休眠天数", "dormant days"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "monitor_rule_unknown": ("没有监测规则“{rule}”。", "There is no monitoring rule {rule!r}."),
    "monitor_param_unknown": ("监测规则“{rule}”没有参数“{name}”；可用参数：{allowed}。",
                              "Monitoring rule {rule!r} has no parameter {name!r}; it has: "
                              "{allowed}."),
    "monitor_param_missing": ("监测规则“{rule}”缺少参数“{name}”。",
                              "Monitoring rule {rule!r} needs the parameter {name}."),
    "monitor_param_range": ("监测规则“{rule}”的参数“{name}”须为 {low} 到 {high} 之间的{kind}，不能是“{value}”。",
                            "Parameter {name} of monitoring rule {rule!r} must be a {kind} from "
                            "{low} to {high}, not {value!r}."),
    "monitor_param_time": ("监测规则“{rule}”的参数“{name}”须为“时:分”格式的时间（如 08:30），不能是“{value}”。",
                           "Parameter {name} of monitoring rule {rule!r} must be a time as "
                           "HH:MM (e.g. 08:30), not {value!r}."),
    "monitor_hours_order": ("监测规则“{rule}”的上班时间（{start}）须早于下班时间（{end}）。",
                            "The working day of monitoring rule {rule!r} must start ({start}) "
                            "before it ends ({end})."),
    "monitor_severity_bad": ("没有“{value}”这种告警级别；可选：{allowed}。",
                             "There is no alert severity {value!r}; choose from: {allowed}."),
    "monitor_alert_unknown": ("监测告警 {alert} 不存在。", "Monitoring alert {alert} does not exist."),
    "monitor_alert_step": ("监测告警 {alert} 当前为“{state}”，不能{step}。",
                           "Monitoring alert {alert} is {state}: it cannot be {step}."),
    "monitor_disposition_bad": ("关闭告警须给出处置结论；可选：{allowed}（而不是“{value}”）。",
                                "Closing an alert needs a disposition; choose from: {allowed} "
                                "(not {value!r})."),
    "monitor_note_too_long": ("备注有 {length} 个字符，超过 {max} 个字符的上限。",
                              "The note has {length} characters, more than {max}."),
    "monitor_note_missing": ("请填写备注。", "Write a note."),
    "monitor_assignee_unknown": ("“{user}”不是在用的安全管理员账号，不能指派告警给他。",
                                 "{user!r} is not an active security administrator: alerts "
                                 "cannot be assigned to them."),
    "monitor_day_kind_bad": ("没有“{value}”这种日期类型；可选：{allowed}。",
                             "There is no day kind {value!r}; choose from: {allowed}."),
    "monitor_filter_bad": ("没有“{value}”这种{field}；可选：{allowed}。",
                           "There is no {field} {value!r}; choose from: {allowed}."),
    "monitor_period_bad": ("统计天数须为 1 到 3650 之间的整数，不能是 {days}。",
                           "The period must be from 1 to 3650 days, not {days}."),
}

#: the steps of an alert, as messages name them ("cannot be {step}")
STEPS: dict[str, Text] = {
    "acknowledge": Text("确认", "acknowledged"),
    "close": Text("关闭", "closed"),
    "assign": Text("指派", "assigned"),
    "note": Text("添加备注", "annotated"),
}

define(MESSAGES, __name__)
