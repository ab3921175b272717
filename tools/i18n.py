"""Keep the translations in step with the code.

    python tools/i18n.py update   # re-scan govdesk/ui with pyside6-lupdate, then build the .qm
    python tools/i18n.py check    # exit 1 when a source string lacks a finished translation

Translate new strings in resources/translations/govdesk_zh_CN.ts (Qt Linguist or any editor),
then run ``update`` again and commit both the .ts and the .qm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "govdesk_zh_CN.ts"
QM = TS.with_suffix(".qm")


def ui_sources() -> list[str]:
    return sorted(str(p) for p in (ROOT / "govdesk" / "ui").rglob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run(["pyside6-lupdate", *ui_sources(), "-ts", str(ts), "-target-language", "zh_CN",
                    "-no-obsolete", "-locations", "none", "-silent"], check=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run(["pyside6-lrelease", "-silent", str(ts), "-qm", str(qm)], check=True)


def untranslated(ts: Path) -> list[str]:
    """Source strings of ``ts`` without a finished, non-empty translation."""
    missing = []
    for msg in ET.parse(ts).getroot().iter("message"):
        tr = msg.find("translation")
        source = msg.findtext("source") or ""
        if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete"):
            missing.append(source)
        elif msg.get("numerus") == "yes":
            if not [f for f in tr.iter("numerusform") if (f.text or "").strip()]:
                missing.append(source)
        elif not (tr.text or "").strip():
            missing.append(source)
    return missing


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / TS.name
        shutil.copy(TS, copy)
        lupdate(copy)
        missing = untranslated(copy)
    for source in missing:
        print(f"untranslated: {source!r}")
    return 1 if missing else 0


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        lupdate(TS)
        lrelease(TS, QM)
        missing = untranslated(TS)
        print(f"{QM.name} written; {len(missing)} string(s) still untranslated")
        return 0
    if argv[1:] == ["check"]:
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
