"""``govdesk sharing …``: sharing grants, headless (request, offer, decide, end, renew, list).

``expire-due`` marks unanswered requests lapsed (for a scheduled task); an approved grant needs
no job to expire, it stops working at its end date in every read.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from govdesk import vocab
from govdesk.cli.common import EXIT_OK, acting_identity, emit, lang_of, open_db
from govdesk.errors import UsageError
from govdesk.messages import define

MESSAGES: dict[str, tuple[str, str]] = {
    "sharing_bad_date": ("日期“{value}”的格式应为 YYYY-MM-DD。",
                         "The date {value!r} must be written YYYY-MM-DD."),
    "sharing_until_or_days": ("请用 --until 日期 或 --days 天数 指定有效期的结束（二选一）。",
                              "Say when the grant ends: --until DATE or --days N (one of them)."),
    "sharing_bad_scope": ("范围“{value}”的格式应为 地区前缀[:单位类型[:层级]]，如 3301:federation:3。",
                          "The scope {value!r} must be PREFIX[:KIND[:LEVEL]], e.g. "
                          "3301:federation:3."),
    "sharing_to_or_scope": ("请用 --to 单位代码 或 --scope 范围 指定被授权方（二选一）。",
                            "Name who is granted: --to ORG or --scope SCOPE (one of them)."),
}
define(MESSAGES, __name__)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError("sharing_bad_date", value=value) from None


def _until(args: argparse.Namespace, start: dt.date) -> dt.date:
    until = _date(getattr(args, "until", None))
    days: int | None = getattr(args, "days", None)
    if until is not None and days is None:
        return until
    if until is None and days is not None:
        return start + dt.timedelta(days=days - 1)
    raise UsageError("sharing_until_or_days")


def _terms(args: argparse.Namespace) -> Any:
    from govdesk.db.models.sharing import grant_day
    from govdesk.sharing.dto import GrantTerms

    start = _date(args.valid_from)
    items = tuple(i for i in (args.items or "").split(",") if i.strip()) or None
    return GrantTerms(valid_until=_until(args, start or grant_day()), method=args.method,
                      purpose_code=args.purpose, purpose=args.purpose_text or "",
                      legal_basis=args.basis or "", valid_from=start, items=items,
                      accept_conditions=args.accept_conditions)


def _scope(value: str) -> Any:
    from govdesk.sharing.dto import GrantScope

    parts = value.split(":")
    if len(parts) > 3 or not parts[0] or (len(parts) == 3 and not parts[2].isdigit()):
        raise UsageError("sharing_bad_scope", value=value)
    kind = parts[1] or None if len(parts) > 1 else None
    level = int(parts[2]) if len(parts) == 3 else None
    return GrantScope(parts[0], kind, level)


def _line(g: Any, lang: str) -> str:
    who = g.grantee_name or (f"{g.scope.region_prefix}:{g.scope.org_kind or '*'}:"
                             f"{g.scope.org_level if g.scope.org_level is not None else '*'}"
                             if g.scope else "-")
    items = "all items" if g.all_items else f"{len(g.items)} items"
    return (f"#{g.id:<6} {g.resource_code or g.resource_id!s:<14} → {who:<20} "
            f"{vocab.GRANT_STATE.label(g.state, lang):<10} {g.valid_from} … {g.valid_until}  "
            f"{items}")


def _report(args: argparse.Namespace, grant: Any, verb: str) -> int:
    lang = lang_of(args)
    text = f"{verb}: {_line(grant, lang)}"
    if grant.exclusions:
        text += "\n  left out: " + ", ".join(f"{e.item} ({e.grade})" for e in grant.exclusions)
    emit(args, {"ok": True, "grant": grant.to_json()}, text)
    return EXIT_OK


def cmd_request(args: argparse.Namespace) -> int:
    from govdesk.sharing.workflow import request_grant

    db = open_db(args)
    return _report(args, request_grant(db, acting_identity(args, db), args.resource,
                                       _terms(args)), "Requested")


def cmd_offer(args: argparse.Namespace) -> int:
    from govdesk.sharing.workflow import offer_grant

    if (args.to is None) == (args.scope is None):
        raise UsageError("sharing_to_or_scope")
    db = open_db(args)
    scope = _scope(args.scope) if args.scope else None
    return _report(args, offer_grant(db, acting_identity(args, db), args.resource, _terms(args),
                                     grantee=args.to, scope=scope), "Offered")


def cmd_step(args: argparse.Namespace) -> int:
    from govdesk.sharing import decisions

    db = open_db(args)
    who = acting_identity(args, db)
    step = args.step
    if step == "approve":
        grant = decisions.approve(db, who, args.id, note=args.note or "")
    elif step == "release":
        grant = decisions.release(db, who, args.id, reason=args.reason or "")
    else:
        grant = getattr(decisions, step)(db, who, args.id, args.reason or "")
    return _report(args, grant, step.capitalize())


def cmd_renew(args: argparse.Namespace) -> int:
    from govdesk.sharing.workflow import renew_grant

    until = _date(args.until)
    assert until is not None  # required by the parser
    db = open_db(args)
    return _report(args, renew_grant(db, acting_identity(args, db), args.id, until,
                                     accept_conditions=args.accept_conditions),
                   "Renewal requested")


def cmd_list(args: argparse.Namespace) -> int:
    from govdesk.sharing.dto import GrantFilter
    from govdesk.sharing.queries import list_grants

    db = open_db(args)
    grants = list_grants(db, acting_identity(args, db), GrantFilter(
        state=args.state, resource_code=args.resource, to_decide=args.to_decide,
        mine=args.mine, limit=args.limit))
    lang = lang_of(args)
    emit(args, {"grants": [g.to_json() for g in grants]},
         "\n".join(_line(g, lang) for g in grants) or "No grants.")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from govdesk.sharing.queries import grant_detail

    db = open_db(args)
    detail = grant_detail(db, acting_identity(args, db), args.id)
    lines = [_line(detail.grant, lang_of(args))]
    lines += [f"  {e.at:%Y-%m-%d %H:%M} {e.actor} ({e.actor_role}): {e.from_status or '-'} → "
              f"{e.to_status}{'  ' + e.reason if e.reason else ''}" for e in detail.events]
    emit(args, {"grant": detail.grant.to_json(), "events": [
        {**e.__dict__, "at": e.at.isoformat()} for e in detail.events]}, "\n".join(lines))
    return EXIT_OK


def cmd_expire_due(args: argparse.Namespace) -> int:
    from govdesk.sharing.decisions import expire_due

    db = open_db(args)
    lapsed = expire_due(db, acting_identity(args, db))
    emit(args, {"ok": True, "lapsed": [g.id for g in lapsed]},
         f"{len(lapsed)} unanswered request(s) marked lapsed.")
    return EXIT_OK


def _terms_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("resource", metavar="CODE", help="the resource's code")
    p.add_argument("--until", metavar="DATE", help="last day of the grant (YYYY-MM-DD)")
    p.add_argument("--days", type=int, metavar="N", help="or: how many days it runs")
    p.add_argument("--from", dest="valid_from", metavar="DATE", help="first day (default today)")
    p.add_argument("--items", metavar="A,B", help="data items (names or numbers); default all")
    p.add_argument("--method", choices=vocab.SHARING_METHOD.codes, default="platform")
    p.add_argument("--purpose", choices=vocab.SHARING_PURPOSE.codes, required=True)
    p.add_argument("--purpose-text", metavar="TEXT", help="what the data is for, in words")
    p.add_argument("--basis", metavar="TEXT", help="the legal or policy basis")
    p.add_argument("--accept-conditions", action="store_true",
                   help="accept the resource's sharing conditions (有条件共享)")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk sharing …`` to the main parser's sub-commands."""
    top = sub.add_parser("sharing", parents=[common], help="sharing grants (共享授权)")
    s = top.add_subparsers(dest="sharing_command", metavar="ACTION", required=True)
    req = s.add_parser("request", parents=[common], help="ask for a resource for your organisation")
    _terms_options(req)
    req.set_defaults(func=cmd_request)
    off = s.add_parser("offer", parents=[common], help="offer a resource of your region")
    _terms_options(off)
    off.add_argument("--to", metavar="ORG", help="the organisation's code")
    off.add_argument("--scope", metavar="PREFIX[:KIND[:LEVEL]]",
                     help="every organisation in a scope, e.g. 3301:federation:3")
    off.set_defaults(func=cmd_offer)
    for step, needs in (("approve", None), ("reject", "reason"), ("revoke", "reason"),
                        ("release", None)):
        p = s.add_parser(step, parents=[common], help=f"{step} a grant")
        p.add_argument("id", type=int)
        if step == "approve":
            p.add_argument("--note", metavar="TEXT")
        else:
            p.add_argument("--reason", metavar="TEXT", required=needs == "reason")
        p.set_defaults(func=cmd_step, step=step)
    ren = s.add_parser("renew", parents=[common], help="ask for a grant to run on")
    ren.add_argument("id", type=int)
    ren.add_argument("--until", metavar="DATE", required=True)
    ren.add_argument("--accept-conditions", action="store_true")
    ren.set_defaults(func=cmd_renew)
    ls = s.add_parser("list", parents=[common], help="grants you may see")
    ls.add_argument("--state", choices=vocab.GRANT_STATE.codes)
    ls.add_argument("--resource", metavar="CODE")
    ls.add_argument("--to-decide", action="store_true", help="pending grants you may decide")
    ls.add_argument("--mine", action="store_true", help="your requests and your organisation's")
    ls.add_argument("--limit", type=int, default=500)
    ls.set_defaults(func=cmd_list)
    show = s.add_parser("show", parents=[common], help="one grant and its history")
    show.add_argument("id", type=int)
    show.set_defaults(func=cmd_show)
    s.add_parser("expire-due", parents=[common], help="mark unanswered requests lapsed") \
        .set_defaults(func=cmd_expire_due)
