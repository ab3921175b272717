"""Labels of the audit trail's codes: event types and object types in Chinese and English.

Pure data (no database, no Qt) so the interface, the CLI and the exports all read the same
names. Object types are what the services write (``user``, ``settings``…) and, for changes the
database's triggers record, the table names (``data_resources``…). An unknown code is shown as
itself (``Vocabulary.label``), so a new type is never hidden.
"""

from __future__ import annotations

from govdesk.security.audit import EventType
from govdesk.vocab import Term, Vocabulary

AUDIT_EVENT = Vocabulary("audit_event", (
    Term(EventType.LOGIN, "登录", "Login"),
    Term(EventType.LOGIN_FAILED, "登录失败", "Failed login"),
    Term(EventType.ACCOUNT_LOCKED, "账号锁定", "Account locked"),
    Term(EventType.ACCOUNT_UNLOCKED, "账号解锁", "Account unlocked"),
    Term(EventType.SESSION_LOCKED, "会话已锁定", "Session locked"),
    Term(EventType.DATA_CHANGE, "数据变更", "Data change"),
    Term(EventType.EXPORT, "导出", "Export"),
    Term(EventType.UNMASK, "查看未脱敏数据", "Unmasked view"),
    Term(EventType.PERMISSION_CHANGE, "权限变更", "Permission change"),
    Term(EventType.USER_CREATED, "创建用户", "User created"),
    Term(EventType.PASSWORD_RESET, "重置密码", "Password reset"),
    Term(EventType.AUDIT_EXPORT, "导出审计日志", "Audit export"),
    Term(EventType.AUDIT_VERIFY, "校验审计日志", "Audit verification"),
    Term(EventType.AUDIT_ARCHIVE, "审计归档", "Audit archive"),
    Term(EventType.AUDIT_ANCHOR, "审计锚定", "Audit anchor"),
    Term(EventType.SETTINGS_CHANGE, "修改设置", "Settings change"),
    Term(EventType.ACCOUNT_CHANGED, "账号变更", "Account changed"),
    Term(EventType.ACCOUNT_DEACTIVATED, "账号停用", "Account deactivated"),
    Term(EventType.ACCOUNT_LOCK_REFUSED, "未锁定（最后一个系统管理员）",
         "Lock refused (last system administrator)"),
))

AUDIT_OBJECT = Vocabulary("audit_object", (
    Term("user", "用户账号", "User account"),
    Term("users", "用户账号", "User accounts"),
    Term("settings", "系统设置", "Settings"),
    Term("audit_events", "审计日志", "Audit trail"),
    Term("audit_anchors", "审计锚定", "Audit anchors"),
    Term("data_resources", "数据资源", "Data resources"),
    Term("data_items", "信息项", "Data items"),
    Term("resource_versions", "资源历史版本", "Resource versions"),
    Term("resource_samples", "样例数据", "Sample rows"),
    Term("resource_profiles", "样例分析", "Sample profiles"),
    Term("resource_search", "检索索引", "Search index"),
    Term("categories", "资源分类", "Categories"),
    Term("grade_schemes", "分级方案", "Grade schemes"),
    Term("grades", "分级", "Grades"),
    Term("grade_suggestions", "分级建议", "Grade suggestions"),
    Term("organisations", "组织机构", "Organisations"),
    Term("regions", "行政区划", "Regions"),
    Term("roles", "角色", "Roles"),
    Term("sharing_grants", "共享授权", "Sharing grants"),
    Term("access_events", "访问记录", "Access records"),
    Term("backup_policies", "备份策略", "Backup policies"),
))

#: the event types in the order the filters offer them
EVENT_CODES: tuple[str, ...] = AUDIT_EVENT.codes


def event_name(code: str | None, lang: str = "zh") -> str:
    """The name of an audit event type in ``lang`` ("zh" or "en"); unknown codes as is."""
    return AUDIT_EVENT.label(code, lang)


def object_name(code: str | None, lang: str = "zh") -> str:
    """The name of an audit object type in ``lang`` ("zh" or "en"); unknown codes as is."""
    return AUDIT_OBJECT.label(code, lang)
