"""``govdesk`` without a command (the desktop application) and ``govdesk selftest``."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import EXIT_INPUT, EXIT_OK, Tr, emit, say


def cmd_selftest(args: argparse.Namespace) -> int:
    from govdesk.ui.selftest import run_selftest

    result = run_selftest(args.url, args.screenshots, lang=args.lang)
    lines = []
    for v in result.views:
        line = say(args, "selftest_ok" if v.ok else "selftest_failed", view=v.name)
        if v.error:
            line += f": {v.error}"
        if v.screenshot:
            line += f" -> {v.screenshot}"
        lines.append(line)
    emit(args, {"ok": result.ok, "views": [v.__dict__ for v in result.views]}, "\n".join(lines))
    return EXIT_OK if result.ok else EXIT_INPUT


def cmd_gui(args: argparse.Namespace) -> int:
    from govdesk.ui.app import run_gui

    return run_gui(args.url, lang=args.lang)


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk selftest``; the desktop application is the main parser's default."""
    st = sub.add_parser("selftest", parents=[common], help=tr(
        "在后台逐一打开每个视图；全部无错误打开时退出码为 0",
        "open every view offscreen; exit 0 when all opened without error"))
    st.add_argument("--screenshots", metavar="DIR",
                    help=tr("每个视图写一张 PNG 到 DIR", "write one PNG per view into DIR"))
    st.set_defaults(func=cmd_selftest)
