"""What ``govdesk access …`` says, in Chinese and English (see :mod:`govdesk.cli.messages`)."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "access_cli_unknown_org": ("没有代码或名称为“{org}”的单位（单位代码见 govdesk orgs list）。",
                               "No organisation has the code or name {org!r} (see govdesk orgs "
                               "list)."),
    "access_cli_unknown_grade": ("没有名为“{grade}”的分级（可选：{grades}）。",
                                 "There is no grade {grade!r} (the grades: {grades})."),
    "access_cli_bad_after": ("--after 应为上一页 JSON 输出中的 next（编号@时间），而不是“{value}”。",
                             "--after takes the previous page's next (ID@TIME), not {value!r}."),
    "access_cli_review_what": ("请用 --event 编号 指定访问记录，或用 --org、--since 和 --until 指定单位和时段。",
                               "Name the events with --event ID, or an organisation's period "
                               "with --org, --since and --until."),
}

OUTPUT: dict[str, tuple[str, str]] = {
    "access_cli_line": ("#{id} {ts}  {user} {org} {resource} {action} {result}  {host} {review}",
                        "#{id} {ts}  {user} {org} {resource} {action} {result}  {host} {review}"),
    "access_cli_ok": ("成功", "ok"),
    "access_cli_denied": ("拒绝", "denied"),
    "access_cli_reviewed": ("已审查（{by}，{at}）", "reviewed ({by}, {at})"),
    "access_cli_not_reviewed": ("未审查", "not reviewed"),
    "access_cli_total": ("共 {n} 条访问记录。", "{n} access events."),
    "access_cli_about": ("约 {n} 条访问记录（估计值）。", "About {n} access events (an estimate)."),
    "access_cli_reviewed_events": ("已将 {n} 条访问记录标记为已审查（审查 #{id}，已记入审计日志）。",
                                   "Marked {n} access events reviewed (review #{id}, audited)."),
    "access_cli_reviewed_period": ("已将单位 {org} 该时段的访问记录标记为已审查（审查 #{id}，已记入审计日志）。",
                                   "Marked the period's access events of {org} reviewed "
                                   "(review #{id}, audited)."),
    "access_cli_exporting": ("导出访问记录", "Exporting access events"),
    "access_cli_exported": ("已导出 {n} 条访问记录到 {file}（已记入审计日志）。",
                            "Exported {n} access events to {file} (audited)."),
}

define(MESSAGES, __name__)
define(OUTPUT, __name__)
