"""Benchmark: how fast `layerplan plan` starts and how it scales, as ratios measured in one run.

    python bench/plan_speed.py               # 15 rounds of start-up timings, scaling, memory
    python bench/plan_speed.py --rounds 30   # more rounds on a busy machine

Start-up: each command runs in a new process, as a user types it, round-robin (so a busy moment
hits every command alike; torchinfo and keras, seconds each, join every third round); a command's
time is its fastest run (the least disturbed one). Ratios:

- `layerplan plan ae.json --format json` against `python -c "import click, yaml"` (the floor for
  JSON output: the interpreter plus the two libraries a spec tool cannot avoid) — target <= 1.3
- `layerplan plan ae.json` (the table, laid out by rich, written to a file) against
  `python -c "import click, yaml, rich.console, rich.table"` — target <= 1.4; the same table on a
  pseudo-terminal (coloured, wrapped at its width) is timed for information
- torchinfo `summary()` and keras `model.summary()` on the same autoencoder (skipped when the
  library is missing) against `layerplan plan` — target: torchinfo >= 12x slower
Scaling: JSON specs of 1,000 / 10,000 / 100,000 layers planned to JSON output (100,000 < 10 s and
< 400 MiB peak), YAML specs of 1,000 / 10,000 layers (1,000 < 0.3 s, 10,000 < 1.5 s), time per layer
(linear: flat). Memory: peak RSS of planning the autoencoder (< 40 MiB).

Bytecode is compiled first (as `pip install` does), so the timings do not include compiling. The
machine pace (CPU time of a fixed Python loop, at the start and at the end) tells how fast the machine
ran during the run: on a shared machine every figure moves with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LAYERPLAN = str(Path(sys.executable).parent / "layerplan")

# The autoencoder every tool plans: MNIST in, MNIST out.
AUTOENCODER = [
    {"conv2d": {"filters": 32, "kernel_size": 3, "padding": 1}}, "relu", {"max_pool2d": {"pool_size": 2}},
    {"conv2d": {"filters": 16, "kernel_size": 3, "padding": 1}}, "relu", {"max_pool2d": {"pool_size": 2}},
    {"conv2d": {"filters": 16, "kernel_size": 3, "padding": 1}}, "relu", {"upsample2d": {"scale_factor": 2}},
    {"conv2d": {"filters": 32, "kernel_size": 3, "padding": 1}}, "relu", {"upsample2d": {"scale_factor": 2}},
    {"conv2d": {"filters": 1, "kernel_size": 3, "padding": 1}}, "sigmoid",
]

TORCHINFO = """
import torch, torchinfo
from torch import nn
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
    nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid())
torchinfo.summary(model, input_size=(1, 1, 28, 28))
"""

KERAS = """
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
from keras import layers
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(16, 3, padding="same", activation="relu"), layers.UpSampling2D(2),
    layers.Conv2D(32, 3, padding="same", activation="relu"), layers.UpSampling2D(2),
    layers.Conv2D(1, 3, padding="same", activation="sigmoid")])
model.summary()
"""

# A block that keeps an 8x16x16 sample the same shape, so a stack of any length stays valid.
CYCLE = [
    {"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}}, "batch_norm2d", "relu",
    {"max_pool2d": {"pool_size": 2}}, {"upsample2d": {"scale_factor": 2}},
]


#: start-up targets, as ratios to their floors (importing click and yaml; and rich's Console and Table)
JSON_TARGET = 1.3
TABLE_TARGET = 1.4
#: torchinfo's summary of the same autoencoder must be at least this many times slower than the table
TORCHINFO_TARGET = 12


def has(module: str) -> bool:
    return subprocess.run([PYTHON, "-c", f"import {module}"], capture_output=True).returncode == 0


#: commands run on a pseudo-terminal (120 columns, TERM=xterm-256color), as a user at a terminal runs
#: them: the table is coloured there
ON_A_TERMINAL = {"plan table, tty"}


def run_once(command: list[str], terminal: bool = False) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in KiB, exit status) of one run in a new process."""
    if terminal:
        return _run_on_terminal(command)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode


def _run_on_terminal(command: list[str]) -> tuple[float, float, int, int]:
    import fcntl
    import pty
    import struct
    import termios
    import threading

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")}
    environment["TERM"] = "xterm-256color"

    def drain() -> None:  # read what the command prints, as a terminal would
        try:
            while os.read(leader, 65536):
                pass
        except OSError:  # the command closed its end
            pass

    reader = threading.Thread(target=drain)
    reader.start()
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, cwd=ROOT,
                               env=environment)
    os.close(follower)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    reader.join()
    os.close(leader)
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode


def measure(commands: dict[str, list[str]], rounds: int, slow: dict[str, list[str]] | None = None,
            slow_every: int = 1) -> dict[str, dict]:
    """Round-robin runs; per command the fastest wall time, its CPU time and the peak memory.

    `slow` commands (seconds each) run in every `slow_every`-th round, in the same rotation, so a
    busy spell of a shared machine slows them and the others alike and their ratios stay fair.
    """
    slow = slow or {}
    results = {name: {"wall": [], "cpu": [], "rss": 0, "status": 0} for name in {**commands, **slow}}
    for round_number in range(rounds):
        rotation = dict(commands)
        if round_number % slow_every == 0:
            rotation.update(slow)
        for name, command in rotation.items():
            wall, cpu, rss, status = run_once(command, terminal=name in ON_A_TERMINAL)
            entry = results[name]
            entry["wall"].append(wall)
            entry["cpu"].append(cpu)
            entry["rss"] = max(entry["rss"], rss)
            entry["status"] = entry["status"] or status
    return {name: {"wall": min(r["wall"]), "cpu": min(r["cpu"]), "median": sorted(r["wall"])[len(r["wall"]) // 2],
                   "rss": r["rss"], "status": r["status"]} for name, r in results.items()}


def write_stack(directory: Path, layers: int, suffix: str) -> Path:
    entries = [CYCLE[i % len(CYCLE)] for i in range(layers)]
    path = directory / f"stack_{layers}{suffix}"
    data = {"name": f"stack-{layers}", "input": [8, 16, 16], "layers": entries}
    if suffix == ".json":
        path.write_text(json.dumps(data))
    else:
        lines = ["name: " + data["name"], "input: [8, 16, 16]", "layers:"]
        for entry in entries:
            if isinstance(entry, str):
                lines.append(f"  - {entry}")
            else:
                (kind, options), = entry.items()
                body = ", ".join(f"{k}: {v}" for k, v in options.items())
                lines.append(f"  - {kind}: {{{body}}}")
        path.write_text("\n".join(lines) + "\n")
    return path


def machine_pace() -> float:
    """CPU seconds of a fixed pure-Python loop in a new process: how fast this machine runs Python right
    now. A shared machine has slow spells; every figure of a run scales with this one."""
    _, cpu, _, _ = run_once([PYTHON, "-c", "sum(range(30_000_000))"])
    return cpu


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="runs of each start-up command (default 15)")
    parser.add_argument("--scaling-rounds", type=int, default=5, help="runs of each scaling spec (default 5)")
    args = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "planner"), str(ROOT / "cli")],
                   stdout=subprocess.DEVNULL, check=False)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    pace = machine_pace()
    print(f"layerplan plan speed · {os.cpu_count()} CPUs · load average {load:.1f} · Python "
          f"{sys.version.split()[0]} · machine pace {pace:.2f} s (a fixed Python loop; lower is faster)")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spec = tmp / "autoencoder.json"
        spec.write_text(json.dumps({"name": "autoencoder", "input": [1, 28, 28], "layers": AUTOENCODER}))
        commands = {
            "floor json": [PYTHON, "-c", "import click, yaml"],
            "floor table": [PYTHON, "-c", "import click, yaml, rich.console, rich.table"],
            "plan json": [LAYERPLAN, "plan", str(spec), "--format", "json"],
            "plan table": [LAYERPLAN, "plan", str(spec)],
            "plan table, tty": [LAYERPLAN, "plan", str(spec)],
        }
        others = {}
        if has("torchinfo"):
            others["torchinfo"] = [PYTHON, "-c", TORCHINFO]
        if has("keras"):
            others["keras summary"] = [PYTHON, "-c", KERAS]
        slow_every = 3
        start = measure(commands, args.rounds, others, slow_every)
        print(f"\nstart-up on a 13-layer autoencoder (fastest of {args.rounds} runs, torchinfo and keras of "
              f"{len(range(0, args.rounds, slow_every))} runs in the same rotation; CPU = user + system)")
        for name, r in start.items():
            print(f"  {name:<14} {r['wall'] * 1000:8.1f} ms  (median {r['median'] * 1000:7.1f} ms, "
                  f"CPU {r['cpu'] * 1000:7.1f} ms, peak {r['rss'] / 1024:6.1f} MiB){'  exit ' + str(r['status']) if r['status'] else ''}")
        json_ratio = start["plan json"]["wall"] / start["floor json"]["wall"]
        table_ratio = start["plan table"]["wall"] / start["floor table"]["wall"]
        ok = json_ratio <= JSON_TARGET
        failures += not ok
        print(f"\n  plan --format json / import click, yaml          {json_ratio:5.2f}x   target <= {JSON_TARGET}   "
              f"{verdict(ok)}")
        ok = table_ratio <= TABLE_TARGET
        failures += not ok
        print(f"  plan (table) / import click, yaml, rich          {table_ratio:5.2f}x   target <= {TABLE_TARGET}   "
              f"{verdict(ok)}")
        for name in others:
            ratio = start[name]["wall"] / start["plan table"]["wall"]
            target = (f" target >= {TORCHINFO_TARGET}    " + verdict(ratio >= TORCHINFO_TARGET)
                      if name == "torchinfo" else "")
            failures += name == "torchinfo" and ratio < TORCHINFO_TARGET
            print(f"  {name} / plan (table){'':<{27 - len(name)}} {ratio:5.1f}x slower{target}")
        for name in ("torchinfo", "keras summary"):
            if name not in others:
                print(f"  {name}: not installed, comparison skipped")
        # At a terminal the table is coloured: shown for information (the targets are measured as the
        # rows above, with the output going to a file).
        tty = start["plan table, tty"]["wall"]
        print(f"  plan (table on a terminal) / import click, yaml, rich   {tty / start['floor table']['wall']:5.2f}x"
              f"   (information)")
        for name in others:
            print(f"  {name} / plan (table on a terminal){'':<{15 - len(name)}} {start[name]['wall'] / tty:5.1f}x "
                  f"slower (information)")
        memory = start["plan json"]["rss"] / 1024
        ok = max(memory, start["plan table"]["rss"] / 1024) < 40
        failures += not ok
        print(f"  peak memory planning the autoencoder: json {memory:.1f} MiB, table "
              f"{start['plan table']['rss'] / 1024:.1f} MiB   target < 40 MiB  {verdict(ok)}")

        print(f"\nscaling: a stack planned to JSON output (fastest of {args.scaling_rounds} runs)")
        sizes = {".json": (1_000, 10_000, 100_000), ".yaml": (1_000, 10_000)}
        targets = {(".json", 100_000): 10.0, (".yaml", 1_000): 0.3, (".yaml", 10_000): 1.5}
        for suffix, counts in sizes.items():
            per_layer = []
            for count in counts:
                path = write_stack(tmp, count, suffix)
                r = measure({"x": [LAYERPLAN, "plan", str(path), "--format", "json"]}, args.scaling_rounds)["x"]
                # cost per layer above the start-up of the smallest run
                per_layer.append((count, r["wall"]))
                target = targets.get((suffix, count))
                note = ""
                if target is not None:
                    ok = r["wall"] < target and r["status"] == 0
                    if count == 100_000:
                        ok = ok and r["rss"] / 1024 < 400
                    failures += not ok
                    note = f"   target < {target:.1f} s{' and 400 MiB' if count == 100_000 else ''}  {verdict(ok)}"
                print(f"  {suffix[1:]:<4} {count:>7,} layers  {r['wall']:6.2f} s  CPU {r['cpu']:6.2f} s  "
                      f"peak {r['rss'] / 1024:7.1f} MiB{'  exit ' + str(r['status']) if r['status'] else ''}{note}")
            (small, t_small), (large, t_large) = per_layer[-2], per_layer[-1]
            marginal = (t_large - t_small) / (large - small) * 1e6
            first = (per_layer[1][1] - per_layer[0][1]) / (per_layer[1][0] - per_layer[0][0]) * 1e6
            print(f"       time per added layer: {first:.1f} µs ({per_layer[0][0]:,}->{per_layer[1][0]:,})"
                  + (f", {marginal:.1f} µs ({small:,}->{large:,}); linear if these agree" if len(per_layer) > 2
                     else ""))
    print(f"\nmachine pace {pace:.2f} s at the start, {machine_pace():.2f} s at the end")
    print(f"{failures} target(s) missed" if failures else "every target met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
