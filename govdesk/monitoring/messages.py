"""Messages of the monitoring services, in Chinese and English (see :mod:`govdesk.messages`)."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "access_bad_page_key": ("翻页位置无效：请重新查询访问记录。",
                            "That page position is not one of this list's: query again."),
    "access_bad_range": ("时间范围无效：开始时间 {since} 不早于结束时间 {until}。",
                         "The time range is empty: {since} is not before {until}."),
    "access_review_comment": ("请填写审查意见（至少 {min} 个文字或数字）：未记录任何审查。",
                              "Write a review comment (at least {min} letters or digits): "
                              "nothing was recorded."),
    "access_review_comment_long": ("审查意见过长（{n} 个字符，最多 {max} 个）：未记录任何审查。",
                                   "The review comment is too long ({n} characters, at most "
                                   "{max}): nothing was recorded."),
    "access_review_nothing": ("没有选中任何访问记录：未记录任何审查。",
                              "No access events are selected: nothing was recorded."),
    "access_review_too_many": ("一次最多审查 {max} 条访问记录（选中了 {n} 条）；更多记录请按单位和时段审查。",
                               "At most {max} access events can be reviewed at once ({n} "
                               "selected); review by organisation and period instead."),
    "access_review_unknown": ("访问记录 {event} 不存在：未记录任何审查。",
                              "Access event {event} does not exist: nothing was recorded."),
    "access_review_period": ("按时段审查需要单位、开始时间和结束时间，且开始早于结束：未记录任何审查。",
                             "A review of a period needs an organisation, a start and an end, "
                             "the start before the end: nothing was recorded."),
    "access_unknown_org": ("单位 {org} 不存在。", "There is no organisation {org}."),
    "access_event_not_found": ("访问记录 {event} 不存在。", "Access event {event} does not exist."),
}

define(MESSAGES, __name__)
