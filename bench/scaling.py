"""Benchmark: how drawing, export and `solve expect` grow with the number of layers, as ratios.

For each command, times it on a spec of 1,000 and of 10,000 layers, each in a new process as a user
runs it (fastest of N runs, round-robin), and prints both times, their ratio (10 is linear: ten times
the layers, ten times the time; 100 is quadratic) and the peak memory of the larger run:

- `plan --format svg` and `--format mermaid` of a skip fan (a stem read by every layer of a chain of
  adds: each edge from the stem passes over all the layers before its target) and of a plain chain;
- `export --to torch` of a chain of conv2d / relu;
- `solve expect` of that chain with an expected output two cells smaller (a padding to change).

    python bench/scaling.py           # 3 rounds
    python bench/scaling.py 5         # more rounds on a busy machine

No assertions: it prints measurements side by side (tests/test_scaling.py counts the work
instead). On a shared machine every figure moves with the load; the ratios move less.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYERPLAN = str(Path(sys.executable).parent / "layerplan")
SIZES = (1_000, 10_000)


def skip_fan(layers: int) -> dict:
    """A stem, then a chain of adds that each read the stem and the add before."""
    body = [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1, "name": "stem"}}]
    body += [{"add": {"name": f"a{i}", "inputs": ["stem", f"a{i - 1}" if i else "stem"]}} for i in range(layers - 1)]
    return {"input": [4, 8, 8], "layers": body}


def chain(layers: int) -> dict:
    return {"input": [4, 8, 8], "layers": ["relu"] * layers}


def conv_chain(layers: int, expect: list | None = None) -> dict:
    spec = {"input": [4, 16, 16], "layers": [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}}
                                             if i % 2 == 0 else "relu" for i in range(layers)]}
    if expect is not None:
        spec["expect"] = {"output": expect}
    return spec


#: (what is measured, the spec for a size, the command after `layerplan`)
CASES = [
    ("svg, skip fan", skip_fan, ["plan", "{spec}", "--format", "svg"]),
    ("mermaid, skip fan", skip_fan, ["plan", "{spec}", "--format", "mermaid"]),
    ("svg, chain", chain, ["plan", "{spec}", "--format", "svg"]),
    ("mermaid, chain", chain, ["plan", "{spec}", "--format", "mermaid"]),
    ("export --to torch, conv chain", conv_chain, ["export", "{spec}", "--to", "torch"]),
    ("solve expect, conv chain", lambda n: conv_chain(n, [4, 14, 14]), ["solve", "expect", "{spec}"]),
]


def timed(args: list[str]) -> tuple[float, float]:
    """Seconds and peak MiB of one run (the peak from the kernel's rusage of the child)."""
    start = time.perf_counter()
    child = subprocess.Popen([LAYERPLAN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        runs = {}
        for name, make, command in CASES:
            for size in SIZES:
                path = Path(folder, f"{len(runs)}.json")
                path.write_text(json.dumps(make(size)))
                runs[name, size] = [part.format(spec=path) for part in command]
        best = {key: (float("inf"), 0.0) for key in runs}
        for _ in range(rounds):
            for key, args in runs.items():
                seconds, peak = timed(args)
                best[key] = (min(best[key][0], seconds), max(best[key][1], peak))
    small, large = SIZES
    print(f"{'':32} {small:>8,} {large:>8,}  ratio  peak at {large:,}")
    for name, _, _ in CASES:
        (a, _), (b, peak) = best[name, small], best[name, large]
        print(f"{name:32} {a:7.2f}s {b:7.2f}s  {b / a:5.1f}  {peak:6.0f} MiB")


if __name__ == "__main__":
    main()
