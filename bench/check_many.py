"""Benchmark: `layerplan check` on a directory of 1,000 spec files in one call.

Writes 1,000 specs (the examples in examples/ and a few generated stacks, about one in ten broken)
into a temporary directory, runs `layerplan check DIR` as a user would (a new process, so start-up
counts), and prints the wall time against the 3 s target. Run it on an otherwise idle machine:

    python bench/check_many.py            # 1,000 files, best of 3 runs
    python bench/check_many.py 5000 1     # 5,000 files, one run
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 3.0

_GENERATED = """\
name: stack-{n}
framework: {framework}
input: {input}
layers:
  - conv2d: {{filters: {filters}, kernel_size: 3, padding: same}}
  - batch_norm2d
  - relu
  - max_pool2d: {{pool_size: 2}}
  - conv2d: {{filters: {filters2}, kernel_size: {kernel}, stride: 2}}
  - global_avg_pool2d
  - dense: {{units: 10}}
expect: {{max_params: {budget}}}
"""


def write_specs(directory: Path, count: int) -> None:
    examples = sorted((ROOT / "examples").glob("*.y*ml"))
    texts = [path.read_text(encoding="utf-8") for path in examples]
    for n in range(count):
        if texts and n % 4 == 0:
            text = texts[n // 4 % len(texts)]
        else:
            keras = n % 3 == 0
            size = 16 + n % 48
            text = _GENERATED.format(
                n=n, framework="keras" if keras else "torch",
                input=f"[{size}, {size}, 3]" if keras else f"[3, {size}, {size}]",
                filters=8 + n % 24, filters2=16 + n % 40,
                kernel=40 if n % 10 == 7 else 3,  # about one in ten: a kernel larger than its input
                budget=10**7 if n % 13 else 100,
            )
        sub = directory / f"group{n % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"spec_{n:05d}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    layerplan = Path(sys.executable).with_name("layerplan")
    command = [str(layerplan)] if layerplan.exists() else [sys.executable, "-m", "layerplan"]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_specs(directory, count)
        times, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run([*command, "check", "--isolated", str(directory)], capture_output=True,
                                    text=True, cwd=ROOT, env={**os.environ, "GITHUB_ACTIONS": ""})
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        summary = result.stdout.strip().splitlines()[-1]
    best = min(times)
    print(f"layerplan check: {count} spec files in {best:.2f} s (best of {runs}; runs: "
          f"{', '.join(f'{t:.2f}' for t in times)}); {count / best:,.0f} files/s")
    print(f"  CPU time (user + sys, all workers): {min(cpu):.2f} s on {os.cpu_count()} CPUs; load average before: "
          f"{os.getloadavg()[0]:.1f}")
    print(f"  summary: {summary}; exit status {result.returncode}")
    print(f"  target {TARGET_SECONDS:.1f} s for 1,000 files: ratio {best / TARGET_SECONDS * 1000 / count:.2f} "
          f"({'met' if best * 1000 / count <= TARGET_SECONDS else 'MISSED'})")


if __name__ == "__main__":
    main()
