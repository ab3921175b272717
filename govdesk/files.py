"""Files the user names: checked before any work starts, so that a typo in a folder name is a
message saying which folder, not a traceback after a long export."""

from __future__ import annotations

import os
from pathlib import Path

from govdesk.errors import InputRejected
from govdesk.messages import NO_SUFFIX, define

define({
    "output_type": ("{name}：请写入 {allowed} 文件，而不是{suffix}。",
                    "{name}: write to a {allowed} file, not {suffix}."),
    "output_is_folder": ("{path} 是文件夹：请在其中给出文件名。",
                         "{path} is a folder: give a file name in it."),
    "output_no_folder": ("文件夹 {folder} 不存在：请先创建，或另选文件夹。",
                         "The folder {folder} does not exist: create it first or choose another."),
    "output_folder_readonly": ("您的账号无法写入文件夹 {folder}。",
                               "The folder {folder} cannot be written to with your account."),
    "output_readonly": ("{path} 已存在，您的账号无法覆盖它。",
                        "{path} exists and cannot be overwritten with your account."),
}, __name__)


def output_file(path: Path, suffixes: tuple[str, ...] | None = None) -> Path:
    """``path`` when a file may be written there: its folder exists and is writable, it is not
    a folder itself, and (when ``suffixes`` is given) it has one of them.

    Raises InputRejected naming what is wrong; writes nothing.
    """
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise InputRejected("output_type", name=path.name, allowed=" / ".join(suffixes),
                            suffix=path.suffix or NO_SUFFIX)
    if path.is_dir():
        raise InputRejected("output_is_folder", path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputRejected("output_no_folder", folder=str(folder))
    if not os.access(folder, os.W_OK):
        raise InputRejected("output_folder_readonly", folder=str(folder))
    if path.exists() and not os.access(path, os.W_OK):
        raise InputRejected("output_readonly", path=str(path))
    return path


#: what a spreadsheet program takes for the start of a formula in a cell it opens
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """``value`` made safe for a CSV file people open in a spreadsheet program: a text that a
    spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1+1``, ``@SUM``) gets a leading
    apostrophe, which Excel and WPS show as plain text (OWASP "CSV injection"). Other values
    pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
