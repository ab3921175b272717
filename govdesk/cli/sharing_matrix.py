"""``govdesk sharing matrix``: the effective-access matrix, headless.

Without ``--explain`` a page of resources (``--limit``, ``--after``) with, per resource, how
many organisations may read it and each cell that is not "own region" or the resource's plain
denial; with ``--org`` alone, one line per resource for that organisation (what it can read).
``--explain`` (with ``--org`` and ``--resource``) gives every reason of one cell, down to the
data items. ``--out FILE`` writes the whole matrix for the filters (``.xlsx`` or ``.json``, the
exchange schema of :mod:`govdesk.sharing.matrix_export`). ``--json`` prints the page (or the
explanation) in that schema.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk import vocab
from govdesk.cli.common import EXIT_OK, Tr, acting_identity, emit, lang_of, open_db, say
from govdesk.cli.sharing_alerts import scope_words
from govdesk.errors import UsageError
from govdesk.sharing.access_dto import rule_detail


def _filter(args: argparse.Namespace) -> Any:
    from govdesk.sharing.access_dto import MatrixFilter

    return MatrixFilter(region=args.region, grade=args.grade, category=args.category,
                        resource_code=args.resource, org_code=args.org,
                        org_region=args.org_region, org_kind=args.org_kind)


def _dates(args: argparse.Namespace, cell: Any) -> str:
    if cell.until is not None:
        return say(args, "matrix_until", date=cell.until.isoformat())
    if cell.since is not None:
        return say(args, "matrix_since", date=cell.since.isoformat())
    if cell.ended is not None:
        return say(args, "matrix_ended", date=cell.ended.isoformat())
    return ""


def _verdict(args: argparse.Namespace, cell: Any) -> str:
    text = vocab.ACCESS_VERDICT.label(cell.verdict, lang_of(args))
    if cell.verdict == "partial":
        text += say(args, "matrix_partial_items", readable=cell.items_readable,
                    total=cell.items_total)
    return text


def _page_lines(args: argparse.Namespace, m: Any) -> list[str]:
    from govdesk.sharing.matrix_export import listed

    lang = lang_of(args)
    lines = []
    for row in m.rows:
        r = row.resource
        if len(m.orgs) == 1:
            c = row.cells[0]
            lines.append(say(args, "matrix_one", code=r.code, name=r.name,
                             verdict=_verdict(args, c), until=_dates(args, c),
                             reason=vocab.ACCESS_REASON.label(c.reason, lang)))
            continue
        count = {v: sum(1 for c in row.cells if c.verdict == v)
                 for v in ("allowed", "partial", "denied")}
        lines.append(say(args, "matrix_row", code=r.code, name=r.name, **count))
        lines += [say(args, "matrix_cell", org=o.name, code=o.code, verdict=_verdict(args, c),
                      reason=vocab.ACCESS_REASON.label(c.reason, lang), until=_dates(args, c))
                  for o, c in zip(m.orgs, row.cells) if listed(c) and c.reason != "own_region"]
    if not m.rows:
        lines.append(say(args, "matrix_empty"))
        if not args.org:  # the default lists the caller's region's resources only
            lines.append(say(args, "matrix_empty_hint"))
    if m.next_after:
        lines.append(say(args, "matrix_next", code=m.next_after))
    return lines


def _scope_text(args: argparse.Namespace, g: Any) -> str:
    if g.scope is None:
        return say(args, "matrix_named", name=g.grantee_name or "-")
    return say(args, "matrix_by_scope", scope=scope_words(args, g.scope, g.scope_region_name))


def _explain_lines(args: argparse.Namespace, e: Any) -> list[str]:
    lang = lang_of(args)
    label = vocab.ACCESS_REASON.label
    lines = [say(args, "matrix_explain_head", org=e.org.name, org_code=e.org.code,
                 code=e.resource.code, name=e.resource.name, verdict=_verdict(args, e.cell),
                 reason=label(e.cell.reason, lang))]
    lines += [say(args, "matrix_explain_rule", label=label(r.code, lang),
                  detail=f" {rule_detail(r, lang)}" if r.detail else "")
              for r in e.rules]
    for g in e.grants:
        lines.append(say(args, "matrix_explain_grant", id=g.id, how=_scope_text(args, g),
                         state=vocab.GRANT_STATE.label(g.state, lang),
                         start=g.valid_from or "-", until=g.valid_until or "-",
                         ended=say(args, "matrix_ended", date=g.ended.isoformat())
                         if g.ended else "",
                         reason=(say(args, "matrix_grant_reason", text=g.reason)
                                 if g.reason else "")
                         + (say(args, "matrix_grant_blocked", label=label(g.blocked, lang))
                            if g.blocked else "")))
    if not e.grants:
        lines.append(say(args, "matrix_no_grant"))
    for i in e.items:
        grants = (say(args, "matrix_item_grants", ids="、".join(map(str, i.grant_ids)))
                  if i.grant_ids else "")
        lines.append(say(args, "matrix_explain_item", seq=i.seq, name=i.name,
                         grade=i.grade_name or "-",
                         verdict=vocab.ACCESS_VERDICT.label(i.verdict, lang),
                         reason=label(i.reason, lang), grants=grants))
    return lines


def cmd_matrix(args: argparse.Namespace) -> int:
    from govdesk.sharing import matrix
    from govdesk.sharing.access_dto import MatrixPage
    from govdesk.sharing.matrix_export import explanation_json, export_matrix, matrix_json

    lang = lang_of(args)
    if args.explain and not (args.org and args.resource):
        raise UsageError("matrix_explain_needs")
    db = open_db(args)
    who = acting_identity(args, db)
    if args.explain:
        e = matrix.explain_cell(db, who, args.org, args.resource)
        emit(args, explanation_json(e, lang), "\n".join(_explain_lines(args, e)))
        return EXIT_OK
    if args.out:
        n = export_matrix(db, who, _filter(args), Path(args.out), lang)
        emit(args, {"ok": True, "resources": n, "path": args.out},
             say(args, "matrix_exported", n=n, path=args.out))
        return EXIT_OK
    m = matrix.access_matrix(db, who, _filter(args), MatrixPage(args.after, args.limit))
    emit(args, matrix_json(m, lang), "\n".join(_page_lines(args, m)))
    return EXIT_OK


def register(s: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``matrix`` to ``govdesk sharing``'s sub-commands."""
    p = s.add_parser("matrix", parents=[common], help=tr(
        "共享访问矩阵：各单位能否读取各资源及其原因（数据管理员、安全管理员）",
        "the effective-access matrix: which organisation may read which resource, and why "
        "(data and security administrators)"))
    p.add_argument("--org", metavar="CODE", help=tr(
        "只看此单位（本单位时也列出其他区划授权给本单位的资源）",
        "this organisation only (your own: also what other regions grant it)"))
    p.add_argument("--resource", metavar="CODE", help=tr(
        "资源代码（前缀）", "resource code (a prefix)"))
    p.add_argument("--region", metavar="PREFIX", help=tr(
        "资源所在区划的代码前缀，如 3301", "region-code prefix of the resources, e.g. 3301"))
    p.add_argument("--grade", metavar="CODE", help=tr("资源分级代码", "the resources' grade code"))
    p.add_argument("--category", metavar="CODE", help=tr(
        "资源分类代码（含下级分类）", "category code (its sub-categories included)"))
    p.add_argument("--org-region", metavar="PREFIX", help=tr(
        "单位所在区划的代码前缀", "region-code prefix of the organisations"))
    p.add_argument("--org-kind", choices=vocab.ORG_KIND.codes, help=tr(
        "单位类型", "kind of organisation"))
    p.add_argument("--explain", action="store_true", help=tr(
        "说明一个单元格的全部原因（需 --org 和 --resource）",
        "every reason of one cell (needs --org and --resource)"))
    p.add_argument("--out", metavar="FILE", help=tr(
        "将整个矩阵导出为 .xlsx 或 .json 文件", "export the whole matrix to a .xlsx or .json file"))
    p.add_argument("--after", metavar="CODE", help=tr(
        "从此资源代码之后开始（翻页）", "start after this resource code (paging)"))
    p.add_argument("--limit", type=int, default=50, metavar="N", help=tr(
        "每页最多多少个资源（默认 50）", "resources a page (default: 50)"))
    p.set_defaults(func=cmd_matrix)
