"""Unexpected errors: the details go to a log file in the user data directory, the user gets a
short message in their language with a reference to quote.

No dialog or CLI message ever shows SQL, parameters or a traceback. :func:`record_unexpected`
writes the traceback (passwords in database URLs blanked) with the GovDesk version, the platform
and what was being done to ``errors.log`` in :func:`govdesk.config.data_dir` (rotated at 1 MB,
five files kept), and returns a reference such as ``E20261203-142233-3F9A`` that finds the entry.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import re
import secrets
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from govdesk import __version__
from govdesk.config import data_dir
from govdesk.messages import define, render

define({"unexpected_error": (
    "{doing} 失败：发生了意外错误，未做任何更改。请把参考号 {reference} 告诉技术支持人员，详细信息已写入 {log}。",
    "{doing} failed because of an unexpected error; nothing was changed. Give reference "
    "{reference} to your support staff; the details are in {log}.")}, __name__)

LOG_NAME = "errors.log"
_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@", re.I)
_PASSWORD_ARG = re.compile(r"(password\s*[=:]\s*)('[^']*'|\"[^\"]*\"|\S+)", re.I)


def log_path() -> Path:
    """Where unexpected errors are written."""
    return data_dir() / LOG_NAME


def scrub(text: str) -> str:
    """``text`` with passwords in URLs and ``password=…`` pairs replaced by ``***``."""
    text = _PASSWORD_IN_URL.sub(lambda m: m.group("head") + "***@", text)
    return _PASSWORD_ARG.sub(lambda m: m.group(1) + "***", text)


def _logger() -> logging.Logger:
    logger = logging.getLogger("govdesk.unexpected")
    path = log_path()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path
               for h in logger.handlers):
        for old in list(logger.handlers):
            logger.removeHandler(old)
            old.close()
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.ERROR)
        logger.propagate = False
    return logger


def record_unexpected(exc: BaseException, doing: str) -> str:
    """Write ``exc`` (with its traceback) and what was being done to the log; return the
    reference the user quotes. Never raises: when the log cannot be written the reference is
    still returned and the details go to standard error."""
    now = dt.datetime.now().astimezone()
    reference = f"E{now:%Y%m%d-%H%M%S}-{secrets.token_hex(2).upper()}"
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = scrub(
        f"=== {reference} {now.isoformat(timespec='seconds')}\n"
        f"GovDesk {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
        f"While: {doing}\n{details}")
    try:
        _logger().error(entry)
    except OSError:
        print(entry, file=sys.stderr)
    return reference


def unexpected_message(reference: str, doing: str, lang: str = "zh") -> str:
    """What the user reads: what failed, that nothing was changed, the reference and where the
    details are (message ``unexpected_error``)."""
    return render("unexpected_error", lang, {"doing": doing, "reference": reference,
                                             "log": str(log_path())})
