"""``govdesk grades …`` and ``govdesk classify …``: grade schemes and grade suggestions, headless."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from govdesk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    acting_identity,
    emit,
    lang_of,
    open_db,
    progress_bar,
)
from govdesk.errors import UsageError
from govdesk.files import output_file


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs or []:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise UsageError("bad_map", pair=pair)
        mapping[old.strip()] = new.strip()
    return mapping


def cmd_grades_list(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.schemes import list_schemes

    db = open_db(args)
    schemes = list_schemes(db, acting_identity(args, db))
    lines = []
    for info in schemes:
        lines.append(f"{'* ' if info.is_active else '  '}{info.spec.code}  {info.spec.name}")
        for g in info.spec.grades:
            r = g.rules
            lines.append(f"      {g.code:<10} {g.name:<12} rank {g.rank:<4} "
                         f"mask={'yes' if r.masking_required else 'no'} "
                         f"export={'yes' if r.export_allowed else 'no'} DR≥{r.min_dr_level} "
                         f"detectors: {' '.join(g.detectors) or '-'}")
    emit(args, {"schemes": [{"code": i.spec.code, "name": i.spec.name,
                                  "active": i.is_active,
                                  "grades": [{"code": g.code, "name": g.name, "rank": g.rank,
                                              **g.rules.__dict__,
                                              "detectors": list(g.detectors)}
                                             for g in i.spec.grades]} for i in schemes]},
              "\n".join(lines))
    return EXIT_OK


def cmd_grades_export(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.schemes import active_scheme, scheme_to_yaml

    db = open_db(args)
    spec = active_scheme(db, acting_identity(args, db))
    out = Path(args.file)
    output_file(out, (".yaml", ".yml"))
    out.write_text(scheme_to_yaml(spec), encoding="utf-8")
    emit(args, {"ok": True, "file": str(out), "scheme": spec.code},
              f"Wrote the active scheme {spec.code} to {out}.")
    return EXIT_OK


def cmd_grades_apply(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.schemes import apply_scheme, plan_scheme, read_scheme_file

    lang = lang_of(args)
    db = open_db(args)
    who = acting_identity(args, db)
    spec = read_scheme_file(args.file)
    mapping = _mapping(args.map)
    plan = plan_scheme(db, who, spec, mapping)
    applied = False
    if not plan.problems and not args.dry_run:  # loosenings unconfirmed: refused, listed
        plan = apply_scheme(db, who, spec, mapping, confirm_loosening=args.confirm_loosening)
        applied = True
    payload = {
        "ok": not plan.problems, "applied": applied, "scheme": plan.scheme_code,
        "activates": plan.activates, "affected_resources": plan.affected_resources,
        "changes": [{"from": c.old_code, "to": c.new_code, "resources": c.resources,
                     "items": c.items, "rule_changes": [
                         {"rule": rule, "old": old, "new": new}
                         for rule, old, new in c.rule_changes]} for c in plan.changes],
        "added": list(plan.added),
        "sample": [r.__dict__ for r in plan.sample],
        "problems": [{"where": w, "message": p.text(lang)} for w, p in plan.problems],
        "loosenings": [{"from": lo.old_code, "to": lo.new_code, "rule": lo.rule,
                        "message": lo.problem().text(lang)} for lo in plan.loosenings],
    }
    lines = [f"{'Activate' if plan.activates else 'Update'} {plan.scheme_code}:"]
    for c in plan.changes:
        rules = ", ".join(f"{r}: {o} → {n}" for r, o, n in c.rule_changes) or "same rules"
        lines.append(f"  {c.old_code} → {c.new_code or '(removed)'}: {c.resources} resources, "
                     f"{c.items} items; {rules}")
    lines.append(f"{plan.affected_resources} resources change handling.")
    lines += [f"  {w}: {p.text(lang)}" for w, p in plan.problems]
    lines += [f"  {lo.problem().text(lang)}" for lo in plan.loosenings]
    lines.append("Applied." if applied else ("Nothing applied (dry run)." if not plan.problems
                                             else "Nothing applied."))
    emit(args, payload, "\n".join(lines))
    return EXIT_OK if not plan.problems else EXIT_INPUT


def cmd_classify_suggest(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.suggestions import queue_suggestions, suggest

    db = open_db(args)
    who = acting_identity(args, db)
    if args.queue and not args.resource:
        raise UsageError("queue_needs_resource")
    with progress_bar(args, f"profile {Path(args.file).name}") as progress:
        if args.queue:
            report = queue_suggestions(db, who, args.file, args.resource, progress=progress)
        else:
            report = suggest(db, who, args.file, resource_code=args.resource, progress=progress)
    lines = [f"{report.path}: {report.rows} rows, scheme {report.scheme}"]
    for c in report.columns:
        grade = c.suggested_grade.name if c.suggested_grade else "-"
        lines.append(f"  {c.name:<16} {c.detector or '-':<20} {c.confidence:>5.2f}  {grade:<10} "
                     f"null {c.null_rate:.0%}  distinct {c.distinct}  "
                     f"e.g. {', '.join(c.examples[:2])}")
    if report.quality_score is not None:
        lines.append(f"Quality score {report.quality_score:.2f} (identifiers "
                     f"{report.identifier_validity if report.identifier_validity is not None else '-'}"
                     f", metadata {report.metadata_completeness})")
    if args.queue:
        lines.append(f"{report.queued} suggestion(s) queued for review.")
    emit(args, report.as_dict(), "\n".join(lines))
    return EXIT_OK


def cmd_classify_queue(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.suggestions import list_suggestions

    db = open_db(args)
    rows = list_suggestions(db, acting_identity(args, db), status=args.status)
    lines = [f"#{p.id:<6} {p.resource_code:<14} {p.column_name:<14} {p.detector:<18} "
             f"{p.confidence:.2f} → {p.grade_name} (item: {p.item_grade or '-'})" for p in rows]
    emit(args, {"suggestions": [p.__dict__ for p in rows]},
              "\n".join(lines) or "The review queue is empty.")
    return EXIT_OK


def cmd_classify_decide(args: argparse.Namespace) -> int:
    from govdesk.catalog.classification.suggestions import decide

    db = open_db(args)
    status = decide(db, acting_identity(args, db), args.id, args.decision == "accept")
    emit(args, {"ok": True, "id": args.id, "status": status},
              f"Suggestion {args.id} {status}.")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk classify …`` to the main parser's sub-commands."""
    grades = sub.add_parser("grades", parents=[common], help="grade schemes")
    g_sub = grades.add_subparsers(dest="grades_command", metavar="ACTION", required=True)
    g_sub.add_parser("list", parents=[common], help="stored schemes and their grades") \
        .set_defaults(func=cmd_grades_list)
    gexp = g_sub.add_parser("export", parents=[common],
                            help="write the active scheme as YAML (a template to edit)")
    gexp.add_argument("file")
    gexp.set_defaults(func=cmd_grades_export)
    gapp = g_sub.add_parser("apply", parents=[common],
                            help="make a scheme file (.yaml or .xlsx) active, or update the "
                                 "active one; shows what changes handling first")
    gapp.add_argument("file")
    gapp.add_argument("--map", action="append", metavar="OLD=NEW",
                      help="where a grade in use goes (repeatable; adds to the file's mapping)")
    gapp.add_argument("--dry-run", action="store_true", help="show the plan; change nothing")
    gapp.add_argument("--confirm-loosening", action="store_true",
                      help="apply even though the scheme weakens handling rules (the plan lists "
                           "them; without this option such a scheme is refused)")
    gapp.set_defaults(func=cmd_grades_apply)

    cls = sub.add_parser("classify", parents=[common], help="grade suggestions from sample files")
    c_sub = cls.add_subparsers(dest="classify_command", metavar="ACTION", required=True)
    sug = c_sub.add_parser("suggest", parents=[common],
                           help="profile a CSV or Excel sample: per column what it holds and "
                                "the grade it suggests")
    sug.add_argument("file")
    sug.add_argument("--resource", metavar="CODE",
                     help="match columns to this resource's data items; score its quality")
    sug.add_argument("--queue", action="store_true",
                     help="store the profile and queue the suggestions for review")
    sug.set_defaults(func=cmd_classify_suggest)
    q = c_sub.add_parser("queue", parents=[common], help="list suggestions")
    q.add_argument("--status", choices=("pending", "accepted", "rejected"), default="pending")
    q.set_defaults(func=cmd_classify_queue)
    dec = c_sub.add_parser("decide", parents=[common], help="accept or reject a suggestion")
    dec.add_argument("id", type=int)
    dec.add_argument("decision", choices=("accept", "reject"))
    dec.set_defaults(func=cmd_classify_decide)
