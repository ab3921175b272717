"""``govdesk users …``: accounts (create, list, lock, unlock, deactivate, change, anomalies)."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    pad,
    read_new_password,
    say,
    term_choices,
    term_type,
)
from govdesk import vocab
from govdesk.errors import UsageError


def _region(args: argparse.Namespace, names: dict[str, str], code: str | None) -> str:
    """A region as people read it: "杭州市（330100000000）", or 全省/province-wide for none."""
    if not code:
        return say(args, "region_none")
    return say(args, "region_named", name=names[code], code=code) if code in names else code


def _names(db: Any, who: Any, codes: list[str | None]) -> dict[str, str]:
    from govdesk.security.regions import region_names

    return region_names(db, who, [c for c in codes if c])


def _organisation(db: Any, who: Any, value: str | None) -> int | None:
    """The id of the organisation ``value`` names: its id, or its code (as ``orgs list``
    shows it, e.g. CDPF-330100); UsageError when no organisation has that code."""
    from govdesk.catalog.orgs.directory import list_organisations

    if value is None or value.strip().isdigit():
        return int(value) if value is not None else None
    code = value.strip().upper()
    found = [o.id for o in list_organisations(db, who, text=value.strip())
             if o.code.upper() == code]
    if not found:
        raise UsageError("user_org_unknown", org=value)
    return found[0]


def cmd_users_add(args: argparse.Namespace) -> int:
    from govdesk.security.roles import Role, role_label
    from govdesk.security.users import create_user

    db = open_db(args)
    who = acting_identity(args, db)
    password = read_new_password(args, args.name)
    info = create_user(db, who, args.name, Role(args.role), password, region_code=args.region,
                       organisation_id=_organisation(db, who, args.organisation),
                       display_name=args.display_name or "")
    region = _region(args, _names(db, who, [info.region_code]), info.region_code)
    emit(args, {"ok": True, "user": info.username, "role": info.role.value,
                "role_label": role_label(info.role, lang_of(args)), "region": info.region_code,
                "region_name": region},
         say(args, "user_created", username=info.username,
             role=role_label(info.role, lang_of(args)), region=region))
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from govdesk.security.roles import role_label
    from govdesk.security.users import list_users

    db = open_db(args)
    who = acting_identity(args, db)
    users = list_users(db, who)
    names = _names(db, who, [u.region_code for u in users])
    lang = lang_of(args)
    emit(args, {"ok": True, "users": [
        {"username": u.username, "role": u.role.value, "role_label": role_label(u.role, lang),
         "region": u.region_code, "region_name": names.get(u.region_code or ""),
         "active": u.is_active, "locked": u.locked} for u in users]},
         "\n".join(f"{pad(u.username, 20)} {pad(role_label(u.role, lang), 22)} "
                   f"{_region(args, names, u.region_code)}"
                   + (f"  {say(args, 'user_locked_mark')}" if u.locked else "") for u in users)
         or say(args, "no_users"))
    return EXIT_OK


def cmd_users_unlock(args: argparse.Namespace) -> int:
    from govdesk.security.auth import unlock_user

    db = open_db(args)
    unlock_user(db, acting_identity(args, db), args.name)
    emit(args, {"ok": True, "user": args.name}, say(args, "user_unlocked", username=args.name))
    return EXIT_OK


def cmd_users_lock(args: argparse.Namespace) -> int:
    from govdesk.security.users import lock_user

    db = open_db(args)
    lock_user(db, acting_identity(args, db), args.name)
    emit(args, {"ok": True, "user": args.name}, say(args, "user_locked", username=args.name))
    return EXIT_OK


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    from govdesk.security.users import deactivate_user

    db = open_db(args)
    deactivate_user(db, acting_identity(args, db), args.name)
    emit(args, {"ok": True, "user": args.name},
         say(args, "user_deactivated", username=args.name))
    return EXIT_OK


def cmd_users_set(args: argparse.Namespace) -> int:
    from govdesk.security.roles import Role, role_label
    from govdesk.security.users import update_user

    db = open_db(args)
    who = acting_identity(args, db)
    info = update_user(db, who, args.name,
                       role=Role(args.role) if args.role else None,
                       region_code=None if args.region in (None, "none") else args.region,
                       organisation_id=_organisation(db, who, args.organisation),
                       display_name=args.display_name, clear_region=args.region == "none")
    region = _region(args, _names(db, who, [info.region_code]), info.region_code)
    emit(args, {"ok": True, "user": info.username, "role": info.role.value,
                "role_label": role_label(info.role, lang_of(args)), "region": info.region_code,
                "region_name": region, "organisation": info.organisation_id},
         say(args, "user_changed", username=info.username,
             role=role_label(info.role, lang_of(args)), region=region,
             organisation=info.organisation_id or "-"))
    return EXIT_OK


def cmd_users_anomalies(args: argparse.Namespace) -> int:
    from govdesk.security.users import account_anomalies

    db = open_db(args)
    found = account_anomalies(db, acting_identity(args, db))
    emit(args, {"ok": not found, "anomalies": [
        {"login": login, "group": group, "reason": reason} for login, group, reason in found]},
         "\n".join(f"{login:<20} {group:<40} {reason}" for login, group, reason in found)
         or say(args, "no_anomalies"))
    return EXIT_OK if not found else EXIT_INPUT


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk users …`` to the main parser's sub-commands."""
    users = sub.add_parser("users", parents=[common], help=tr("用户账号", "user accounts"))
    users_sub = users.add_subparsers(dest="users_command", metavar=tr("操作", "ACTION"),
                                     required=True)
    add = users_sub.add_parser("add", parents=[common], help=tr(
        "创建账号（提示输入密码，或从标准输入读取）",
        "create an account (password prompted, or read from stdin)"))
    add.add_argument("name", help=tr("用户名", "user name"))
    add.add_argument("--role", required=True, type=term_type(vocab.ROLE, tr), metavar="ROLE",
                     help=tr("角色（代码或名称）：", "role (code or label): ")
                     + term_choices(vocab.ROLE, tr))
    add.add_argument("--region", metavar="CODE",
                     help=tr("限定用户范围的行政区划代码", "region code that scopes the user"))
    add.add_argument("--organisation", metavar="CODE", help=tr(
        "用户所属单位：单位代码（如 CDPF-330100，见 orgs list）或编号",
        "the user's organisation: its code (e.g. CDPF-330100, see orgs list) or id"))
    add.add_argument("--display-name", metavar="TEXT", help=tr("显示名称", "display name"))
    add.set_defaults(func=cmd_users_add)
    users_sub.add_parser("list", parents=[common], help=tr("列出账号", "list accounts")) \
        .set_defaults(func=cmd_users_list)
    for name, func, zh, en in (
            ("unlock", cmd_users_unlock, "解除锁定", "lift a lockout"),
            ("lock", cmd_users_lock, "锁定账号，直到解锁", "lock an account until unlocked"),
            ("deactivate", cmd_users_deactivate, "永久停用账号（其用户名不再使用）",
             "end an account for good (its name is never reused)")):
        one = users_sub.add_parser(name, parents=[common], help=tr(zh, en))
        one.add_argument("name", help=tr("用户名", "user name"))
        one.set_defaults(func=func)
    setp = users_sub.add_parser("set", parents=[common], help=tr(
        "修改账号的角色、行政区划、机构或名称",
        "change an account's role, region, organisation or name"))
    setp.add_argument("name", help=tr("用户名", "user name"))
    setp.add_argument("--role", type=term_type(vocab.ROLE, tr), metavar="ROLE",
                      help=tr("新角色（代码或名称）", "the new role (code or label)"))
    setp.add_argument("--region", metavar="CODE", help=tr(
        "行政区划代码，none 表示全省", "region code, or 'none' for province-wide"))
    setp.add_argument("--organisation", metavar="CODE", help=tr(
        "所属单位：单位代码（如 CDPF-330100，见 orgs list）或编号",
        "the organisation: its code (e.g. CDPF-330100, see orgs list) or id"))
    setp.add_argument("--display-name", metavar="TEXT", help=tr("显示名称", "display name"))
    setp.set_defaults(func=cmd_users_set)
    users_sub.add_parser("anomalies", parents=[common], help=tr(
        "本数据库 GovDesk 组中没有有效账号的登录角色（PostgreSQL）；存在时退出码为 1",
        "login roles in this database's GovDesk groups without an active account "
        "(PostgreSQL); exit 1 when there are any")).set_defaults(func=cmd_users_anomalies)
