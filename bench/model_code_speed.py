"""Benchmark: planning a 1,000-line model file against planning the equivalent spec.

Writes a PyTorch model file of about 1,000 lines (a module with 480 conv / batch-norm / activation
layers made in `__init__`, module-level constants, a straight-line `forward` with residual additions,
and training code after it), writes its spec with `layerplan import`, then times
`layerplan plan FILE --format json` on both, each in a new process as a user runs it, round-robin,
fastest of N runs. Target: the model file within 1.3x of the spec.

    python bench/model_code_speed.py            # 9 rounds
    python bench/model_code_speed.py 21         # more rounds on a busy machine
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYERPLAN = str(Path(sys.executable).parent / "layerplan")
TARGET = 1.3


def model_file(blocks: int = 120) -> str:
    lines = ['"""A deep residual stack, written as people write them."""', "import torch", "import torch.nn as nn",
             "import torch.nn.functional as F", "", "# layerplan: input 3x64x64", "", "WIDTH = 16", "",
             "", "class Deep(nn.Module):", "    def __init__(self, classes=10):", "        super().__init__()",
             "        self.stem = nn.Conv2d(3, WIDTH, kernel_size=3, padding=1)"]
    for i in range(blocks):
        lines += [f"        # block {i}",
                  f"        self.conv{i}a = nn.Conv2d(WIDTH, WIDTH, kernel_size=3, padding=1, bias=False)",
                  f"        self.bn{i}a = nn.BatchNorm2d(WIDTH)",
                  f"        self.conv{i}b = nn.Conv2d(WIDTH, WIDTH, kernel_size=3, padding=1, bias=False)",
                  f"        self.bn{i}b = nn.BatchNorm2d(WIDTH)"]
    lines += ["        self.pool = nn.AdaptiveAvgPool2d(1)", "        self.fc = nn.Linear(WIDTH, classes)", "",
              "    def forward(self, x):", "        x = F.relu(self.stem(x))"]
    for i in range(blocks):
        lines += [f"        y = F.relu(self.bn{i}a(self.conv{i}a(x)))",
                  f"        y = self.bn{i}b(self.conv{i}b(y))",
                  "        x = F.relu(x + y)"]
    lines += ["        x = torch.flatten(self.pool(x), 1)", "        return self.fc(x)", "", "",
              "def train(model, loader, epochs=10):",
              "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)",
              "    for epoch in range(epochs):", "        for images, labels in loader:",
              "            optimizer.zero_grad()", "            loss = F.cross_entropy(model(images), labels)",
              "            loss.backward()", "            optimizer.step()", "", "",
              'if __name__ == "__main__":', "    train(Deep(), [])"]
    return "\n".join(lines) + "\n"


def fastest(command: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "deep.py"
        model.write_text(model_file())
        spec = Path(folder) / "deep.yaml"
        subprocess.run([LAYERPLAN, "import", str(model), "-o", str(spec)], check=True)
        lines = len(model.read_text().splitlines())
        times = {"model": float("inf"), "spec": float("inf")}
        for _ in range(rounds):  # round-robin, so that a busy moment hits both alike
            times["model"] = min(times["model"], fastest([LAYERPLAN, "plan", str(model), "--format", "json"], 1))
            times["spec"] = min(times["spec"], fastest([LAYERPLAN, "plan", str(spec), "--format", "json"], 1))
        ratio = times["model"] / times["spec"]
        print(f"model file of {lines:,} lines: {times['model']:.3f} s; its spec: {times['spec']:.3f} s; "
              f"ratio {ratio:.2f} (target <= {TARGET}: {'ok' if ratio <= TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
