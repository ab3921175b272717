"""What the audit trail's codes are called where a person reads them: event types, object types
and the result, in Chinese and English. Pure data (no database, no Qt): the audit export, the
CLI and the GUI's audit view all read the same tables.

An event type or object type not in these tables (a row written by a newer GovDesk) is shown
as its code: never hidden, never an error.
"""

from __future__ import annotations

import datetime as dt

from govdesk.messages import lang_code
from govdesk.security.audit import EventType
from govdesk.vocab import Term, Vocabulary

#: every event type :class:`govdesk.security.audit.EventType` names (the database triggers
#: write ``data_change`` and ``audit_archive`` too)
EVENT_TYPE = Vocabulary("audit_event_type", (
    Term(EventType.LOGIN, "登录", "Login"),
    Term(EventType.LOGIN_FAILED, "登录失败", "Failed login"),
    Term(EventType.ACCOUNT_LOCKED, "账号锁定", "Account locked"),
    Term(EventType.ACCOUNT_UNLOCKED, "账号解锁", "Account unlocked"),
    Term(EventType.SESSION_LOCKED, "会话锁定", "Session locked"),
    Term(EventType.DATA_CHANGE, "数据变更", "Data change"),
    Term(EventType.EXPORT, "导出", "Export"),
    Term(EventType.UNMASK, "查看未脱敏数据", "Unmasked view"),
    Term(EventType.PERMISSION_CHANGE, "权限变更", "Permission change"),
    Term(EventType.USER_CREATED, "创建用户", "User created"),
    Term(EventType.PASSWORD_RESET, "重置密码", "Password reset"),
    Term(EventType.AUDIT_EXPORT, "导出审计日志", "Audit trail exported"),
    Term(EventType.AUDIT_VERIFY, "校验审计日志", "Audit trail verified"),
    Term(EventType.AUDIT_ARCHIVE, "归档审计日志", "Audit trail archived"),
    Term(EventType.AUDIT_ANCHOR, "签署审计锚点", "Audit anchor signed"),
    Term(EventType.ACCESS_ARCHIVE, "归档访问记录", "Access events archived"),
    Term(EventType.SETTINGS_CHANGE, "修改设置", "Settings changed"),
    Term(EventType.ACCOUNT_CHANGED, "修改账号", "Account changed"),
    Term(EventType.ACCOUNT_DEACTIVATED, "停用账号", "Account deactivated"),
    Term(EventType.ACCOUNT_LOCK_REFUSED, "拒绝锁定账号", "Account lock refused"),
    Term(EventType.PERMISSION_DENIED, "权限被拒绝", "Permission refused"),
    Term(EventType.ACTION_FAILED, "操作失败", "Action failed"),
    Term(EventType.GRADE_LOOSENED, "放宽分级处理要求", "Grade rules loosened"),
    Term(EventType.SHARING_GRANT, "共享授权", "Sharing grant"),
    Term(EventType.ACCESS_REVIEW, "审查访问记录", "Access log reviewed"),
    Term(EventType.BACKUP_POLICY, "修改备份策略", "Backup policy changed"),
    Term(EventType.BACKUP_RUN, "执行备份", "Backup run"),
    Term(EventType.BACKUP_VERIFY, "校验备份", "Backup verified"),
    Term(EventType.BACKUP_RESTORE, "恢复备份", "Backup restored"),
    Term(EventType.BACKUP_PRUNE, "清理备份", "Backups pruned"),
    Term(EventType.MONITOR_ALERT, "监测告警处置", "Monitoring alert"),
    Term(EventType.MONITOR_RULE, "修改监测规则", "Monitoring rule changed"),
    Term(EventType.ACCESS_LOG_IMPORT, "导入外部访问日志", "External access log imported"),
))

#: the object types events name: the tables the database triggers audit (migrations 0003,
#: 0009, 0025) and the objects services name (``user``, ``audit_events`` …)
OBJECT_TYPE = Vocabulary("audit_object_type", (
    Term("data_resources", "数据资源", "Data resources"),
    Term("data_items", "信息项", "Data items"),
    Term("resource_samples", "样例数据", "Sample rows"),
    Term("resource_profiles", "样例画像", "Sample profiles"),
    Term("resource_versions", "资源版本", "Resource versions"),
    Term("categories", "资源分类", "Categories"),
    Term("grade_schemes", "分级方案", "Grade schemes"),
    Term("grades", "分级", "Grades"),
    Term("grade_suggestions", "分级建议", "Grade suggestions"),
    Term("sharing_grants", "共享授权", "Sharing grants"),
    Term("sharing_grant_items", "共享授权的信息项", "Sharing grant items"),
    Term("sharing_grant_events", "共享授权历史", "Sharing grant history"),
    Term("backup_policies", "备份策略", "Backup policies"),
    Term("backup_policy", "备份策略", "Backup policy"),
    Term("backup", "备份", "Backup"),
    Term("monitor_rules", "监测规则", "Monitoring rules"),
    Term("monitor_alerts", "监测告警", "Monitoring alerts"),
    Term("monitor_calendar_days", "工作日历调整", "Working calendar corrections"),
    Term("organisations", "机构", "Organisations"),
    Term("users", "用户", "Users"),
    Term("user", "用户", "User"),
    Term("settings", "设置", "Settings"),
    Term("audit_events", "审计日志", "Audit trail"),
    Term("audit_anchors", "审计锚点", "Audit anchors"),
    Term("access_events", "数据访问记录", "Data access events"),
    Term("access_reviews", "访问记录审查", "Access log reviews"),
    Term("access_review_events", "审查的访问记录", "Reviewed access events"),
    Term("access_log_sources", "访问日志来源", "Access log sources"),
    Term("access_log_import", "访问日志导入", "Access log import"),
    Term("resource_search", "检索索引", "Search index entries"),
    Term("regions", "行政区划", "Regions"),
))

#: the result column
RESULT = Vocabulary("audit_result", (
    Term("ok", "成功", "Succeeded"),
    Term("failed", "失败", "Failed"),
))


def event_label(code: str | None, lang: str = "zh") -> str:
    """The name of the event type ``code`` in ``lang``; an unknown code as is, None as ""."""
    return EVENT_TYPE.label(code, lang_code(lang))


def object_label(code: str | None, lang: str = "zh") -> str:
    """The name of the object type ``code`` in ``lang``; an unknown code as is, None as ""."""
    return OBJECT_TYPE.label(code, lang_code(lang))


def result_label(success: bool, lang: str = "zh") -> str:
    """成功/失败 (Succeeded/Failed)."""
    return RESULT.label("ok" if success else "failed", lang_code(lang))


def local_time(ts: dt.datetime) -> str:
    """``ts`` in this machine's time zone to the second, with the zone's offset
    ("2026-12-03 17:40:05 +08:00"); a naive ``ts`` is taken as UTC (as the database stores it)."""
    aware = ts if ts.tzinfo else ts.replace(tzinfo=dt.timezone.utc)
    local = aware.astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"
