"""Messages of the sharing workflow, in Chinese and English (see :mod:`govdesk.messages`)."""

from __future__ import annotations

from govdesk.messages import Text, define

#: the steps, as messages name them ("cannot {action}")
ACTIONS: dict[str, Text] = {
    "request": Text("申请共享", "request a grant"),
    "offer": Text("提供共享", "offer a grant"),
    "approve": Text("批准", "approve"),
    "reject": Text("驳回", "reject"),
    "revoke": Text("撤销", "revoke"),
    "release": Text("提前释放", "release"),
    "lapse": Text("标记为逾期失效", "mark lapsed"),
    "renew": Text("申请续期", "ask for a renewal"),
}

FIELDS: dict[str, Text] = {
    "method": Text("共享方式", "sharing method"),
    "purpose": Text("共享用途", "purpose"),
    "org_kind": Text("单位类型", "organisation kind"),
    "org_level": Text("单位层级", "organisation level"),
    "purpose_text": Text("共享用途说明", "purpose"),
    "legal_basis": Text("法律依据", "legal basis"),
    "reason": Text("理由", "reason"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "grant_not_found": ("共享授权 {grant} 不存在，或您无权查看。",
                        "Sharing grant {grant} does not exist or is not yours to see."),
    "grant_resource_unpublished": (
        "目录中没有已发布的资源 {resource}：只有已发布的资源可以申请共享。",
        "There is no published resource {resource} in the catalogue: only published resources "
        "can be shared."),
    "grant_resource_not_shared": (
        "资源 {resource} 的共享类型为“不予共享”，不能授权共享。",
        "Resource {resource} is marked 不予共享 (not shared) and cannot be granted."),
    "grant_changed": (
        "授权 {grant} 在您打开后已有变化（申请人增加了数据项，或已有人审批）：请刷新，看过后再审批。",
        "Grant {grant} changed after you opened it (the requester named more data items, or "
        "someone approved it): refresh, look at it again, then approve."),
    "grant_resource_ungraded": (
        "资源 {resource} 尚未定级：定级后才能共享（就高从严）。",
        "Resource {resource} has no grade yet: it can be shared once it is graded."),
    "grant_grade_forbids_type": (
        "资源 {resource} 的分级“{grade}”不允许“{sharing_type}”。",
        "The grade {grade} of resource {resource} does not allow {sharing_type}."),
    "grant_conditions_not_accepted": (
        "资源 {resource} 为有条件共享，须接受其共享条件：{conditions}",
        "Resource {resource} is shared on conditions, which must be accepted: {conditions}"),
    "grant_no_items": (
        "资源 {resource} 没有可以共享的数据项：{excluded}",
        "Resource {resource} has no data item that may be shared: {excluded}"),
    "grant_item_unknown": ("资源 {resource} 没有数据项“{item}”。",
                           "Resource {resource} has no data item {item!r}."),
    "grant_item_forbidden": (
        "数据项“{item}”的分级“{grade}”不允许共享，不能申请；可申请的数据项：{allowed}",
        "The grade {grade} of data item {item!r} forbids sharing, so it cannot be asked for; "
        "items that can: {allowed}"),
    "grant_starts_in_past": ("授权有效期须从今天（{today}）或以后开始，不能是 {start}。",
                             "A grant starts today ({today}) or later, not on {start}."),
    "grant_dates_order": ("有效期结束日 {until} 早于开始日 {start}。",
                          "The grant ends ({until}) before it starts ({start})."),
    "grant_too_long": (
        "按分级“{grade}”的规则，授权最长 {days} 天；申请的是 {asked} 天（{start} 至 {until}）。",
        "Data graded {grade} may be granted for at most {days} days; this asks for {asked} "
        "({start} to {until})."),
    "grant_no_organisation": ("{username} 没有所属单位，不能为单位申请共享：请系统管理员为该账户"
                              "指定所属单位（系统管理 → 账号，或 govdesk users set {username} "
                              "--organisation 单位代码；代码见 govdesk orgs list）。",
                              "{username} belongs to no organisation, so cannot request a grant "
                              "for one: a system administrator sets the account's organisation "
                              "(Administration → Accounts, or govdesk users set {username} "
                              "--organisation CODE; the codes are in govdesk orgs list)."),
    "grant_duplicate_pending": ("资源 {resource} 给本单位的授权 {grant} 仍在等待审批：请等待审批结果"
                                "（驳回或逾期失效后可再申请）。",
                                "Grant {grant} of {resource} to your organisation still waits "
                                "for a decision (ask again once it is rejected or has lapsed)."),
    "grant_org_unknown": ("没有单位 {org}。", "There is no organisation {org}."),
    "grant_value_unknown": ("{field}不能是“{value}”，可选：{allowed}。",
                            "The {field} cannot be {value!r}; choose one of: {allowed}."),
    "grant_scope_invalid": ("范围的地区前缀“{prefix}”不是有效的地区代码前缀（2、4、6、9 或 12 位数字）。",
                            "The scope's region prefix {prefix!r} is not a region-code prefix "
                            "(2, 4, 6, 9 or 12 digits)."),
    "grant_grantee_or_scope": ("提供共享须指定一个被授权单位或一个授权范围（二选一）。",
                               "An offer names one organisation or one scope (not both, not "
                               "neither)."),
    "grant_purpose_required": ("须说明共享用途。", "Say what the data is for (the purpose)."),
    "grant_not_provider": (
        "{username} 不属于资源 {resource} 的提供方（{region}），不能{action}。",
        "{username} is not on the providing side of resource {resource} ({region}), so cannot "
        "{action}."),
    "grant_not_grantee": ("只有被授权单位的数据管理员可以{action}（授权 {grant}）。",
                          "Only a data administrator of the organisation granted can {action} "
                          "(grant {grant})."),
    "grant_self_decision": ("申请人不能{action}自己的申请（授权 {grant}）。",
                            "The requester cannot {action} their own grant ({grant})."),
    "grant_second_approver": (
        "授权 {grant} 须由两位不同的安全管理员批准；第一次批准人是 {first}，须由另一人完成第二次批准。",
        "Grant {grant} needs two different security administrators; {first} approved first, so "
        "someone else must approve it."),
    "grant_bad_step": ("授权 {grant} 当前为“{state}”，不能{action}。",
                       "Grant {grant} is {state}: it cannot {action}."),
    "grant_text_too_long": ("{field}最多 {limit} 个字符，现有 {length} 个。",
                            "The {field} has at most {limit} characters ({length} given)."),
    "grant_reason_required": ("{action}须填写原因。", "Give a reason to {action}."),
    "grant_lapsed": ("授权申请 {grant} 已超过 {days} 天无人审批，已失效。",
                     "Request {grant} was left unanswered for more than {days} days and has "
                     "lapsed."),
    "grant_ended_unapproved": ("授权 {grant} 的有效期已于 {until} 结束，不能再批准。",
                               "Grant {grant} would have ended on {until}: it can no longer be "
                               "approved."),
    "matrix_org_unknown": ("没有单位 {org}，访问矩阵无法显示它。",
                           "There is no organisation {org} to show in the access matrix."),
    "matrix_too_large": (
        "所选范围有 {count} 个以上的资源，一次最多导出 {limit} 个；请按地区、分级、分类或资源代码缩小范围。",
        "The selection holds more than {count} resources; at most {limit} are exported at "
        "once: narrow it by region, grade, category or resource code."),
    "grant_scope_release": ("范围授权 {grant} 不能由单个单位释放；请提供方撤销。",
                            "Scope grant {grant} cannot be released by one organisation; the "
                            "providing side can revoke it."),
    "alert_bad_days": ("提醒天数须为 0 到 3650 之间的整数，不能是 {days}。",
                       "The days of an alert window must be from 0 to 3650, not {days}."),
    "alert_bad_kind": ("没有“{kind}”这种共享提醒；可选：{allowed}。",
                       "There is no sharing alert kind {kind!r}; choose from: {allowed}."),
}

define(MESSAGES, __name__)
