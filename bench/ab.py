"""Alternated A/B pairs of `bench/fanout.py`: a git revision's relay against this checkout's.

A change to the relay's path is kept when it moves the figures (issue 13), and on a
shared two-core machine one run against another says little: between runs of the same
code the CPU per event moves by about ±0.03 ms and the p99 by a few tenths of a
millisecond, and the machine's speed drifts within the hour. This runs `fanout.py` in
pairs — A on the `--base` revision's code (a `git worktree` of it, put first on
`PYTHONPATH` for the load generator and the relay it starts), then B on this checkout —
so that each pair shares the hour, and reports each pair and the paired differences
B − A with their standard error and 95 % interval (a paired t-test): a difference whose
interval holds zero is not one the bench separates from its noise, and with few pairs the
interval is wide (two pairs: 12.7 standard errors each way). The measuring code
(fanout.py itself) is this checkout's in both halves; `python3 -m timeit` before each run
shows the machine's speed.

    uv run --all-extras python bench/ab.py --base 4ac67bd [--pairs 6] \\
        [-- --modes embedded --devices 10 --multi-device-users 20]

Everything after `--` goes to fanout.py (without it: the issue's load above — the embedded
relay, 1,000 clients, 20 of them with 10 sockets, 200 calls/s for 10 s); the figures
compared are the first mode's.
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
    events: int


def resolution(key: str, events: int) -> float:
    """The smallest step a figure moves in: fanout.py reads CPU time from /proc in clock
    ticks (10 ms at 100 Hz), so over 2,000 events its CPU per event moves by 0.005 ms;
    the latencies are timed with `perf_counter`."""
    if key != "cpu_ms_per_event":
        return 0.0
    return 1000 / os.sysconf("SC_CLK_TCK") / events


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
    return Run(figures, speed, int(results[mode]["n"]))


# Student's t, two-sided 95 %, by degrees of freedom (a few pairs need far more than 2
# standard errors: with two pairs a difference must exceed 12.7 of them).
_T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26,
        10: 2.23, 15: 2.13, 20: 2.09, 30: 2.04}


def t95(df: int) -> float:
    """The critical value for `df` degrees of freedom (the next smaller one tabled: a
    little stricter than exact between them)."""
    return _T95[max(k for k in _T95 if k <= df)]


def paired(a: list[float], b: list[float], step: float = 0.0) -> str:
    """B − A: the mean difference, its standard error and 95 % interval, and whether it
    is separable — the interval clear of zero (a paired t-test), and the difference not
    smaller than the figure's own step (`resolution`: a fraction of a step is rounding,
    however steady)."""
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    mean = statistics.fmean(diffs)
    if len(diffs) < 2:
        return f"{mean:+.3f} (one pair: no spread)"
    error = statistics.stdev(diffs) / math.sqrt(len(diffs))
    half = t95(len(diffs) - 1) * error
    if abs(mean) <= half:
        verdict = "within the noise"
    elif abs(mean) < step:
        verdict = f"below the figure's step of {step:.3f}"
    else:
        verdict = "separable"
    return (f"{mean:+.3f} ± {error:.3f} (95 %: {mean - half:+.3f} … {mean + half:+.3f}): "
            f"{verdict}")


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
        step = resolution(key, min(r.events for r in runs["A"] + runs["B"]))
        print(f"  {key:17} A {statistics.fmean(a):.3f}  B {statistics.fmean(b):.3f}  "
              f"B − A {paired(a, b, step)}")


if __name__ == "__main__":
    main()
