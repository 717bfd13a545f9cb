"""Benchmark: drawing a plan against planning it, side by side.

For each network, times `layerplan plan SPEC --format svg` (and html) against `layerplan plan SPEC
--format json` on the same spec, each in a new process as a user runs it, round-robin, fastest of N
runs, and prints the ratio. Targets: a picture costs at most 2x the JSON report of the same plan (the
drawing is linear in the layers, as the plan is); the html page, which also carries every layer's
arithmetic, at most 6x.

    python bench/picture_speed.py            # 5 rounds
    python bench/picture_speed.py 11         # more rounds on a busy machine
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERPLAN = str(Path(sys.executable).parent / "layerplan")
TARGETS = {"svg": 2.0, "html": 6.0}


def stack(layers: int) -> dict:
    return {"input": [1, 32, 32], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}
                                             if i % 2 == 0 else "relu" for i in range(layers)]}


def dense_blocks(blocks: int = 4, per_block: int = 16) -> dict:
    layers, last = [{"conv2d": {"filters": 64, "kernel_size": 7, "stride": 2, "padding": 3, "name": "stem"}}], "stem"
    for b in range(blocks):
        features = [last]
        for i in range(per_block):
            name = f"b{b}_l{i}"
            layers.append({"concatenate": {"inputs": list(features), "name": f"{name}_in"}})
            layers.append({"conv2d": {"filters": 32, "kernel_size": 3, "padding": 1, "name": name}})
            features.append(name)
        layers.append({"concatenate": {"inputs": list(features), "name": f"b{b}_out"}})
        layers.append({"avg_pool2d": {"kernel_size": 2, "name": f"t{b}"}})
        last = f"t{b}"
    return {"input": [3, 224, 224], "layers": layers}


def fastest(args: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([LAYERPLAN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        specs = {"10,000-layer stack": Path(folder, "stack.json"), "DenseNet, 4x16, unfolded": Path(folder, "dense.json"),
                 "ResNet-50, unfolded": ROOT / "examples" / "resnet50.yaml"}
        specs["10,000-layer stack"].write_text(json.dumps(stack(10_000)))
        specs["DenseNet, 4x16, unfolded"].write_text(json.dumps(dense_blocks()))
        failed = False
        print(f"{'network':28} {'json':>8} {'svg':>8} {'html':>8}  ratios (targets: svg <= {TARGETS['svg']}x, "
              f"html <= {TARGETS['html']}x)")
        for name, path in specs.items():
            unfold = ["--unfold"] if "unfolded" in name else []
            times = {fmt: fastest(["plan", str(path), "--format", fmt, *unfold], rounds)
                     for fmt in ("json", "svg", "html")}
            ratios = {fmt: times[fmt] / times["json"] for fmt in TARGETS}
            failed |= any(ratios[fmt] > TARGETS[fmt] for fmt in TARGETS)
            print(f"{name:28} {times['json']:7.2f}s {times['svg']:7.2f}s {times['html']:7.2f}s  "
                  f"svg {ratios['svg']:.2f}x, html {ratios['html']:.2f}x")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
