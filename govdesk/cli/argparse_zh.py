"""argparse's own words ("usage:", "options", "error:", "invalid choice" …) in Chinese.

argparse looks its words up through ``gettext`` each time it uses them (when a parser is made,
when help is formatted, when an error is reported), via the names ``_`` and ``ngettext`` of its
own module. :func:`argparse_language` puts a look-up in this table there for the time the
command line is built and parsed, and puts gettext's back afterwards, so other users of
argparse in the same process are not affected. English needs nothing: argparse's words are
English.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

#: argparse 3.11's messages (the gettext msgids) and their Chinese
ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示程序的版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少以下必需参数：%s",
    "one of the arguments %s is required": "参数 %s 之一是必需的",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "ambiguous option: %(option)s could match %(matches)s":
        "有歧义的选项：%(option)s 可能是 %(matches)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "至多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了显式给出的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
}

#: the plural forms argparse asks ``ngettext`` for (singular msgid -> Chinese, both numbers)
ZH_PLURAL: dict[str, str] = {
    "expected %s argument": "需要 %s 个值",
    "conflicting option string: %s": "选项冲突：%s",
}


#: a piece of help text that is not broken: a run of narrow characters, one wide character
#: (a line may break after any Chinese character), or the spaces between
_PIECE = re.compile(r"\s+|[\u2e80-\uffef]|[^\s\u2e80-\uffef]+")


#: punctuation a line never starts with (it stays on the line before, past the width)
_NO_LINE_START = frozenset("，。、；：？！）」』》〉”’")


def width(text: str) -> int:
    """The columns ``text`` takes on a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns (a longer word alone on its
    line), breaking at spaces and between Chinese characters."""
    lines: list[str] = []
    line = ""
    for piece in _PIECE.findall(" ".join(text.split())):
        if piece.isspace():
            if line:
                line += " "
            continue
        if line and width(line + piece) > columns and piece not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, wrapping by terminal columns (a Chinese character takes two) and
    keeping the usage lines aligned under a Chinese "用法：" prefix."""

    def format_help(self) -> str:
        text = str(super().format_help())
        for title in (ZH["positional arguments"], ZH["options"]):  # "选项：", not "选项:"
            text = text.replace(f"\n{title}:\n", f"\n{title}：\n")
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _format_usage(self, usage: Any, actions: Iterable[Any], groups: Iterable[Any],
                      prefix: str | None) -> str:
        if prefix is not None:
            return str(super()._format_usage(usage, actions, groups, prefix))
        # laid out under the 7 columns of "usage: ", padded so the words in use take as many
        # ("用法： ")
        text = str(super()._format_usage(usage, actions, groups, "usage: "))
        words = str(getattr(argparse, "_")("usage: "))
        return words.ljust(len("usage: ") - (width(words) - len(words))) + text[len("usage: "):]


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser formatting its help with :class:`HelpFormatter`; its sub-command
    parsers are of the same class (argparse makes them with ``type(self)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def _zh(message: str) -> str:
    return ZH.get(message, message)


def _zh_plural(singular: str, plural: str, n: int) -> str:
    found = ZH_PLURAL.get(singular)
    return found if found is not None else (singular if n == 1 else plural)


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """While inside, argparse speaks ``lang`` ("zh": Chinese; anything else: its English)."""
    module: Any = argparse
    saved: tuple[Callable[..., str], Callable[..., str]] = (module._, module.ngettext)
    if lang == "zh":
        module._, module.ngettext = _zh, _zh_plural
    try:
        yield
    finally:
        module._, module.ngettext = saved
