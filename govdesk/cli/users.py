"""``govdesk users …``: accounts (create, list, lock, unlock, deactivate, change, anomalies)."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import EXIT_INPUT, EXIT_OK, acting_identity, emit, open_db, read_new_password


def cmd_users_add(args: argparse.Namespace) -> int:
    from govdesk.security.roles import Role
    from govdesk.security.users import create_user

    db = open_db(args)
    who = acting_identity(args, db)
    password = read_new_password(args.name)
    info = create_user(db, who, args.name, Role(args.role), password, region_code=args.region,
                       organisation_id=args.organisation, display_name=args.display_name or "")
    emit(args, {"ok": True, "user": info.username, "role": info.role.value,
                 "region": info.region_code},
          f"Created {info.username} ({info.role.value}"
          + (f", region {info.region_code}" if info.region_code else "") + ").")
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from govdesk.security.users import list_users

    db = open_db(args)
    users = list_users(db, acting_identity(args, db))
    emit(args, {"ok": True, "users": [
        {"username": u.username, "role": u.role.value, "region": u.region_code,
         "active": u.is_active, "locked": u.locked} for u in users]},
          "\n".join(f"{u.username:<20} {u.role.value:<11} {u.region_code or '-':<13}"
                    f"{' locked' if u.locked else ''}" for u in users) or "No users.")
    return EXIT_OK


def cmd_users_unlock(args: argparse.Namespace) -> int:
    from govdesk.security.auth import unlock_user

    db = open_db(args)
    unlock_user(db, acting_identity(args, db), args.name)
    emit(args, {"ok": True, "user": args.name}, f"Unlocked {args.name}.")
    return EXIT_OK


def cmd_users_lock(args: argparse.Namespace) -> int:
    from govdesk.security.users import lock_user

    db = open_db(args)
    lock_user(db, acting_identity(args, db), args.name)
    emit(args, {"ok": True, "user": args.name}, f"Locked {args.name}.")
    return EXIT_OK


def cmd_users_deactivate(args: argparse.Namespace) -> int:
    from govdesk.security.users import deactivate_user

    db = open_db(args)
    deactivate_user(db, acting_identity(args, db), args.name)
    emit(args, {"ok": True, "user": args.name}, f"Deactivated {args.name}.")
    return EXIT_OK


def cmd_users_set(args: argparse.Namespace) -> int:
    from govdesk.security.roles import Role
    from govdesk.security.users import update_user

    db = open_db(args)
    info = update_user(db, acting_identity(args, db), args.name,
                       role=Role(args.role) if args.role else None,
                       region_code=None if args.region in (None, "none") else args.region,
                       organisation_id=args.organisation, display_name=args.display_name,
                       clear_region=args.region == "none")
    emit(args, {"ok": True, "user": info.username, "role": info.role.value,
                 "region": info.region_code, "organisation": info.organisation_id},
          f"{info.username}: {info.role.value}, region {info.region_code or '-'}, "
          f"organisation {info.organisation_id or '-'}.")
    return EXIT_OK


def cmd_users_anomalies(args: argparse.Namespace) -> int:
    from govdesk.security.users import account_anomalies

    db = open_db(args)
    found = account_anomalies(db, acting_identity(args, db))
    emit(args, {"ok": not found, "anomalies": [
        {"login": login, "group": group, "reason": reason} for login, group, reason in found]},
          "\n".join(f"{login:<20} {group:<40} {reason}" for login, group, reason in found)
          or "Every login in a GovDesk group of this database is an active GovDesk user.")
    return EXIT_OK if not found else EXIT_INPUT


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk users …`` to the main parser's sub-commands."""
    users = sub.add_parser("users", parents=[common], help="user accounts")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", parents=[common],
                               help="create an account (password prompted, or read from stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     choices=("sysadmin", "secadmin", "auditor", "data_admin", "viewer"))
    add.add_argument("--region", metavar="CODE", help="region code that scopes the user")
    add.add_argument("--organisation", type=int, metavar="ID", help="the user's organisation id")
    add.add_argument("--display-name", metavar="TEXT")
    add.set_defaults(func=cmd_users_add)
    users_sub.add_parser("list", parents=[common], help="list accounts").set_defaults(
        func=cmd_users_list)
    unlock = users_sub.add_parser("unlock", parents=[common], help="lift a lockout")
    unlock.add_argument("name")
    unlock.set_defaults(func=cmd_users_unlock)
    lock = users_sub.add_parser("lock", parents=[common], help="lock an account until unlocked")
    lock.add_argument("name")
    lock.set_defaults(func=cmd_users_lock)
    deact = users_sub.add_parser("deactivate", parents=[common],
                                 help="end an account for good (its name is never reused)")
    deact.add_argument("name")
    deact.set_defaults(func=cmd_users_deactivate)
    setp = users_sub.add_parser("set", parents=[common],
                                help="change an account's role, region, organisation or name")
    setp.add_argument("name")
    setp.add_argument("--role", choices=("sysadmin", "secadmin", "auditor", "data_admin", "viewer"))
    setp.add_argument("--region", metavar="CODE", help="region code, or 'none' for province-wide")
    setp.add_argument("--organisation", type=int, metavar="ID")
    setp.add_argument("--display-name", metavar="TEXT")
    setp.set_defaults(func=cmd_users_set)
    users_sub.add_parser(
        "anomalies", parents=[common],
        help="login roles in this database's GovDesk groups without an active account "
             "(PostgreSQL); exit 1 when there are any").set_defaults(func=cmd_users_anomalies)
