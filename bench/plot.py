"""Draw docs/performance/*.png from the JSON the benchmarks wrote with `--json`.

    uv run --all-extras python bench/plot.py bench/out docs/performance
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def fanout(data: dict, out: Path) -> None:
    names = list(data["results"])
    p50 = [data["results"][n]["p50_ms"] for n in names]
    p99 = [data["results"][n]["p99_ms"] for n in names]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], p50, width=0.4, label="p50")
    ax.bar([x + 0.2 for x in xs], p99, width=0.4, label="p99")
    ax.axhline(20, color="grey", linestyle="--", linewidth=1, label="target p99 20 ms")
    ax.set_xticks(list(xs), names)
    ax.set_yscale("log")
    ax.set_ylabel("webhook → frame, ms (log)")
    ax.set_title(f"Fan-out: {data['clients']} clients, {data['rate']} calls/s")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "fanout.png", dpi=110)


def throughput(data: dict, out: Path) -> None:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for engine, rows in data.items():
        ax.plot([r["achieved"] for r in rows], [r["p99_ms"] for r in rows], marker="o",
                label=f"{engine} p99")
    ax.axhline(100, color="grey", linestyle="--", linewidth=1, label="100 ms")
    ax.set_yscale("log")
    ax.set_xlabel("webhooks/s sent")
    ax.set_ylabel("reply time p99, ms")
    ax.set_title("Webhook throughput of one relay process")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=110)


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.mkdir(parents=True, exist_ok=True)
    if (source / "fanout.json").exists():
        fanout(json.loads((source / "fanout.json").read_text()), target)
    if (source / "throughput.json").exists():
        throughput(json.loads((source / "throughput.json").read_text()), target)


if __name__ == "__main__":
    main()
