"""Benchmark: cold and warm builds, serial and parallel, and output sizes.

Writes bench/results/bench.json and prints a summary. Run with `make bench`.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "treatypress", *args], cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> None:
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        for jobs in (1, 2):
            shutil.rmtree(out, ignore_errors=True)
            results[f"cold_build_jobs_{jobs}_s"] = round(
                timed("build", "--out", str(out), "--jobs", str(jobs)), 2
            )
        results["warm_build_nothing_changed_s"] = round(timed("build", "--out", str(out)), 2)
        pdfs = sorted(out.rglob("*.pdf"))
        results["documents"] = len(pdfs)
        results["sizes_kb"] = {p.name: round(p.stat().st_size / 1024, 1) for p in pdfs}
    dest = ROOT / "bench" / "results"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    for key, value in results.items():
        if key != "sizes_kb":
            print(f"{key}: {value}")
    print(f"written to {dest / 'bench.json'}")


if __name__ == "__main__":
    main()
