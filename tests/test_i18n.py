"""The zh_CN translation is complete and the shipped .qm matches the .ts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tool"] = module
    spec.loader.exec_module(module)
    return module


def test_every_ui_string_is_translated(capsys) -> None:  # type: ignore[no-untyped-def]
    tool = load_tool()
    assert tool.check() == 0, capsys.readouterr().out


def test_shipped_qm_matches_ts(tmp_path: Path) -> None:
    tool = load_tool()
    built = tmp_path / "built.qm"
    tool.lrelease(tool.TS, built)
    assert built.read_bytes() == tool.QM.read_bytes(), "run `python tools/i18n.py update`"


def test_vocabulary_labels_exist_in_both_languages() -> None:
    from govdesk import vocab

    for v in vocab.ALL:
        for t in v.terms:
            assert t.zh and t.en and v.lookup(t.zh) == t.code and v.lookup(t.en.upper()) == t.code
