"""Alternated A/B pairs of `bench/fanout.py`: a git revision's relay against this checkout's.

A change to the relay's path is kept when it moves the figures (issue 13), and on a
shared two-core machine one run against another says little: between runs of the same
code the CPU per event moves by about ±0.03 ms and the p99 by a few tenths of a
millisecond, and the machine's speed drifts within the hour. This runs `fanout.py` in
pairs — A on the `--base` revision's code (a `git worktree` of it, put first on
`PYTHONPATH` for the load generator and the relay it starts), then B on this checkout —
so that each pair shares the hour, and reports each pair and the paired differences
B − A with their standard error. A difference within two standard errors of zero is not
one the bench separates from its noise. The measuring code (fanout.py itself) is this
checkout's in both halves; `python3 -m timeit` before each run shows the machine's speed.

    uv run --all-extras python bench/ab.py --base 4ac67bd [--pairs 6] \\
        [-- --modes embedded --devices 10 --multi-device-users 20]

Everything after `--` goes to fanout.py (its default: the embedded relay, 1,000 clients,
200 calls/s, 10 s); the figures compared are the first mode's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIGURES = ("cpu_ms_per_event", "p50_ms", "p99_ms", "ratio_p99")


@dataclass(frozen=True)
class Run:
    figures: dict[str, float]
    timeit_us: float


def machine_speed() -> float:
    """`python3 -m timeit "sum(range(1000))"`'s best, in µs (lower is faster)."""
    out = subprocess.run([sys.executable, "-m", "timeit", "sum(range(1000))"],
                         capture_output=True, text=True, check=True).stdout
    value, unit = out.split(":")[-1].split()[:2]
    return float(value) * {"nsec": 1e-3, "usec": 1.0, "msec": 1e3}[unit]


def run_fanout(fanout_args: list[str], app_dir: Path | None, work: Path, label: str) -> Run:
    speed = machine_speed()
    out = work / f"{label}.json"
    env = dict(os.environ)
    if app_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(app_dir), *filter(None, [env.get("PYTHONPATH")])])
    proc = subprocess.run([sys.executable, str(HERE / "fanout.py"), *fanout_args,
                           "--json", str(out)], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"fanout.py failed for {label}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    results = json.loads(out.read_text())["results"]
    mode = next(iter(results))
    figures = {k: float(results[mode][k]) for k in FIGURES[:3]}
    if "baseline" in results and mode != "baseline":
        figures["ratio_p99"] = figures["p99_ms"] / float(results["baseline"]["p99_ms"])
    return Run(figures, speed)


def paired(a: list[float], b: list[float]) -> str:
    """B − A: the mean difference, its standard error, and whether it is separable."""
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    mean = statistics.fmean(diffs)
    if len(diffs) < 2:
        return f"{mean:+.3f} (one pair: no spread)"
    error = statistics.stdev(diffs) / math.sqrt(len(diffs))
    verdict = "separable" if abs(mean) > 2 * error else "within the noise"
    return f"{mean:+.3f} ± {error:.3f} (standard error): {verdict}"


def main() -> None:
    argv = sys.argv[1:]
    fanout_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--pairs", type=int, default=6)
    args = parser.parse_args(own)
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    fanout_args = fanout_args or ["--modes", "embedded", "--devices", "10",
                                  "--multi-device-users", "20"]
    with tempfile.TemporaryDirectory(prefix="trubka-ab-") as tmp:
        work = Path(tmp)
        tree = work / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q",
                        str(tree), args.base], check=True)
        try:
            runs: dict[str, list[Run]] = {"A": [], "B": []}
            for i in range(1, args.pairs + 1):
                for side, app_dir in (("A", tree / "app"), ("B", None)):
                    run = run_fanout(fanout_args, app_dir, work, f"{side}{i}")
                    runs[side].append(run)
                    shown = "  ".join(f"{k} {v:.3f}" for k, v in run.figures.items())
                    print(f"{side}{i}  timeit {run.timeit_us:.2f} µs  {shown}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(tree)], check=False)
    print(f"\nA = {args.base}, B = this checkout, {args.pairs} alternated pairs "
          f"(fanout.py {' '.join(fanout_args)})")
    for key in FIGURES:
        if not all(key in r.figures for r in runs["A"] + runs["B"]):
            continue
        a = [r.figures[key] for r in runs["A"]]
        b = [r.figures[key] for r in runs["B"]]
        print(f"  {key:17} A {statistics.fmean(a):.3f}  B {statistics.fmean(b):.3f}  "
              f"B − A {paired(a, b)}")


if __name__ == "__main__":
    main()
