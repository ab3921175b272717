"""Benchmarks: ``python -m bench NAME [--json]``. Each prints one JSON object with the measured
figures and their ratio against the raw baseline measured in the same run."""
