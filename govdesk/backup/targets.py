"""Backup targets (a local directory, off-site directories or mounts), each checked on its own:
it exists, GovDesk can write there (a probe file is created and removed), and it has the space
the newest backup took, with a fifth more."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from govdesk.messages import Message


@dataclass(frozen=True)
class TargetCheck:
    """One directory's state; ``problem`` None when a backup can be written there."""

    path: str
    offsite: bool
    exists: bool
    writable: bool
    free_bytes: int | None
    problem: Message | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check(path: str, *, offsite: bool = False, needed: int = 0) -> TargetCheck:
    """The state of ``path`` for a backup of ``needed`` bytes."""
    p = Path(path)
    if not p.is_dir():
        return TargetCheck(path, offsite, False, False, None,
                           Message("target_missing", {"path": path}))
    try:
        with tempfile.NamedTemporaryFile(dir=p, prefix=".govdesk-probe-"):
            pass
        writable = True
    except OSError:
        writable = False
    free = shutil.disk_usage(p).free
    if not writable or not os.access(p, os.W_OK):
        return TargetCheck(path, offsite, True, False, free,
                           Message("target_not_writable", {"path": path}))
    want = int(needed * 1.2)
    if free < want:
        return TargetCheck(path, offsite, True, True, free,
                           Message("target_full", {"path": path, "free": free, "needed": want}))
    return TargetCheck(path, offsite, True, True, free, None)
