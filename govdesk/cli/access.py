"""``govdesk access …``: the access-log review workbench, headless (``list``, ``review``,
``export``). Security administrators and auditors read and export; security administrators
review. Filters are the workbench's (time, user, organisation, resource, grade, action, result,
client host, not reviewed); times are local (``--since 2026-12-01``; ``--until`` a date
includes that day). ``list`` prints one event a line, newest first, and with ``--json`` the
codes beside their labels and ``next``: the key to pass as ``--after`` for the next page.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from govdesk import vocab
from govdesk.cli import access_archive, access_import
from govdesk.cli import access_messages as access_messages  # registers the output lines
from govdesk.cli.common import (
    EXIT_OK,
    Tr,
    acting_identity,
    emit,
    lang_of,
    open_db,
    pad,
    parse_time,
    say,
    term_choices,
    term_type,
)
from govdesk.errors import InputRejected, UsageError


def _filter(args: argparse.Namespace, db: Any, who: Any) -> Any:
    from govdesk.monitoring.dto import AccessFilter
    from govdesk.monitoring.workbench import access_choices

    org = grade = None
    if args.org or args.grade:
        choices = access_choices(db, who)
        if args.org:
            org = next((c.id for c in choices.organisations if args.org in (c.code, c.name)),
                       None)
            if org is None:
                raise InputRejected("access_cli_unknown_org", org=args.org)
        if args.grade:
            grade = next((c.id for c in choices.grades if c.name == args.grade), None)
            if grade is None:
                raise InputRejected("access_cli_unknown_grade", grade=args.grade,
                                 grades="、".join(c.name for c in choices.grades))
    result = {"success": True, "denied": False}.get(args.result or "")
    return AccessFilter(since=parse_time(args.since), until=parse_time(args.until, end=True),
                        username=args.username, organisation_id=org, resource_code=args.resource,
                        grade_id=grade, action=args.action, success=result,
                        client_host=args.host, unreviewed=args.unreviewed)


def _after(text: str | None) -> Any:
    """``--after ID@TIME`` (as ``next`` gave it) as a page key."""
    from govdesk.db.keyset import Key

    if not text:
        return None
    number, _, when = text.partition("@")
    if not number.isdigit() or not when:
        raise UsageError("access_cli_bad_after", value=text)
    return Key(when if "T" not in when else dt.datetime.fromisoformat(when), int(number))


def _key_text(key: Any) -> str | None:
    if key is None:
        return None
    value = key.value.isoformat() if isinstance(key.value, dt.datetime) else key.value
    return f"{key.tie}@{value}"


def _line(args: argparse.Namespace, r: Any) -> str:
    from govdesk.security.audit_labels import local_time

    lang = lang_of(args)
    review = (say(args, "access_cli_reviewed", by=r.review.reviewed_by,
                  at=local_time(r.review.reviewed_at)) if r.review else
              say(args, "access_cli_not_reviewed"))
    return say(args, "access_cli_line", id=pad(r.id, 9), ts=local_time(r.ts),
               user=pad(r.username, 12), org=pad(r.organisation_name or "-", 24),
               resource=pad(r.resource_code or "-", 12),
               action=pad(vocab.ACCESS_ACTION.label(r.action, lang), 8),
               result=say(args, "access_cli_ok" if r.success else "access_cli_denied"),
               host=pad(r.client_host or "-", 14), review=review)


def _row_json(args: argparse.Namespace, r: Any) -> dict[str, Any]:
    from dataclasses import asdict

    from govdesk.security.roles import role_label

    out: dict[str, Any] = dict(r._asdict())
    out["review"] = asdict(r.review) if r.review else None
    out.update(action_label=vocab.ACCESS_ACTION.label(r.action, lang_of(args)),
               role_label=role_label(r.role_code, lang_of(args)))
    return out


def cmd_list(args: argparse.Namespace) -> int:
    from govdesk.db.keyset import Seek
    from govdesk.monitoring.workbench import count_access, page_access

    db = open_db(args)
    who = acting_identity(args, db)
    f = _filter(args, db, who)
    page = page_access(db, who, f, Seek(after=_after(args.after), limit=max(1, args.limit)))
    n = count_access(db, who, f)
    total = say(args, "access_cli_total" if n.exact else "access_cli_about", n=f"{n.value:,}")
    more = len(page.rows) == args.limit
    emit(args, {"ok": True, "count": n.value, "count_exact": n.exact,
                "events": [_row_json(args, r) for r in page.rows],
                "next": _key_text(page.last_key) if more else None},
         "\n".join([*(_line(args, r) for r in page.rows), total]))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from govdesk.db.keyset import Seek
    from govdesk.monitoring.dto import AccessFilter
    from govdesk.monitoring.reviews import review_events, review_period
    from govdesk.monitoring.workbench import page_access

    db = open_db(args)
    who = acting_identity(args, db)
    if args.event:
        ids = tuple(sorted(set(args.event)))
        found = page_access(db, who, AccessFilter(ids=ids), Seek(limit=len(ids))).rows
        missing = set(ids) - {r.id for r in found}
        keys = [r.key for r in found] + [_missing(m) for m in sorted(missing)]
        done = review_events(db, who, keys, args.comment)
        text = say(args, "access_cli_reviewed_events", n=done.events, id=done.review_id)
    else:
        if not (args.org and args.since and args.until):
            raise UsageError("access_cli_review_what")
        f = _filter(args, db, who)
        assert f.organisation_id is not None and f.since and f.until
        done = review_period(db, who, f.organisation_id, f.since, f.until, args.comment)
        text = say(args, "access_cli_reviewed_period", org=args.org, id=done.review_id)
    emit(args, {"ok": True, "review_id": done.review_id, "kind": done.kind,
                "events": done.events, "reviewed_by": done.reviewed_by,
                "reviewed_at": done.reviewed_at.isoformat()}, text)
    return EXIT_OK


def _missing(event_id: int) -> Any:
    """A key for an id the log does not hold: the review refuses it by its number."""
    from govdesk.monitoring.dto import EventKey

    return EventKey(event_id, dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))


def cmd_export(args: argparse.Namespace) -> int:
    from govdesk.cli.common import progress_bar
    from govdesk.monitoring.export import export_access

    db = open_db(args)
    who = acting_identity(args, db)
    out = Path(args.out)
    with progress_bar(args, say(args, "access_cli_exporting")) as progress:
        n = export_access(db, who, _filter(args, db, who), out, lang_of(args), progress)
    emit(args, {"ok": True, "rows": n, "file": str(out)},
         say(args, "access_cli_exported", n=f"{n:,}", file=str(out)))
    return EXIT_OK


def _filters(p: argparse.ArgumentParser, tr: Tr) -> None:
    p.add_argument("--since", metavar="TIME", help=tr(
        "从此时起（本机时间，YYYY-MM-DD 或 YYYY-MM-DDTHH:MM）", "from this local time on"))
    p.add_argument("--until", metavar="TIME", help=tr(
        "到此时为止（只写日期时含当天）", "up to this local time (a date includes that day)"))
    p.add_argument("--username", metavar="NAME", help=tr("只列此用户的", "only this user's"))
    p.add_argument("--org", metavar="CODE", help=tr(
        "只列此单位的（单位代码或名称）", "only this organisation's (its code or name)"))
    p.add_argument("--resource", metavar="CODE", help=tr(
        "只列此数据资源的（资源代码）", "only this resource's (its code)"))
    p.add_argument("--grade", metavar="NAME", help=tr(
        "只列此分级的数据资源的（分级名称，如 重要数据）",
        "only resources of this grade (its name, e.g. 重要数据)"))
    p.add_argument("--action", type=term_type(vocab.ACCESS_ACTION, tr), metavar="ACTION",
                   help=tr("只列此操作：", "only this action: ") +
                   term_choices(vocab.ACCESS_ACTION, tr))
    p.add_argument("--result", choices=("success", "denied"), help=tr(
        "只列成功的（success）或被拒绝的（denied）", "only successful or denied accesses"))
    p.add_argument("--host", metavar="HOST", help=tr(
        "只列此客户端的（以 . 结尾时为前缀，如 10.33.1.）",
        "only this client host (ending in '.': a prefix, e.g. 10.33.1.)"))
    p.add_argument("--unreviewed", action="store_true", help=tr(
        "只列尚未审查的", "only events no review covers"))


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk access …`` to the main parser's sub-commands."""
    top = sub.add_parser("access", parents=[common], help=tr(
        "数据访问记录：查询、审查、导出", "the data access log: list, review, export"))
    s = top.add_subparsers(dest="access_command", metavar=tr("操作", "ACTION"), required=True)
    ls = s.add_parser("list", parents=[common], help=tr(
        "按条件列出访问记录（最新的在前）", "access events matching the filters, newest first"))
    _filters(ls, tr)
    ls.add_argument("--limit", type=int, default=50, metavar="N", help=tr(
        "每页多少条（默认 50）", "events per page (default: 50)"))
    ls.add_argument("--after", metavar="KEY", help=tr(
        "从上一页 JSON 输出的 next 之后继续", "continue after the previous page's next (JSON)"))
    ls.set_defaults(func=cmd_list)
    rv = s.add_parser("review", parents=[common], help=tr(
        "将访问记录标记为已审查（安全管理员）：--event 编号，或 --org、--since、--until 指定单位和时段",
        "mark events reviewed (security administrators): --event ID, or an organisation's "
        "period with --org, --since and --until"))
    rv.add_argument("--event", type=int, action="append", metavar="ID", help=tr(
        "访问记录编号（可重复）", "an access event's number (repeatable)"))
    rv.add_argument("--org", metavar="CODE", help=tr("单位代码或名称", "organisation code or name"))
    rv.add_argument("--since", metavar="TIME", help=tr("时段开始（本机时间）", "period start"))
    rv.add_argument("--until", metavar="TIME", help=tr("时段结束（只写日期时含当天）", "period end"))
    rv.add_argument("--comment", required=True, metavar="TEXT", help=tr(
        "审查意见（必填，至少 4 个文字或数字；记入审计日志）",
        "the review's comment (required, 4 letters or digits at least; audited)"))
    rv.set_defaults(func=cmd_review, username=None, resource=None, grade=None, action=None,
                    result=None, host=None, unreviewed=False)
    ex = s.add_parser("export", parents=[common], help=tr(
        "将符合条件的访问记录导出为 Excel（.xlsx）", "export the matching events to Excel (.xlsx)"))
    ex.add_argument("out", metavar="FILE.xlsx", help=tr("输出文件", "output file"))
    _filters(ex, tr)
    ex.set_defaults(func=cmd_export)
    access_archive.add_parsers(s, common, tr)
    access_import.add_parsers(s, common, tr)
