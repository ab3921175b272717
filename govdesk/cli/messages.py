"""Messages of the command line itself (its arguments, passwords on standard input), in
Chinese and English; see :mod:`govdesk.messages`."""

from __future__ import annotations

from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "passwords_differ": ("两次输入的密码不一致；未创建任何内容。",
                         "The two passwords differ; nothing was created."),
    "no_password_on_stdin": ("标准输入中没有密码；未创建任何内容。",
                             "No password on standard input; nothing was created."),
    "bad_time": ("“{value}”不是日期（YYYY-MM-DD）或日期时间。",
                 "{value!r} is not a date (YYYY-MM-DD) or date and time."),
    "anchor_key_where": ("请用 --out FILE 指定新密钥文件，或使用 --keyring。",
                         "Give --out FILE for the new key file, or --keyring."),
    "reason_without_unmask": ("--reason 需与 --unmask 一起使用：脱敏导出不需要理由。",
                              "--reason goes with --unmask: a masked export needs no reason."),
    "bad_map": ("--map 的格式为 旧=新，而不是“{pair}”。", "--map takes OLD=NEW, not {pair!r}."),
    "queue_needs_resource": ("--queue 需要 --resource CODE：分级建议属于某个资源。",
                             "--queue needs --resource CODE: suggestions belong to a resource."),
    "no_password_for_user": ("{username} 没有密码：请设置 GOVDESK_PASSWORD、在标准输入的第一行给出密码，或在终端中运行。",
                             "No password for {username}: set GOVDESK_PASSWORD, give it on the "
                             "first line of standard input, or run in a terminal."),
    "scheme_write_type": ("{name}：分级方案以 YAML（.yaml）格式写出。",
                          "{name}: the scheme is written as YAML (.yaml)."),
}

define(MESSAGES, __name__)
