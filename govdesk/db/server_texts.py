"""The database server's own refusals, in the user's language.

PostgreSQL enforces GovDesk's rules itself (grants, row-level security, the working rules of
migration 0014, the functions of 0013–0021), and what it says when it refuses is English text
written in those migrations (``RAISE EXCEPTION 'Resource % cannot go from % to %: …'``) or
PostgreSQL's own message (``permission denied for table data_items``). A migration is frozen once
released, so its texts are a fixed vocabulary: this module holds the Chinese for each of them,
keyed by the server's format string itself (``%`` for a RAISE argument, ``%s`` for one of
``format()``), and turns the first line of a refusal into a :class:`~govdesk.messages.Text` whose
English is the server's line and whose Chinese is the translation, with the arguments put back
(a status, a role, a table or a step named in the arguments is itself translated).

``tests/test_server_texts.py`` reads every ``RAISE EXCEPTION`` text out of the migrations and fails
on one this table lacks, so a new migration cannot add an English-only refusal. A line the table
does not know (a server set to another ``lc_messages``, a future PostgreSQL wording) is shown as
the server wrote it, in both languages: nothing is lost, only untranslated.
"""

from __future__ import annotations

import functools
import re

from govdesk.messages import Text
from govdesk.vocab import GRANT_STATUS, ROLE, SHARING_TYPE, WORKFLOW_STATUS

#: the server's format string → its Chinese, with {0}, {1} … for the arguments in order
SERVER_TEXTS: dict[str, str] = {
    # audit trail (0003, 0004, 0016, 0017)
    "audit records cannot be changed or deleted (% on audit_events)":
        "审计记录不可修改或删除（对审计记录的 {0} 操作被拒绝）",
    "audit records cannot be changed or deleted (% on %)":
        "审计记录不可修改或删除（对{1}的 {0} 操作被拒绝）",
    "audit record % is younger than the retention period and cannot be archived":
        "审计记录 {0} 尚未超过保存期限，不能归档",
    "only audit administrators archive the audit trail": "只有审计管理员可以归档审计记录",
    "audit record % does not exist": "审计记录 {0} 不存在",
    "only GovDesk users of this database write its audit trail":
        "只有本数据库的 GovDesk 用户可以写入其审计记录",
    "audit event type % is written only by the database itself":
        "审计事件类型 {0} 只能由数据库自身写入",
    "a login is reported only by the user who logged in": "登录事件只能由登录的用户本人记录",
    "event % records a failure: success must be false": "事件 {0} 记录的是失败，成功标志必须为否",
    "only GovDesk users of this database record access events":
        "只有本数据库的 GovDesk 用户可以记录访问事件",
    # access events (0035)
    "the time of an access event is the server's: leave ts out":
        "访问事件的时间由服务器记录：请勿填写 ts",
    "only the database owner rebuilds the access rollups": "只有数据库所有者可以重建访问汇总",
    "only security administrators manage the access log's partitions":
        "只有安全管理员可以管理访问记录的分区",
    "months ahead must be between 0 and 120, not %": "提前创建的月数应在 0 到 120 之间，而不是 {0}",
    "% is not a monthly partition of access_events": "{0} 不是访问记录的月分区",
    "access events of % are younger than the retention period and cannot be archived":
        "{0} 中的访问记录尚未超过保存期限，不能归档",
    "partition % holds % rows, not the % archived": "分区 {0} 有 {1} 条记录，而不是已归档的 {2} 条",
    # catalogue search (0013, 0021)
    "permission denied: % may not read the catalogue": "权限不足：{0}不能查阅目录",
    "a catalogue filter is a JSON object": "目录筛选条件必须是 JSON 对象",
    "unknown catalogue filter %": "未知的目录筛选条件 {0}",
    "a search needs at least one term": "搜索至少需要一个检索词",
    "cannot sort by %": "不能按 {0} 排序",
    "cannot count by %": "不能按 {0} 计数",
    'a list key is {"v": value, "c": code}': "列表定位键的格式应为 {{\"v\": 值, \"c\": 代码}}",
    # working rules (0014)
    "Only a security administrator or a data administrator changes the grade of %.":
        "只有安全管理员或数据管理员可以修改{0}的分级。",
    "The grade of % cannot go down from % to %: a data administrator only raises grades; "
    "a security administrator re-grades.":
        "{0}的分级不能从 {1} 降为 {2}：数据管理员只能调高分级，重新定级由安全管理员进行。",
    "The database login % is not an active GovDesk user: it changes no data resource.":
        "数据库登录名 {0} 不是有效的 GovDesk 用户，不能修改数据资源。",
    "Resource % must be created as a draft, not %: it goes further only through review.":
        "资源 {0} 必须以草稿状态创建，而不是“{1}”：之后的状态只能经审核流转。",
    "Resource % is created by %, not by %: created_by is the login that creates it.":
        "资源 {0} 的创建人应为实际创建它的登录名 {2}，而不是 {1}。",
    "New resource % has not been submitted by anyone: submitted_by is set when it is submitted.":
        "新资源 {0} 尚未被任何人提交：提交人在提交时才记录。",
    "created_by of resource % never changes (it is %).": "资源 {0} 的创建人不可更改（为 {1}）。",
    "Resource % cannot go from % to %: a draft is submitted to registration review, then "
    "approved to publication review and published, or returned to draft.":
        "资源 {0} 不能从“{1}”变为“{2}”：草稿提交后进入注册审核，通过后进入发布审核并发布，"
        "或退回草稿。",
    "A % may not % resource % (% to %).": "{0}不能{1}资源 {2}（“{3}”→“{4}”）。",
    "Resource % is submitted by %, not by %: submitted_by is the login that submits it.":
        "资源 {0} 的提交人应为实际提交它的登录名 {2}，而不是 {1}。",
    "% wrote or submitted resource % and cannot also review it.":
        "{0} 创建或提交了资源 {1}，不能再审核它。",
    "submitted_by of resource % changes only when it is submitted.":
        "资源 {0} 的提交人只在提交时改变。",
    "submitted_by of resource % changes only when it is submitted, and is then the login that "
    "submits it.": "资源 {0} 的提交人只在提交时改变，且为实际提交的登录名。",
    "A security administrator sets the publish date of resource % only when publishing it.":
        "资源 {0} 的发布日期只能由安全管理员在发布时设定。",
    "The database login % is not an active GovDesk user: it changes no grade suggestion.":
        "数据库登录名 {0} 不是有效的 GovDesk 用户，不能修改分级建议。",
    "A grade suggestion is queued pending and undecided (not % by %): a security "
    "administrator decides it.":
        "分级建议以“待处理、未决定”状态加入队列（而不是已由 {1} {0}）：由安全管理员决定。",
    "Data item % is not an item of resource %: a suggestion names an item of its own resource.":
        "数据项 {0} 不属于资源 {1}：分级建议只能针对本资源的数据项。",
    "Grade suggestion % was already % by %.": "分级建议 {0} 已由 {2} {1}。",
    "Grade suggestion % is accepted or rejected, not %.": "分级建议 {0} 只能被采纳或驳回，而不是 {1}。",
    "Only a security administrator decides grade suggestions.": "只有安全管理员可以决定分级建议。",
    "Grade suggestion % is decided by %, not by %: decided_by is the login that decides.":
        "分级建议 {0} 的决定人应为实际决定的登录名 {2}，而不是 {1}。",
    "decided_by and decided_at of grade suggestion % are set by its decision.":
        "分级建议 {0} 的决定人和决定时间由决定本身设定。",
    "就高从严: resource %s is graded %s, below its data item %s (%s); a resource is never "
    "graded below its strictest data item":
        "就高从严：资源 {0} 的分级为 {1}，低于其数据项 {2}（{3}）；资源的分级不得低于其最严格的数据项",
    "resource %s": "资源 {0}",
    "data item %s of resource %s": "资源 {1} 的数据项 {0}",
    # samples (0015, 0018)
    "The purpose of a sample read is view or export.": "读取样例数据的用途只能是查看或导出。",
    "Resource % does not exist or is not yours to see.": "资源 {0} 不存在，或不在您的查看范围内。",
    "permission denied: data graded % may not be exported": "权限不足：分级为 {0} 的数据不得导出",
    "permission denied: your role may not see personal data unmasked":
        "权限不足：您的角色不能查看未脱敏的个人数据",
    "Give a reason for the unmasked view; it is recorded in the audit trail.":
        "请填写查看未脱敏数据的理由，它将记入审计记录。",
    "permission denied: your account may not read sample rows": "权限不足：您的账号不能读取样例数据",
    "A row limit cannot be negative.": "行数上限不能为负数。",
    "permission denied: no valid unmask ticket (from govdesk_unmask_request, committed in an "
    "earlier transaction, for this resource and purpose, at most @TICKET_MINUTES@ minutes old)":
        "权限不足：没有有效的脱敏豁免凭据（须先经 govdesk_unmask_request 申请并已提交，"
        "针对本资源和用途，且不超过 {0} 分钟）",
    "the sample rows of this resource already hold a column named %; a data item of that name "
    "needs a grade that masks it (or a security administrator's review)":
        "本资源的样例数据中已有名为 {0} 的列；同名数据项需要能对其脱敏的分级（或由安全管理员审核）",
    # reasons, tickets, audit detail size, loosened grades (0032)
    "Give a reason of at least % letters or digits for the unmasked view; it is recorded in the "
    "audit trail.":
        "查看未脱敏数据的理由至少需要 {0} 个文字或数字（空格和标点不计），它将记入审计记录。",
    "permission denied: no valid unmask ticket (from govdesk_unmask_request, committed in an "
    "earlier transaction, for this resource and purpose, not used before, at most % minutes old)":
        "权限不足：没有有效的脱敏豁免凭据（须先经 govdesk_unmask_request 申请并已提交，"
        "针对本资源和用途，未曾使用，且不超过 {0} 分钟）",
    "an audit detail of % bytes is too large (at most % bytes)":
        "审计记录的详情有 {0} 字节，超过上限（每条最多 {1} 字节）",
    # sample rows and providers (0028)
    "a sample row stays with its resource: it cannot be moved from resource % to %":
        "样例数据行只属于其资源：不能从资源 {0} 移到资源 {1}",
    "a sample row may not hold column % of resource %: its data item's grade does not mask it "
    "(ask a security administrator)":
        "样例数据行不能包含资源 {1} 的列 {0}：其数据项的分级不会对其脱敏（请安全管理员处理）",
    "organisation % is deactivated (or does not exist): it cannot be the provider of a resource":
        "机构 {0} 已停用（或不存在），不能作为资源的提供单位",
    # accounts (0016)
    "you cannot change your own account (ask another system administrator)":
        "不能修改自己的账号（请另一位系统管理员操作）",
    "there is no user named %": "没有名为 {0} 的用户",
    "the account % is deactivated": "账号 {0} 已停用",
    "The database login % is not an active GovDesk user: it changes no password here.":
        "数据库登录名 {0} 不是有效的 GovDesk 用户，不能在此修改密码。",
    "the role % is not a GovDesk login of this database": "数据库角色 {0} 不是本数据库的 GovDesk 登录名",
    "only a system administrator of this database manages accounts": "只有本数据库的系统管理员可以管理账号",
    "the database owner may only create the first system administrator":
        "数据库所有者只能创建第一个系统管理员",
    "user name % must be 2-63 lower-case letters, digits or _, start with a letter, and not "
    "start with pg_, gd_ or govdesk_":
        "用户名 {0} 须为 2–63 个小写字母、数字或下划线，以字母开头，且不能以 pg_、gd_ 或 govdesk_ 开头",
    "unknown role %": "未知角色 {0}",
    "a password must be given as a SCRAM-SHA-256 verifier": "密码必须以 SCRAM-SHA-256 校验值的形式提供",
    "a user or database role named % already exists": "名为 {0} 的用户或数据库角色已存在",
    # connecting (libpq's and SQLite's own words; a tail after "failed: " is translated too)
    'connection to server at "%", port % failed: %': "无法连接服务器 {0}（端口 {1}）：{2}",
    'connection to server on socket "%" failed: %': "无法通过套接字 {0} 连接服务器：{1}",
    "Connection refused": "连接被拒绝（服务器未运行，或未在此地址和端口上监听）",
    "Connection timed out": "连接超时",
    "timeout expired": "连接超时",
    "No route to host": "网络不可达",
    'FATAL:  database "%" does not exist': "数据库“{0}”不存在",
    'FATAL:  role "%" does not exist': "登录名“{0}”在此服务器上不存在",
    'FATAL:  password authentication failed for user "%"': "用户“{0}”的密码验证失败",
    'FATAL:  no pg_hba.conf entry for host "%", user "%", database "%", %':
        "服务器的 pg_hba.conf 不允许从 {0} 以用户“{1}”连接数据库“{2}”（{3}）",
    'FATAL:  permission denied for database "%"': "没有连接数据库“{0}”的权限",
    'FATAL:  too many connections for role "%"': "登录名“{0}”的连接数已达上限",
    "FATAL:  sorry, too many clients already": "服务器的连接数已满",
    "FATAL:  the database system is starting up": "数据库服务器正在启动",
    "FATAL:  the database system is shutting down": "数据库服务器正在关闭",
    'could not translate host name "%" to address: %': "无法解析主机名“{0}”：{1}",
    "Name or service not known": "名称或服务未知",
    "Temporary failure in name resolution": "域名解析暂时失败",
    "server closed the connection unexpectedly": "服务器意外关闭了连接",
    "unable to open database file": "无法打开数据库文件（文件夹不存在或没有访问权限）",
    # sharing grants (0025)
    "only GovDesk users of this database change sharing grants":
        "只有本数据库的 GovDesk 用户可以修改共享授权",
    "resource % is not published in the catalogue: it cannot be shared":
        "资源 {0} 未在目录中发布，不能共享",
    "resource % is not shared (不予共享): it cannot be granted":
        "资源 {0} 的共享类型为“不予共享”，不能授权共享",
    "the grade of resource % does not allow % sharing": "资源 {0} 的分级不允许“{1}”",
    "resource % has no grade yet: it is shared only once it is graded":
        "资源 {0} 尚未定级，定级后才能共享",
    "the sharing conditions of resource % must be accepted": "须接受资源 {0} 的共享条件",
    "a grant is requested by a data administrator of the receiving organisation, for it":
        "共享授权只能由接收单位的数据管理员为本单位申请",
    "a grant is offered by the providing side: a data or security administrator of the "
    "resource's region":
        "共享授权只能由提供方发起：资源所在区划的数据管理员或安全管理员",
    "a grant starts as requested or offered, not %":
        "共享授权只能以“申请”或“提供方发起”开始，而不是“{0}”",
    "a grant runs from today or later (valid_from) to valid_until, both given":
        "共享授权的有效期须给出开始日（今天或以后）和结束日",
    "a grant of resource % may run at most % days": "资源 {0} 的共享授权最长 {1} 天",
    "grant % cannot be renewed: only an approved grant that has not expired, for the same "
    "resource and grantee":
        "共享授权 {0} 不能续期：只有已批准、未到期的授权可以续期，且须为同一资源和同一被授权方",
    "a renewal starts the day after the grant it renews ends (%)":
        "续期须从原授权结束后的第二天（{0}）开始",
    "the terms of sharing grant % cannot be changed: ask for a renewal or a new grant":
        "共享授权 {0} 的条款不能修改：请申请续期或新的授权",
    "sharing grant % changes only by a step of its workflow": "共享授权 {0} 只能经审批流程的步骤改变",
    "only a security administrator of the providing side decides sharing grant %":
        "只有提供方的安全管理员可以审批共享授权 {0}",
    "the requester of sharing grant % cannot decide it": "共享授权 {0} 的申请人不能审批它",
    "rejecting sharing grant % needs a reason": "驳回共享授权 {0} 须说明理由",
    "sharing grant % was left unanswered for % days and has lapsed":
        "共享授权 {0} 已 {1} 天未审批，已逾期失效",
    "sharing grant % would end before today": "共享授权 {0} 的结束日早于今天",
    # the effective-access matrix (0031)
    "only data and security administrators read the access matrix":
        "只有数据管理员和安全管理员可以查看共享访问矩阵",
    "sharing grant % may run at most % days": "共享授权 {0} 最长 {1} 天",
    "the second approval of sharing grant % needs another security administrator":
        "共享授权 {0} 的第二人审批须由另一位安全管理员进行",
    "sharing grant % cannot go from % to %": "共享授权 {0} 不能从“{1}”变为“{2}”",
    "sharing grant % needs two security administrators: this approval is the first":
        "共享授权 {0} 须经两位安全管理员批准：本次为第一人审批",
    "sharing grant % needs one approval": "共享授权 {0} 只需一人批准",
    "sharing grant % expired on %: there is nothing to end": "共享授权 {0} 已于 {1} 到期，无需终止",
    "only a security administrator of the providing side revokes sharing grant %":
        "只有提供方的安全管理员可以撤销共享授权 {0}",
    "revoking sharing grant % needs a reason": "撤销共享授权 {0} 须说明理由",
    "sharing grant % is released by a data administrator of the organisation it was granted to":
        "共享授权 {0} 只能由被授权单位的数据管理员提前释放",
    "only data and security administrators mark requests lapsed":
        "只有数据管理员和安全管理员可以将申请标记为逾期失效",
    "sharing grant % has not waited % days yet": "共享授权 {0} 等待审批尚未满 {1} 天",
    "a sharing grant cannot go from % to %": "共享授权不能从“{0}”变为“{1}”",
    "data items are named by the requester of a grant of chosen items, before any approval":
        "只有选定信息项的共享授权的申请人可以在审批前指定信息项",
    "data item % is not an item of resource %": "数据项 {0} 不属于资源 {1}",
    "the grade of data item % does not allow % sharing": "数据项 {0} 的分级不允许“{1}”",
    # sharing grants after the red-team run (0033)
    "the purpose, legal basis and reason of a sharing grant have at most % characters each":
        "共享授权的用途、法律依据和理由每项最多 {0} 个字符",
    "permission denied: resource % is shared with your organisation masked as its grades "
    "require; only its providing side sees it unmasked":
        "权限不足：资源 {0} 按其分级要求脱敏后共享给您的单位，只有提供方可以查看未脱敏数据",
    "the id and creation time of sharing grant % cannot be changed":
        "共享授权 {0} 的编号和创建时间不能修改",
    "a request names the requester's own organisation: an account without an organisation "
    "requests nothing, and scopes are offered by the providing side":
        "共享申请只能为申请人本单位提出：未归属单位的账号不能申请，授权范围只能由提供方提供",
    "the scope of a sharing grant is a region code prefix of 2, 4, 6, 9 or 12 digits, not %":
        "共享授权的范围须为 2、4、6、9 或 12 位数字的地区代码前缀，不能是“{0}”",
    # PostgreSQL's own messages (the server's default English)
    "permission denied for table %": "没有访问数据表“{0}”的权限",
    "cannot execute % in a read-only transaction": "只读事务中不能执行 {0}",
    "permission denied for view %": "没有访问视图“{0}”的权限",
    "permission denied for sequence %": "没有使用序列“{0}”的权限",
    "permission denied for function %": "没有调用函数“{0}”的权限",
    "permission denied for schema %": "没有使用模式“{0}”的权限",
    "must be owner of table %": "只有数据表“{0}”的所有者可以这样做",
    'new row violates row-level security policy for table "%"':
        "这一行超出了您的账号可写的范围（数据表“{0}”的行级安全策略）",
    'new row violates row-level security policy "%" for table "%"':
        "这一行超出了您的账号可写的范围（数据表“{1}”的行级安全策略 {0}）",
    'new row for relation "%" violates check constraint "%"':
        "这一行不符合数据表“{0}”的检查规则 {1}",
    'null value in column "%" of relation "%" violates not-null constraint':
        "数据表“{1}”的字段 {0} 不能为空",
    "value too long for type character varying(%)": "值超过字段长度上限（{0} 个字符）",
    "numeric field overflow": "数值超出字段范围",
    "integer out of range": "整数超出范围",
    "smallint out of range": "整数超出范围",
    "bigint out of range": "整数超出范围",
    'invalid byte sequence for encoding "UTF8": 0x00': "文本中含有空字符（0x00），无法保存",
    "A string literal cannot contain NUL (0x00) characters.": "文本中含有空字符（0x00），无法保存",
}

#: words the server puts in its arguments: tables, steps, purposes, decisions
_WORDS: dict[str, Text] = {
    "data_resources": Text("数据资源", "data resources"),
    "data_items": Text("数据项", "data items"),
    "audit_events": Text("审计记录", "audit records"),
    "access_events": Text("访问记录", "access records"),
    "resource_versions": Text("资源历史版本", "resource versions"),
    "resource_profiles": Text("数据画像", "data profiles"),
    "resource_samples": Text("样例数据", "sample rows"),
    "grade_suggestions": Text("分级建议", "grade suggestions"),
    "grade_schemes": Text("分级方案", "grade schemes"),
    "grades": Text("分级", "grades"),
    "categories": Text("资源分类", "categories"),
    "organisations": Text("组织机构", "organisations"),
    "regions": Text("行政区划", "regions"),
    "users": Text("用户", "users"),
    "settings": Text("系统设置", "settings"),
    "sharing_grants": Text("共享授权", "sharing grants"),
    "sharing_grant_items": Text("共享授权的信息项", "sharing grant items"),
    "sharing_grant_events": Text("共享授权历史", "sharing grant history"),
    "backup_policies": Text("备份策略", "backup policies"),
    "submit": Text("提交", "submit"),
    "approve": Text("审核通过", "approve"),
    "return": Text("退回", "return"),
    "view": Text("查看", "view"),
    "export": Text("导出", "export"),
    "accepted": Text("采纳", "accepted"),
    "rejected": Text("驳回", "rejected"),
    "pending": Text("待处理", "pending"),
    "nothing": Text("无", "nothing"),
    "no grade": Text("无分级", "no grade"),
    "UPDATE": Text("修改", "UPDATE"),
    "DELETE": Text("删除", "DELETE"),
    "TRUNCATE": Text("清空", "TRUNCATE"),
}


def _arg_pattern(fmt: str) -> re.Pattern[str]:
    """The regular expression matching a line the server formats from ``fmt``."""
    parts = re.split(r"(%s|%|@[A-Z_]+@)", fmt)
    body = "".join("(.+?)" if p in ("%s", "%") or (p.startswith("@") and p.endswith("@"))
                   else re.escape(p) for p in parts)
    return re.compile(f"^{body}$", re.S)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    # the longest format first, so a specific text wins over a general one ("%" matches all)
    ordered = sorted(SERVER_TEXTS.items(), key=lambda kv: -len(kv[0]))
    return tuple((_arg_pattern(fmt), zh) for fmt, zh in ordered)


def _word(arg: str) -> str:
    """An argument in Chinese: a known word, role or status by its label, a nested server text
    translated, anything else (a code, a name, a number) as it is."""
    arg = arg.strip('"')
    if arg in _WORDS:
        return _WORDS[arg].zh
    for vocabulary in (ROLE, WORKFLOW_STATUS, GRANT_STATUS, SHARING_TYPE):
        if arg in vocabulary.codes:
            return vocabulary.label(arg)
    nested = _translate(arg, depth=1)
    return nested if nested is not None else arg


def _translate(line: str, depth: int = 0) -> str | None:
    if depth > 2:
        return None
    for pattern, zh in _patterns():
        found = pattern.match(line)
        if found:
            return zh.format(*(_word(a) for a in found.groups()))
    return None


def server_text(line: str) -> Text:
    """The server's ``line`` (a refusal's first line) as a text in both languages: the Chinese
    from :data:`SERVER_TEXTS` where the line is one of them, else the line itself; the English
    is always the line as the server wrote it."""
    zh = _translate(line.strip()) if line else None
    return Text(zh if zh is not None else line, line)
