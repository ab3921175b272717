"""``govdesk sharing …``: sharing grants, headless (request, offer, decide, end, renew, list,
show; ``alerts`` and ``expire-due`` in :mod:`govdesk.cli.sharing_alerts`, the one other module
of this group).

``expire-due`` marks unanswered requests lapsed and lists the reminders due (for a scheduled
task); an approved grant needs no job to expire, it stops working at its end date in every
read. What a command prints for a
person is in the user's language (states, statuses, roles and local times as words); ``--json``
gives the codes, with their labels beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from govdesk import vocab
from govdesk.cli.common import (
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    pad,
    say,
    term_choices,
    term_type,
)
from govdesk.cli.sharing_alerts import add_parsers, grantee_label
from govdesk.errors import UsageError


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
        if days < 1:
            raise UsageError("sharing_bad_days", value=days)
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


def _line(args: argparse.Namespace, g: Any) -> str:
    """One grant on one line: number, resource, grantee, state, dates, how many items."""
    items = (say(args, "sharing_all_items") if g.all_items
             else say(args, "sharing_n_items", n=len(g.items)))
    return say(args, "sharing_line", id=pad(g.id, 6), resource=pad(
        g.resource_code or g.resource_id, 14), grantee=pad(grantee_label(args, g), 20),
        state=pad(vocab.GRANT_STATE.label(g.state, lang_of(args)), 10),
        start=g.valid_from or "-", until=g.valid_until or "-", items=items)


def _left_out(args: argparse.Namespace, g: Any) -> list[str]:
    """A line for each data item left out of ``g``, with its grade and why."""
    return [say(args, "sharing_left_out", item=e.item, grade=e.grade,
                reason=say(args, f"sharing_reason_{e.reason}")) for e in g.exclusions]


def _grant_json(args: argparse.Namespace, g: Any) -> dict[str, Any]:
    """The grant's JSON, its codes' labels (``*_label``) in the user's language beside them."""
    lang = lang_of(args)
    out: dict[str, Any] = g.to_json()
    out.update(state_label=vocab.GRANT_STATE.label(g.state, lang),
               status_label=vocab.GRANT_STATUS.label(g.status, lang),
               sharing_type_label=vocab.SHARING_TYPE.label(g.sharing_type, lang),
               method_label=vocab.SHARING_METHOD.label(g.method, lang),
               purpose_label=vocab.SHARING_PURPOSE.label(g.purpose_code, lang),
               origin_label=vocab.GRANT_ORIGIN.label(g.origin, lang), grantee_label=grantee_label(args, g))
    for e in out["exclusions"]:
        e["reason_label"] = say(args, f"sharing_reason_{e['reason']}")
    return out


#: the message each step reports with
_DONE = {"request": "sharing_requested", "offer": "sharing_offered",
         "approve": "sharing_approved", "reject": "sharing_rejected",
         "revoke": "sharing_revoked", "release": "sharing_released",
         "renew": "sharing_renewal_requested"}


def _report(args: argparse.Namespace, grant: Any, step: str) -> int:
    done = "sharing_first_approved" if grant.status == "first_approved" else _DONE[step]
    text = "\n".join([say(args, done, grant=_line(args, grant)), *_left_out(args, grant)])
    emit(args, {"ok": True, "grant": _grant_json(args, grant)}, text)
    return EXIT_OK


def cmd_request(args: argparse.Namespace) -> int:
    from govdesk.sharing.workflow import request_grant

    db = open_db(args)
    return _report(args, request_grant(db, acting_identity(args, db), args.resource,
                                       _terms(args)), "request")


def cmd_offer(args: argparse.Namespace) -> int:
    from govdesk.sharing.workflow import offer_grant

    if (args.to is None) == (args.scope is None):
        raise UsageError("sharing_to_or_scope")
    db = open_db(args)
    scope = _scope(args.scope) if args.scope else None
    return _report(args, offer_grant(db, acting_identity(args, db), args.resource, _terms(args),
                                     grantee=args.to, scope=scope), "offer")


def cmd_step(args: argparse.Namespace) -> int:
    from govdesk.sharing import decisions

    db = open_db(args)
    who = acting_identity(args, db)
    step = args.step
    if step == "approve":
        grant = decisions.approve(db, who, args.id, note=args.note or "",
                                  seen_version=args.seen_version)
    elif step == "release":
        grant = decisions.release(db, who, args.id, reason=args.reason or "")
    else:
        grant = getattr(decisions, step)(db, who, args.id, args.reason or "")
    return _report(args, grant, step)


def cmd_renew(args: argparse.Namespace) -> int:
    from govdesk.sharing.workflow import renew_grant

    until = _date(args.until)
    assert until is not None  # required by the parser
    db = open_db(args)
    return _report(args, renew_grant(db, acting_identity(args, db), args.id, until,
                                     accept_conditions=args.accept_conditions), "renew")


def cmd_list(args: argparse.Namespace) -> int:
    from govdesk.sharing.dto import GrantFilter
    from govdesk.sharing.queries import list_grants

    db = open_db(args)
    grants = list_grants(db, acting_identity(args, db), GrantFilter(
        state=args.state, resource_code=args.resource, to_decide=args.to_decide,
        mine=args.mine, limit=args.limit))
    emit(args, {"grants": [_grant_json(args, g) for g in grants]},
         "\n".join(_line(args, g) for g in grants) or say(args, "sharing_none"))
    return EXIT_OK


def _terms_lines(args: argparse.Namespace, g: Any) -> list[str]:
    """What ``show`` says of a grant's terms: resource, method, purpose, basis, conditions,
    the items it names and those left out."""
    lang = lang_of(args)
    lines = [say(args, "sharing_terms", name=g.resource_name or "-",
                 method=vocab.SHARING_METHOD.label(g.method, lang) or "-",
                 purpose=vocab.SHARING_PURPOSE.label(g.purpose_code, lang) or "-")]
    for code, value in (("sharing_purpose_text", g.purpose), ("sharing_basis", g.legal_basis),
                        ("sharing_conditions", g.conditions)):
        if value:
            lines.append(say(args, code, text=value))
    if not g.all_items:
        comma = "、" if lang == "zh" else ", "
        lines.append(say(args, "sharing_items_named", items=comma.join(g.items)))
    return lines + _left_out(args, g)


def _event_line(args: argparse.Namespace, e: Any) -> str:
    """One step of the history: local time, who (and their role), from → to, the reason."""
    from govdesk.security.audit_labels import local_time
    from govdesk.security.roles import role_label

    lang = lang_of(args)
    params = dict(at=local_time(e.at), actor=e.actor,
                  role=role_label(e.actor_role, lang) or "-",
                  before=(vocab.GRANT_STATUS.label(e.from_status, lang) if e.from_status
                          else say(args, "sharing_event_new")),
                  after=vocab.GRANT_STATUS.label(e.to_status, lang))
    if e.reason:
        return say(args, "sharing_event_reason", reason=e.reason, **params)
    return say(args, "sharing_event", **params)


def _event_json(args: argparse.Namespace, e: Any) -> dict[str, Any]:
    from govdesk.security.roles import role_label

    lang = lang_of(args)
    return {**e.__dict__, "at": e.at.isoformat(),
            "from_label": vocab.GRANT_STATUS.label(e.from_status, lang),
            "to_label": vocab.GRANT_STATUS.label(e.to_status, lang),
            "actor_role_label": role_label(e.actor_role, lang)}


def cmd_show(args: argparse.Namespace) -> int:
    from govdesk.sharing.queries import grant_detail

    db = open_db(args)
    detail = grant_detail(db, acting_identity(args, db), args.id)
    lines = [_line(args, detail.grant), *_terms_lines(args, detail.grant),
             say(args, "sharing_history"), *(_event_line(args, e) for e in detail.events)]
    emit(args, {"grant": _grant_json(args, detail.grant),
                "events": [_event_json(args, e) for e in detail.events]}, "\n".join(lines))
    return EXIT_OK




def _resource_argument(p: argparse.ArgumentParser, tr: Tr) -> None:
    p.add_argument("resource", metavar="CODE", help=tr("数据资源的代码", "the resource's code"))


def _terms_options(p: argparse.ArgumentParser, tr: Tr) -> None:
    """The terms a request or an offer names: dates, items, method, purpose, basis."""
    _resource_argument(p, tr)
    p.add_argument("--until", metavar="DATE", help=tr(
        "有效期的最后一天（YYYY-MM-DD）", "last day of the grant (YYYY-MM-DD)"))
    p.add_argument("--days", type=int, metavar="N", help=tr(
        "或：有效期的天数（含第一天）", "or: how many days it runs (the first one included)"))
    p.add_argument("--from", dest="valid_from", metavar="DATE", help=tr(
        "有效期的第一天（默认今天）", "first day (default: today)"))
    p.add_argument("--items", metavar="A,B", help=tr(
        "信息项（名称或序号，以逗号分隔）；默认全部", "data items (names or numbers); default: all"))
    p.add_argument("--method", type=term_type(vocab.SHARING_METHOD, tr), default="platform",
                   metavar="METHOD",
                   help=tr("共享方式：", "sharing method: ") + term_choices(vocab.SHARING_METHOD, tr)
                   + tr("（默认 platform）", " (default: platform)"))
    p.add_argument("--purpose", type=term_type(vocab.SHARING_PURPOSE, tr), required=True,
                   metavar="PURPOSE",
                   help=tr("共享用途：", "purpose: ") + term_choices(vocab.SHARING_PURPOSE, tr))
    p.add_argument("--purpose-text", metavar="TEXT", help=tr(
        "用文字说明数据的用途", "what the data is for, in words"))
    p.add_argument("--basis", metavar="TEXT", help=tr("法律或政策依据", "the legal or policy basis"))
    _accept_option(p, tr)


def _accept_option(p: argparse.ArgumentParser, tr: Tr) -> None:
    p.add_argument("--accept-conditions", action="store_true", help=tr(
        "接受资源的共享条件（有条件共享的资源必须接受）",
        "accept the resource's sharing conditions (needed for a resource shared on "
        "conditions)"))


def _grant_argument(p: argparse.ArgumentParser, tr: Tr) -> None:
    p.add_argument("id", type=int, help=tr("共享授权的编号", "the grant's number"))


def _add_asking(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """``request``, ``offer`` and ``renew``."""
    req = s.add_parser("request", parents=[common], help=tr(
        "为本单位申请共享某个数据资源（数据管理员）",
        "ask for a resource for your organisation (data administrator)"))
    _terms_options(req, tr)
    req.set_defaults(func=cmd_request)
    off = s.add_parser("offer", parents=[common], help=tr(
        "向某单位或某范围内的单位提供本区划的数据资源",
        "offer a resource of your region to an organisation or a scope"))
    _terms_options(off, tr)
    off.add_argument("--to", metavar="ORG", help=tr("被授权单位的代码", "the organisation's code"))
    off.add_argument("--scope", metavar="PREFIX[:KIND[:LEVEL]]", help=tr(
        "某范围内的所有单位：区划前缀[:单位类型[:区划层级]]，如 3301:federation:3（杭州市各区县残联）",
        "every organisation in a scope, e.g. 3301:federation:3 (the county federations under "
        "Hangzhou)"))
    off.set_defaults(func=cmd_offer)
    ren = s.add_parser("renew", parents=[common], help=tr(
        "申请将已批准、未到期的授权延续到新的结束日（需重新审批）",
        "ask for an approved grant to run on (approved again)"))
    _grant_argument(ren, tr)
    ren.add_argument("--until", metavar="DATE", required=True, help=tr(
        "续期后的最后一天（YYYY-MM-DD）", "the new last day (YYYY-MM-DD)"))
    _accept_option(ren, tr)
    ren.set_defaults(func=cmd_renew)


def _add_steps(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """``approve``, ``reject``, ``revoke`` and ``release``."""
    for step, zh, en, needs in (
            ("approve", "批准待审批的授权（提供方安全管理员，非申请人）",
             "approve a pending grant (the providing side's security administrator, not its "
             "requester)", False),
            ("reject", "驳回待审批的授权（须说明理由）", "reject a pending grant (with a reason)",
             True),
            ("revoke", "撤销已批准的授权，立即停止共享（须说明理由）",
             "revoke an approved grant: sharing stops at once (with a reason)", True),
            ("release", "本单位提前释放已获得的授权（被授权单位的数据管理员）",
             "give back a grant before it ends (a data administrator of the grantee)", False)):
        p = s.add_parser(step, parents=[common], help=tr(zh, en))
        _grant_argument(p, tr)
        if step == "approve":
            p.add_argument("--note", metavar="TEXT", help=tr("审批意见", "a note on the approval"))
            p.add_argument("--seen-version", type=int, metavar="N", help=tr(
                "您看过的授权版本（sharing show --json 的 version）：授权此后有变化则不批准",
                "the grant's version you looked at (version in sharing show --json): not "
                "approved if it changed since"))
        else:
            p.add_argument("--reason", metavar="TEXT", required=needs, help=tr(
                "理由（记入授权历史和审计日志）", "why (kept in the grant's history and the audit trail)"))
        p.set_defaults(func=cmd_step, step=step)


def _add_reading(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """``list``, ``show``, ``alerts`` and ``expire-due``."""
    ls = s.add_parser("list", parents=[common], help=tr("列出您可以查看的共享授权",
                                                        "the grants you may see"))
    ls.add_argument("--state", type=term_type(vocab.GRANT_STATE, tr), metavar="STATE", help=tr(
        "只列此状态的：", "only those in this state: ") + term_choices(vocab.GRANT_STATE, tr))
    ls.add_argument("--resource", metavar="CODE", help=tr(
        "只列代码为此（或以此开头，如 101/）的数据资源的",
        "only those of the resource with this code (or code beginning, e.g. 101/)"))
    ls.add_argument("--to-decide", action="store_true", help=tr(
        "只列待您审批的", "pending grants you may decide"))
    ls.add_argument("--mine", action="store_true", help=tr(
        "只列您和本单位申请的", "your requests and your organisation's"))
    ls.add_argument("--limit", type=int, default=500, metavar="N", help=tr(
        "最多列出多少个（默认 500）", "at most this many (default: 500)"))
    ls.set_defaults(func=cmd_list)
    show = s.add_parser("show", parents=[common], help=tr(
        "显示一个授权的条款和历史", "one grant, its terms and its history"))
    _grant_argument(show, tr)
    show.set_defaults(func=cmd_show)
    add_parsers(s, common, tr)  # alerts and expire-due


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk sharing …`` to the main parser's sub-commands, with help in ``tr``'s
    language."""
    top = sub.add_parser("sharing", parents=[common], help=tr(
        "数据共享授权：申请、提供、审批、撤销、续期", "sharing grants: request, offer, decide, end, "
        "renew"))
    s = top.add_subparsers(dest="sharing_command", metavar=tr("操作", "ACTION"), required=True)
    _add_asking(s, common, tr)
    _add_steps(s, common, tr)
    _add_reading(s, common, tr)
    from govdesk.cli import sharing_matrix

    sharing_matrix.register(s, common, tr)
