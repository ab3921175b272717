"""Messages of the demo loader, in Chinese and English; see :mod:`govdesk.messages`."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "demo_unknown_scale": ("未知的规模“{scale}”；可选：{allowed}。",
                           "Unknown scale {scale!r}; use one of: {allowed}."),
    "demo_not_empty": ("该数据库已有目录数据；演示数据只能载入空的 GovDesk 数据库（请先新建数据库并运行 `govdesk db upgrade`）。",
                       "This database already has catalogue data; demo data is only loaded into "
                       "an empty GovDesk database (create one and run `govdesk db upgrade` "
                       "first)."),
    "demo_not_province": ("省级区划代码 {code} 不是区划列表中的省。",
                          "Province code {code} is not a province in the region list."),
}

define(MESSAGES, __name__)
