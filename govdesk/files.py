"""Files the user names: checked before any work starts, so that a typo in a folder name is a
message saying which folder, not a traceback after a long export."""

from __future__ import annotations

import os
from pathlib import Path

from govdesk.errors import InputRejected


def output_file(path: Path, suffixes: tuple[str, ...] | None = None) -> Path:
    """``path`` when a file may be written there: its folder exists and is writable, it is not
    a folder itself, and (when ``suffixes`` is given) it has one of them.

    Raises InputRejected naming what is wrong; writes nothing.
    """
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise InputRejected(f"{path.name}: write to a {' or '.join(suffixes)} file, not "
                            f"{path.suffix or 'a file without type'}.")
    if path.is_dir():
        raise InputRejected(f"{path} is a folder: give a file name in it.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputRejected(f"The folder {folder} does not exist: create it first or choose "
                            "another.")
    if not os.access(folder, os.W_OK):
        raise InputRejected(f"The folder {folder} cannot be written to with your account.")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputRejected(f"{path} exists and cannot be overwritten with your account.")
    return path
