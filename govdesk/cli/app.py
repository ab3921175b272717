"""``govdesk`` without a command (the desktop application) and ``govdesk selftest``."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli.common import EXIT_INPUT, EXIT_OK, emit


def cmd_selftest(args: argparse.Namespace) -> int:
    from govdesk.ui.selftest import run_selftest

    result = run_selftest(args.url, args.screenshots, lang=args.lang)
    emit(args, {"ok": result.ok, "views": [v.__dict__ for v in result.views]},
          "\n".join(f"{'ok  ' if v.ok else 'FAIL'} {v.name}{': ' + v.error if v.error else ''}"
                    + (f" -> {v.screenshot}" if v.screenshot else "") for v in result.views))
    return EXIT_OK if result.ok else EXIT_INPUT


def cmd_gui(args: argparse.Namespace) -> int:
    from govdesk.ui.app import run_gui

    return run_gui(args.url, lang=args.lang)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``govdesk selftest``; the desktop application is the main parser's default."""
    st = sub.add_parser("selftest", parents=[common],
                        help="open every view offscreen; exit 0 when all opened without error")
    st.add_argument("--screenshots", metavar="DIR", help="write one PNG per view into DIR")
    st.set_defaults(func=cmd_selftest)
