"""``classify_profile``: profile a 1,000,000-row, 20-column CSV of people (the profiler's
sample with known truth), rows/s as a ratio of a plain ``pandas.read_csv`` of the same file in
the same run (target ≥ 0.3). Also reports whether every column got the detector it should.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from govdesk.catalog.profiling.profile import profile_file
from govdesk.demo.profile_sample import TRUTH, write_sample_csv


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows = int(args.scale or 1_000_000)
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-") as tmp:
        path = Path(tmp) / "people.csv"
        t0 = time.perf_counter()
        write_sample_csv(path, rows)
        generate_s = time.perf_counter() - t0
        # the baseline first and last, the profile in between: both see a warm page cache
        t0 = time.perf_counter()
        frame = pd.read_csv(path, dtype=str)
        read_s = time.perf_counter() - t0
        assert len(frame) == rows
        del frame
        t0 = time.perf_counter()
        profile = profile_file(path)
        profile_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pd.read_csv(path, dtype=str)
        read_s = min(read_s, time.perf_counter() - t0)
        size_mb = path.stat().st_size / 1e6
    wrong = {c.name: c.detection.detector for c in profile.columns
             if c.detection.detector != TRUTH[c.name]}
    ratio = read_s / profile_s
    return {
        "benchmark": "classify_profile",
        "rows": profile.rows,
        "columns": len(profile.columns),
        "file_mb": round(size_mb, 1),
        "profile_seconds": round(profile_s, 2),
        "profile_rows_per_s": round(rows / profile_s),
        "baseline": "pandas.read_csv(dtype=str) of the same file, best of two",
        "baseline_seconds": round(read_s, 2),
        "baseline_rows_per_s": round(rows / read_s),
        "ratio": round(ratio, 3),
        "target_ratio": 0.3,
        "meets_target": ratio >= 0.3,
        "detectors_wrong": wrong,
        "generate_seconds": round(generate_s, 1),
    }
