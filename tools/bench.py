"""Benchmark: a full build against WeasyPrint's own floor and the plain ways, in one run.

Run with `make bench` (about 20 minutes on 2 cores). Every figure comes from this run: the project
(content, templates, styles and code) is copied to a temporary folder first, so edits made meanwhile
do not disturb it, and copyfitting's memory starts empty there. Writes bench/results/bench.json and
the table between the bench markers in README.md, and says, for each target of issue 11, whether
it is met and, when not, by how much and where the time goes.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from benchparts import (  # noqa: E402
    BARE,
    DRIVER,
    load,
    scale_content,
    table,
    verdicts,
    watch_edits,
)

RESULTS = ROOT / "bench" / "results" / "bench.json"
QUICK = "--quick" in sys.argv
ROUNDS = 1 if QUICK else 2  # a trial of the benchmark itself: two treaties, small runs, no files
README = ROOT / "README.md"


class Bench:
    """A copy of the project in a temporary folder, and ways to time commands in it."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "project"
        self.cache = folder / "cache"
        for part in ("content", "templates", "styles", "src"):
            shutil.copytree(
                ROOT / part, self.root / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        self.env = {
            **os.environ,
            "PYTHONPATH": str(self.root / "src"),
            "TREATYPRESS_CACHE": str(self.cache),
        }
        self.cpu = 0.0
        self.env.pop("TREATYPRESS_ROOT", None)
        if QUICK:
            keep = {"nato-1949.yaml", "sino-soviet-1950.yaml", "sino-soviet-1945.yaml"}
            for path in (self.root / "content").glob("*.yaml"):
                if path.name not in keep:
                    path.unlink()

    def run(
        self, *args: str, check: bool = True, env: dict[str, str] | None = None
    ) -> tuple[float, str]:
        """Run a command in the copy; its wall time and standard output."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            list(args),
            cwd=self.root,
            env=env or self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if check and done.returncode:
            raise SystemExit(f"bench: {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return took, done.stdout

    def treatypress(self, *args: str) -> tuple[float, str]:
        """`treatypress ARGS` as a user runs it."""
        return self.run(sys.executable, "-m", "treatypress", *args)

    def build(
        self, out: Path, *args: str, cache: Path | None = None
    ) -> tuple[float, dict[str, Any]]:
        """A build through the library, timed from outside like the command (interpreter start,
        imports and all), with what each document cost."""
        env = {**self.env, "TREATYPRESS_CACHE": str(cache)} if cache else None
        took, stdout = self.run(sys.executable, "-c", DRIVER, str(out), *args, env=env)
        data = json.loads(stdout.splitlines()[-1])
        data["cpu_s"] = round(self.cpu, 2)  # the build and its workers, user and system
        return took, data


def loadavg() -> float:
    """The one-minute load average (other work on the machine skews every figure)."""
    return round(os.getloadavg()[0], 2)


def measure(bench: Bench, tmp: Path) -> dict[str, Any]:
    """Every measurement, in one run."""
    res: dict[str, Any] = {"load_before": loadavg()}
    cpus = os.cpu_count() or 1
    out = tmp / "full"
    # 1. The first build ever: nothing remembered (copyfitting, font subsets, page checks).
    took, cold = bench.build(out)
    res["full_first_ever"] = load(cold, took)
    htmls = sorted(str(p.with_suffix(".html")) for p in out.rglob("*.pdf") if "-2up-" not in p.name)
    # 2. Then, ROUNDS times in turn, so that other work on the machine weighs on each alike: the
    #    floor (WeasyPrint imported once, every PDF's HTML rendered bare, in one process), and full
    #    builds from a clean folder with the default workers and with one. The least disturbed
    #    (fastest) run of each is compared; every run is kept in bench.json.
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "default": [], "one": []}
    for _ in range(ROUNDS):
        took, stdout = bench.run(sys.executable, "-c", BARE, str(bench.root), *htmls)
        bare = json.loads(stdout.splitlines()[-1])
        runs["bare"].append({"wall_s": round(took, 2), "cpu_s": round(bench.cpu, 2), **bare})
        shutil.rmtree(out)
        took, warm = bench.build(out)
        runs["default"].append({**load(warm, took), "workers": cpus, "made": warm["made"]})
        shutil.rmtree(tmp / "one", ignore_errors=True)
        took, one = bench.build(tmp / "one", "--jobs", "1")
        runs["one"].append(load(one, took))
    res["bare"] = min(runs["bare"], key=lambda r: r["wall_s"])
    res["full_default"] = min(runs["default"], key=lambda r: r["wall_s"])
    warm = {"made": res["full_default"].pop("made")}
    res["full_one_worker"] = min(runs["one"], key=lambda r: r["wall_s"])
    res["rounds"] = {
        name: [{k: r[k] for k in ("wall_s", "cpu_s")} for r in group]
        for name, group in runs.items()
    }
    # 3. The plain ways, for one treaty's PDFs (one process per document is slow: a sample).
    sample = [h for h in htmls if "/sino-soviet-1950/" in h][: 3 if QUICK else None]
    per_weasy = 0.0
    for html in sample:
        t, _ = bench.run(
            sys.executable,
            "-m",
            "weasyprint",
            "-u",
            bench.root.as_uri() + "/",
            html,
            str(tmp / "w.pdf"),
        )
        per_weasy += t
    per_tp = 0.0
    for html in sample:
        kind, paper = _kind_paper(Path(html).stem, "sino-soviet-1950")
        t, _ = bench.treatypress(
            "build",
            "content/sino-soviet-1950.yaml",
            "--document",
            kind,
            "--paper",
            paper,
            "--out",
            str(tmp / f"tp-{kind}-{paper}"),
        )
        per_tp += t
    names = {Path(h).with_suffix(".pdf").name for h in sample}
    in_build = sum(d["ms"] for d in warm["made"] if Path(d["out"]).name in names) / 1000
    res["plain_ways_sample"] = {
        "documents": len(sample),
        "treaty": "sino-soviet-1950",
        "one_weasyprint_process_each_s": round(per_weasy, 2),
        "one_treatypress_process_each_s": round(per_tp, 2),
        "bare_in_process_s": round(sum(bare["ms"][h] for h in sample) / 1000, 2),
        "in_the_build_worker_time_s": round(in_build, 2),
    }
    # 4. Nothing to do.
    noop, noop_cpu = [], []
    for _ in range(3 if QUICK else 5):
        noop.append(bench.treatypress("build", "--out", str(out))[0])
        noop_cpu.append(bench.cpu)
    res["noop_s"] = {
        "median": round(statistics.median(noop), 3),
        "runs": [round(x, 3) for x in noop],
        "cpu_median": round(statistics.median(noop_cpu), 3),
    }
    # 5. Edit to PDF in watch.
    res["watch"] = watch_edits(bench, out, edits=1 if QUICK else 2)
    # 6. Scale: generated treaties, fact sheets on A4 (see README).
    res["scale"] = scale(bench, tmp)
    res["load_after"] = loadavg()
    return res


def _kind_paper(stem: str, slug: str) -> tuple[str, str]:
    rest = stem.removeprefix(f"{slug}-")
    kind, _, paper = rest.rpartition("-")
    if kind.endswith("-half"):  # half-letter
        kind, paper = kind.removesuffix("-half"), f"half-{paper}"
    return kind, paper


def scale(bench: Bench, tmp: Path) -> dict[str, Any]:
    """Builds of 10, 25 and 50 generated treaties in every edition with the default workers, and
    50 with one. Each is made once: the runs are long (up to 700 documents), so the machine's
    noise averages out within a run."""
    most = 8 if QUICK else 50
    paths = scale_content(bench.root / "content", most)
    runs: list[dict[str, Any]] = []
    sizes = (2, 4, 8) if QUICK else (10, 25, 50)
    for n, (count, jobs) in enumerate([*((n, None) for n in sizes), (most, 1)]):
        args = list(paths[:count])
        if jobs:
            args += ["--jobs", str(jobs)]
        cache = tmp / f"cache-{n}"  # each run starts from what the full builds left
        shutil.copytree(bench.cache, cache)
        took, data = bench.build(tmp / f"scale-{n}", *args, cache=cache)
        if data["failures"] or data["problems"]:
            raise SystemExit(
                f"bench: the scale build failed: {data['failures'] + data['problems']}"
            )
        runs.append(
            {
                "treaties": count,
                "workers": jobs or os.cpu_count(),
                "documents": len(data["made"]),
                "wall_s": round(took, 2),
                "cpu_s": round(bench.cpu, 2),
                "peak_rss_mb_per_worker": round(max(d["rss_kb"] for d in data["made"]) / 1024, 1),
                "load": loadavg(),
            }
        )
        shutil.rmtree(tmp / f"scale-{n}")
        shutil.rmtree(cache)
    return {"edition": "every edition", "runs": runs}


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="treatypress-bench-") as tmp:
        bench = Bench(Path(tmp))
        res = measure(bench, Path(tmp))
    res["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    res["bench_s"] = round(time.perf_counter() - started, 1)
    raw = RESULTS.with_name("bench-raw.json")  # kept should a verdict fail to compute
    if not QUICK:
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.write_text(json.dumps(res, indent=2) + "\n")
    res["verdicts"] = verdicts(res)
    if QUICK:
        print(json.dumps(res, indent=2))
        print(table(res))
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(res, indent=2) + "\n")
    raw.unlink()
    text = table(res)
    readme = README.read_text(encoding="utf-8")
    marked = re.compile(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", re.S)
    if marked.search(readme):
        README.write_text(marked.sub(lambda m: m.group(1) + text + m.group(2), readme))
    print(text)
    print(f"written to {RESULTS} and README.md ({res['bench_s']:.0f} s)")


if __name__ == "__main__":
    main()
