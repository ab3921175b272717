"""Controlled value lists of the catalogue standard (政务信息资源目录编制指南; GB/T 21063).

Values are stored as stable ASCII codes; each has its standard Chinese term and an English label.
This module is pure data (no database, no Qt) so every layer may import it.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One allowed value: ``code`` is stored, ``zh`` is the standard's term, ``en`` its label."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class Vocabulary:
    """An ordered value list with look-ups by code and by either label."""

    name: str
    terms: tuple[Term, ...]

    @functools.cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    @functools.cached_property
    def _by_text(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for t in reversed(self.terms):  # the first term wins, as in a scan
            keys[t.en.lower()] = t.code
            keys[t.zh] = t.code
            keys[t.code] = t.code
        return keys

    def label(self, code: str | None, lang: str = "zh") -> str:
        """The label of ``code`` in ``lang`` ("zh" or "en"); the code itself when unknown."""
        if code is None:
            return ""
        for t in self.terms:
            if t.code == code:
                return t.zh if lang == "zh" else t.en
        return code

    def choices(self) -> Choices:
        """The labels of this list as a message parameter ("可选：草稿、发布 …"), rendered in
        the language of the message it fills."""
        return Choices(self)

    def lookup(self, text: str) -> str | None:
        """The code whose code, Chinese term or English label equals ``text`` (trimmed), or None."""
        key = text.strip()
        return self._by_text.get(key) or self._by_text.get(key.lower())


@dataclass(frozen=True)
class Choices:
    """A value list's labels in either language (:meth:`Vocabulary.choices`)."""

    vocabulary: Vocabulary

    def text(self, lang: str = "zh") -> str:
        """The Chinese terms joined by 、, or the English labels by commas (``lang`` "en…")."""
        if lang.startswith("en"):
            return ", ".join(t.en for t in self.vocabulary.terms)
        return "、".join(t.zh for t in self.vocabulary.terms)

    def __str__(self) -> str:
        return self.text("en")


RESOURCE_FORMAT = Vocabulary("format", (
    Term("electronic_file", "电子文件", "Electronic file"),
    Term("spreadsheet", "电子表格", "Spreadsheet"),
    Term("database", "数据库", "Database"),
    Term("image", "图形图像", "Graphics and images"),
    Term("streaming", "流媒体", "Streaming media"),
    Term("self_describing", "自描述格式", "Self-describing format"),
    Term("service_api", "服务接口", "Service interface"),
))

DATA_TYPE = Vocabulary("data_type", (
    Term("C", "字符型C", "Character (C)"),
    Term("N", "数值型N", "Numeric (N)"),
    Term("Y", "货币型Y", "Currency (Y)"),
    Term("D", "日期型D", "Date (D)"),
    Term("T", "日期时间型T", "Date-time (T)"),
    Term("L", "逻辑型L", "Logical (L)"),
    Term("M", "备注型M", "Memo (M)"),
    Term("G", "通用型G", "General (G)"),
    Term("B", "双精度型B", "Double (B)"),
    Term("I", "整型I", "Integer (I)"),
    Term("F", "浮点型F", "Float (F)"),
))

SHARING_TYPE = Vocabulary("sharing_type", (
    Term("unconditional", "无条件共享", "Shared unconditionally"),
    Term("conditional", "有条件共享", "Shared on conditions"),
    Term("none", "不予共享", "Not shared"),
))

SHARING_METHOD = Vocabulary("sharing_method", (
    Term("platform", "共享平台方式", "Sharing platform"),
    Term("email", "邮件方式", "E-mail"),
    Term("media", "介质方式", "Storage media"),
))

OPEN_TYPE = Vocabulary("open_type", (
    Term("unconditional", "无条件开放", "Open unconditionally"),
    Term("conditional", "有条件开放", "Open on conditions"),
    Term("none", "不予开放", "Not open"),
))

UPDATE_CYCLE = Vocabulary("update_cycle", (
    Term("realtime", "实时", "Real time"),
    Term("daily", "每日", "Daily"),
    Term("weekly", "每周", "Weekly"),
    Term("monthly", "每月", "Monthly"),
    Term("quarterly", "每季度", "Quarterly"),
    Term("half_yearly", "每半年", "Half-yearly"),
    Term("yearly", "每年", "Yearly"),
    Term("other", "其他", "Other"),
))

WORKFLOW_STATUS = Vocabulary("status", (
    Term("draft", "草稿", "Draft"),
    Term("registration_review", "注册审核", "Registration review"),
    Term("publication_review", "发布审核", "Publication review"),
    Term("published", "发布", "Published"),
))

CATEGORY_KIND = Vocabulary("category_kind", (
    Term("base", "基础数据库", "Base data"),
    Term("business", "业务数据库", "Business data"),
    Term("shared", "共享数据库", "Shared data"),
))

ORG_KIND = Vocabulary("org_kind", (
    Term("federation", "残疾人联合会", "Disabled persons' federation"),
    Term("education", "教育部门", "Education"),
    Term("civil_affairs", "民政部门", "Civil affairs"),
    Term("hrss", "人力资源和社会保障部门", "Human resources and social security"),
    Term("health", "卫生健康部门", "Health"),
    Term("public_security", "公安部门", "Public security"),
    Term("medical_security", "医疗保障部门", "Medical security"),
    Term("housing", "住房和城乡建设部门", "Housing and urban-rural development"),
    Term("statistics", "统计部门", "Statistics"),
    Term("data_bureau", "政务数据管理部门", "Government data administration"),
    Term("other", "其他部门", "Other department"),
))

GRANT_STATUS = Vocabulary("grant_status", (
    Term("requested", "待审批（申请）", "Requested"),
    Term("offered", "待审批（提供方发起）", "Offered"),
    Term("first_approved", "待第二人审批", "Awaiting the second approval"),
    Term("approved", "已批准", "Approved"),
    Term("rejected", "已驳回", "Rejected"),
    Term("revoked", "已撤销", "Revoked"),
    Term("released", "已提前释放", "Released early"),
    Term("lapsed", "逾期未审已失效", "Lapsed unanswered"),
))

#: what a grant is at a moment: its stored status, with ``approved`` told apart by its validity
#: (computed from the dates, never by a job: see govdesk.sharing.states)
GRANT_STATE = Vocabulary("grant_state", (
    Term("requested", "待审批（申请）", "Requested"),
    Term("offered", "待审批（提供方发起）", "Offered"),
    Term("first_approved", "待第二人审批", "Awaiting the second approval"),
    Term("scheduled", "已批准，尚未生效", "Approved, not yet in force"),
    Term("active", "生效中", "Active"),
    Term("expired", "已到期", "Expired"),
    Term("rejected", "已驳回", "Rejected"),
    Term("revoked", "已撤销", "Revoked"),
    Term("released", "已提前释放", "Released early"),
    Term("lapsed", "逾期未审已失效", "Lapsed unanswered"),
))

#: why data is shared (the controlled part of a grant's purpose; free text adds the details)
SHARING_PURPOSE = Vocabulary("sharing_purpose", (
    Term("eligibility_check", "资格审核比对", "Eligibility check"),
    Term("service_delivery", "服务办理", "Service delivery"),
    Term("statistics", "统计分析", "Statistics and analysis"),
    Term("supervision", "监督检查", "Supervision and inspection"),
    Term("emergency", "应急处置", "Emergency response"),
    Term("other", "其他", "Other"),
))

#: who started a grant: the receiving side's request, or the providing side's offer
GRANT_ORIGIN = Vocabulary("grant_origin", (
    Term("request", "接收方申请", "Requested by the receiving side"),
    Term("offer", "提供方发起", "Offered by the providing side"),
))

#: what a sharing alert is about (govdesk.sharing.alerts)
GRANT_ALERT = Vocabulary("grant_alert", (
    Term("expiring", "即将到期", "Ending soon"),
    Term("unused", "长期未使用", "Unused"),
    Term("request_waiting", "申请即将逾期", "Request about to lapse"),
    Term("request_lapsed", "申请已逾期未标记", "Request lapsed, not yet marked"),
))

#: what a sharing alert asks for
GRANT_ALERT_ACTION = Vocabulary("grant_alert_action", (
    Term("renew", "申请续期", "ask for a renewal"),
    Term("offer", "重新提供授权", "offer it anew"),
    Term("decide", "审批", "decide it"),
    Term("review", "复核使用情况，不再需要的予以撤销", "review it and revoke it if no longer needed"),
    Term("mark_lapsed", "运行到期处理（govdesk sharing expire-due）标记失效",
         "mark it lapsed (govdesk sharing expire-due)"),
))

#: who should act on a sharing alert
GRANT_ALERT_ACTOR = Vocabulary("grant_alert_actor", (
    Term("provider_secadmin", "提供方安全管理员", "the providing side's security administrators"),
    Term("grantee_admin", "被授权单位的数据管理员", "the grantee's data administrators"),
    Term("any_admin", "数据管理员或安全管理员", "a data or security administrator"),
))

ROLE = Vocabulary("role", (
    Term("sysadmin", "系统管理员", "System administrator"),
    Term("secadmin", "安全管理员", "Security administrator"),
    Term("auditor", "审计管理员", "Audit administrator"),
    Term("data_admin", "数据管理员", "Data administrator"),
    Term("viewer", "查看者", "Viewer"),
))

ACCESS_ACTION = Vocabulary("access_action", (
    Term("query", "查询", "Query"),
    Term("download", "下载", "Download"),
    Term("api", "接口调用", "API call"),
    Term("export", "导出", "Export"),
    Term("view", "查看详情", "Detail view"),
    Term("sample_view", "查看样例（脱敏）", "Sample view (masked)"),
    Term("sample_unmask", "查看样例（未脱敏）", "Sample view (unmasked)"),
    Term("login", "登录", "Login"),
))

#: why an access event records a failure (``access_events.failure``)
ACCESS_FAILURE = Vocabulary("access_failure", (
    Term("denied", "无权限", "Denied"),
    Term("not_found", "不存在或不可见", "Not found or not visible"),
    Term("error", "出错", "Error"),
))

REGION_LEVEL = Vocabulary("region_level", (
    Term("0", "国家", "National"),
    Term("1", "省级", "Province"),
    Term("2", "地市级", "City"),
    Term("3", "县级", "County"),
    Term("4", "乡镇（街道）", "Township (street)"),
    Term("5", "村（社区）", "Village (community)"),
))

DR_LEVEL = Vocabulary("dr_level", (
    Term("1", "第1级 基本支持", "Level 1 basic support"),
    Term("2", "第2级 备用场地支持", "Level 2 backup site"),
    Term("3", "第3级 电子传输和部分设备支持", "Level 3 electronic transfer, partial equipment"),
    Term("4", "第4级 电子传输及完整设备支持", "Level 4 electronic transfer, full equipment"),
    Term("5", "第5级 实时数据传输及完整设备支持", "Level 5 real-time transfer, full equipment"),
    Term("6", "第6级 数据零丢失和远程集群支持", "Level 6 zero data loss, remote cluster"),
))

#: what an organisation's users may read of a resource (the effective-access matrix,
#: govdesk.sharing.access): every data item, some of them, or nothing
ACCESS_VERDICT = Vocabulary("access_verdict", (
    Term("allowed", "可读取", "Allowed"),
    Term("partial", "部分可读", "Partly allowed"),
    Term("denied", "不可读取", "Denied"),
))

#: why a cell of the effective-access matrix, or one data item, is allowed or denied
ACCESS_REASON = Vocabulary("access_reason", (
    Term("own_region", "本区划的资源，本单位可直接读取", "A resource of its own region"),
    Term("granted", "有生效的共享授权", "A grant in force"),
    Term("some_items", "授权只包含部分信息项", "The grants give some data items only"),
    Term("metadata_only", "授权生效，但没有可读的信息项", "A grant in force, but no readable item"),
    Term("not_granted", "该信息项未被授权", "This data item is not granted"),
    Term("grade_forbids", "分级不允许此共享类型", "The grade forbids this sharing type"),
    Term("excluded", "申请时因分级被排除", "Left out of the grant for its grade"),
    Term("not_shared", "资源为不予共享", "The resource is marked 不予共享"),
    Term("unpublished", "资源未发布", "The resource is not published"),
    Term("no_grant", "没有共享授权", "No grant"),
    Term("scheduled", "授权已批准，尚未生效", "Approved, not yet in force"),
    Term("pending", "授权待审批", "A grant awaits approval"),
    Term("expired", "授权已到期", "The grant expired"),
    Term("revoked", "授权已撤销", "The grant was revoked"),
    Term("released", "授权已提前释放", "The grant was released"),
    Term("rejected", "授权申请被驳回", "The request was rejected"),
    Term("lapsed", "授权申请逾期未审已失效", "The request lapsed unanswered"),
))

ALL: tuple[Vocabulary, ...] = (
    RESOURCE_FORMAT, DATA_TYPE, SHARING_TYPE, SHARING_METHOD, OPEN_TYPE, UPDATE_CYCLE,
    WORKFLOW_STATUS, CATEGORY_KIND, ORG_KIND, GRANT_STATUS, ROLE, ACCESS_ACTION,
    ACCESS_FAILURE,
)

#: the sharing workflow's own lists (not columns of the catalogue workbook)
SHARING: tuple[Vocabulary, ...] = (GRANT_STATE, SHARING_PURPOSE, GRANT_ORIGIN, GRANT_ALERT,
                                   GRANT_ALERT_ACTION, GRANT_ALERT_ACTOR, ACCESS_VERDICT,
                                   ACCESS_REASON)

#: backup and disaster recovery (issue 16, govdesk/backup/)
BACKUP_SOURCE = Vocabulary("backup_source", (
    Term("postgresql", "中心 PostgreSQL 数据库", "Central PostgreSQL database"),
    Term("sqlite", "内嵌 SQLite 数据库文件", "Embedded SQLite file"),
))
BACKUP_METHOD = Vocabulary("backup_method", (
    Term("pg_dump", "逻辑备份（pg_dump）", "Logical (pg_dump)"),
    Term("pg_dump_dir", "逻辑备份（pg_dump 目录格式，并行）", "Logical (pg_dump directory format, parallel)"),
    Term("sqlite", "SQLite 在线备份", "SQLite online backup"),
    Term("pgbackrest", "物理备份与连续 WAL 归档（pgBackRest）",
         "Physical with continuous WAL archiving (pgBackRest)"),
))
BACKUP_STATUS = Vocabulary("backup_status", (
    Term("complete", "已完成", "Complete"),
    Term("verified", "已校验", "Verified"),
    Term("verify_failed", "校验失败", "Verification failed"),
    Term("pruned", "已删除", "Pruned"),
))
BACKUP_JOB_KIND = Vocabulary("backup_job_kind", (
    Term("run", "备份", "Backup"),
    Term("verify", "校验", "Verification"),
    Term("drill", "恢复演练", "Restore drill"),
    Term("restore", "恢复", "Restore"),
    Term("prune", "清理", "Prune"),
))
BACKUP_JOB_RESULT = Vocabulary("backup_job_result", (
    Term("running", "进行中", "Running"),
    Term("ok", "成功", "Succeeded"),
    Term("failed", "失败", "Failed"),
    Term("cancelled", "已取消", "Cancelled"),
    Term("interrupted", "中断", "Interrupted"),
))
# -- monitoring (issue 15): alert rules and alerts ---------------------------------------------

#: what kind of pattern a monitoring rule looks for (govdesk.monitoring.kinds)
MONITOR_RULE_KIND = Vocabulary("monitor_rule_kind", (
    Term("after_hours", "非工作时间访问分级数据", "After-hours access to graded data"),
    Term("volume_baseline", "访问量超出本人30天基线", "Volume above the user's 30-day baseline"),
    Term("denial_burst", "短时间内多次被拒绝", "Burst of denials"),
    Term("first_high_grade", "首次访问高级别数据", "First access to a high-grade resource"),
    Term("bulk_export", "大批量导出", "Bulk export"),
    Term("no_active_grant", "无生效授权的跨单位访问", "Access with no active grant"),
    Term("new_host", "从新主机登录", "Login from a new host"),
    Term("dormant_active", "休眠账号突然活跃", "Dormant account suddenly active"),
))

#: how serious an alert is
MONITOR_SEVERITY = Vocabulary("monitor_severity", (
    Term("low", "低", "Low"),
    Term("medium", "中", "Medium"),
    Term("high", "高", "High"),
))

#: where an alert stands in its triage: open -> acknowledged -> closed
MONITOR_ALERT_STATE = Vocabulary("monitor_alert_state", (
    Term("open", "待处理", "Open"),
    Term("acknowledged", "已确认", "Acknowledged"),
    Term("closed", "已关闭", "Closed"),
))

#: what a closed alert turned out to be
MONITOR_DISPOSITION = Vocabulary("monitor_disposition", (
    Term("true_positive", "属实（真实风险）", "True positive"),
    Term("benign", "属实但属正常业务", "Benign"),
    Term("false_positive", "误报", "False positive"),
))

#: an administrator's correction of the official working calendar
MONITOR_DAY_KIND = Vocabulary("monitor_day_kind", (
    Term("holiday", "休息日", "Day off"),
    Term("workday", "工作日", "Working day"),
))

MONITORING: tuple[Vocabulary, ...] = (MONITOR_RULE_KIND, MONITOR_SEVERITY, MONITOR_ALERT_STATE,
                                      MONITOR_DISPOSITION, MONITOR_DAY_KIND)
