"""``govdesk access …``: access events (issue 15). Each sub-command lives in its own module
(``access_import`` here; list/review/export come with the review workbench) and is added by
its ``add_parsers``."""

from __future__ import annotations

import argparse
from typing import Any

from govdesk.cli import access_import
from govdesk.cli.common import Tr


def register(sub: Any, common: argparse.ArgumentParser, tr: Tr) -> None:
    """Add ``govdesk access …`` to the main parser's sub-commands."""
    access = sub.add_parser("access", parents=[common], help=tr("数据访问记录",
                                                                "data access events"))
    s = access.add_subparsers(dest="access_command", metavar=tr("操作", "ACTION"), required=True)
    access_import.add_parsers(s, common, tr)
