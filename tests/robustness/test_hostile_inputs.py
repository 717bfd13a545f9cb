"""Hostile inputs, each run as a real process: the exit status, the message, and a bound on time and
peak memory (safety bounds, far above what a healthy run needs; not performance targets).

Nothing in a spec is ever executed: the YAML tag cases would create a marker file if it were.
"""

from __future__ import annotations

import json
import os
import random
import time

import pytest

from process import run_layerplan

# These tests start real layerplan processes (seconds in all): `-m "not process"` skips them.
pytestmark = pytest.mark.process

#: generous safety bounds for one run
SECONDS = 30
PEAK_MB = 600
#: the long-stack case: 100,000 layers in ci and nightly, fewer in the quick local loop
PROFILE = os.environ.get("LAYERPLAN_FUZZ") or "quick"
LONG_STACK = 100_000 if PROFILE in ("ci", "nightly") else 10_000


def billion_laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\ninput: [1, 8, 8]\nlayers: *a9\n"


def wide_aliases() -> str:
    # one 1,000-item list referenced 5,000 times: 5,000,000 values from 25 kB of text
    return ("big: &big [" + ", ".join(["1"] * 1000) + "]\n" + "input: [1, 8, 8]\nlayers: ["
            + ", ".join(["*big"] * 5000) + "]\n")


def merge_bomb() -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]" for i in range(10)) + "}"]
    for level in range(1, 8):
        lines.append(f"m{level}: &m{level} {{" + ", ".join(f"x{i}: *m{level - 1}" for i in range(10)) + "}")
    return "\n".join(lines) + "\ninput: [1]\nlayers:\n  - <<: *m7\n    type: relu\n"


# (id, file name, content (text or bytes), expected exit status, expected code, words of the message)
CASES = [
    ("alias-bomb", "bomb.yaml", billion_laughs(), 2, "LP004", ["alias"]),
    ("wide-aliases", "wide.yaml", wide_aliases(), 2, "LP004", ["alias"]),
    ("merge-key-bomb", "merge.yaml", merge_bomb(), 2, "LP004", ["alias"]),
    ("recursive-alias", "loop.yaml", "input: [1, 8, 8]\nlayers: &l [relu, *l]\n", 2, "LP002", ["recursive"]),
    ("yaml-flow-10000-deep", "deep.yaml", "input: " + "[" * 10_000 + "]" * 10_000 + "\nlayers: []\n", 2,
     "LP004", ["nested", "100"]),
    ("yaml-flow-150-deep", "deep150.yaml", "input: " + "[" * 150 + "]" * 150 + "\nlayers: []\n", 2,
     "LP004", ["nested", "100"]),
    ("yaml-block-2000-deep", "block.yaml", "".join("  " * i + "- \n" for i in range(2000)), 2, "LP004",
     ["nested"]),
    ("json-100000-deep", "deep.json", '{"input": ' + "[" * 100_000 + "]" * 100_000 + "}", 2, "LP004",
     ["nested"]),
    ("json-many-values", "values.json", '{"input": [1], "layers": [' + ",".join(["[1,1,1,1,1,1,1,1,1]"] * 150_000)
     + "]}", 2, "LP004", ["values"]),
    ("binary", "model.yaml", random.Random(4).randbytes(20_000), 2, "LP001",
     ["binary"]),
    ("png", "picture.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, 2, "LP001", ["binary"]),
    ("utf16", "utf16.yaml", "input: [1, 8, 8]\nlayers: [relu]\n".encode("utf-16"), 2, "LP001", ["UTF-16"]),
    ("latin1", "latin1.yaml", "name: réseau\ninput: [1, 8, 8]\nlayers: [relu]\n".encode("latin-1"), 2, "LP001",
     ["not UTF-8", "line 1"]),
    ("control-characters", "bell.yaml", "input: [1, 8, 8]\nlayers: [relu\x07]\n", 2, "LP002", ["character"]),
    ("5000-digit-integer", "digits.yaml", "input: [1, " + "9" * 5000 + "]\nlayers: [relu]\n", 2, "LP004",
     ["5,000 digits"]),
    ("5000-digit-integer-json", "digits.json", '{"input": [1, ' + "9" * 5000 + '], "layers": []}', 2, "LP004",
     ["5,000 digits"]),
    ("1e40-channels", "channels.yaml", f"input: [{10**40}, 8, 8]\nlayers: [relu, flatten, {{dense: 10}}]\n", 1,
     "LP220", ["2**63 - 1"]),
    ("1e40-filters-and-units", "filters.yaml",
     f"input: [1, 8, 8]\nlayers:\n  - conv2d: {{filters: {10**40}, kernel_size: 3}}\n  - flatten\n"
     f"  - dense: {{units: {10**40}}}\n", 1, "LP220", ["2**63 - 1"]),
    ("1e40-everywhere", "everywhere.yaml",
     f"input: [3, {10**40}, {10**40}]\nlayers:\n  - conv2d: {{filters: 3, kernel_size: {10**40}, stride: {10**40},"
     f" padding: {10**40}, dilation: {10**40}}}\n  - upsample2d: {{scale_factor: {10**40}}}\n"
     f"  - max_pool2d: {{pool_size: {10**40}}}\n", 1, "LP220", ["2**63 - 1"]),
    ("python-tag-apply", "apply.yaml",
     "input: !!python/object/apply:os.system ['touch {marker}']\nlayers: []\n", 2, "LP006", ["not allowed"]),
    ("python-tag-name", "name.yaml", "input: [1]\nlayers: [!!python/name:os.system ]\n", 2, "LP006",
     ["not allowed"]),
    ("python-tag-new", "new.yaml",
     "input: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\nlayers: []\n", 2, "LP006",
     ["not allowed"]),
    ("local-tag", "local.yaml", "input: !shape [1, 8, 8]\nlayers: []\n", 2, "LP006", ["not allowed"]),
    ("binary-tag", "b64.yaml", "input: [1]\nname: !!binary aGVsbG8=\nlayers: []\n", 2, "LP006", ["not allowed"]),
    ("set-tag", "set.yaml", "input: [1]\nlayers: !!set {relu: null}\n", 2, "LP006", ["not allowed"]),
    ("expression-power-tower", "tower.yaml",
     "input: [1, 8, 8]\nblocks:\n  b:\n    args: {w: 2}\n    layers:\n"
     "      - conv2d: {filters: w ** w ** w ** w ** w ** w ** w, kernel_size: 1}\nlayers: [{block: b}]\n", 1, "LP108",
     ["exceeds 2**63 - 1"]),
    ("expression-code", "code.yaml",
     "input: [1, 8, 8]\nblocks:\n  b:\n    args: {w: 2}\n    layers:\n"
     "      - conv2d: {filters: \"__import__('os').system('touch {marker}') or w\", kernel_size: 1}\n"
     "layers: [{block: b}]\n", 1, "LP108", ["unexpected"]),
    ("repeat-expression-1e18", "repeat.yaml",
     "input: [1, 8, 8]\nblocks:\n  a:\n    args: {n: 1000000000000000000}\n    layers: [{block: b, repeat: n}]\n"
     "  b: [relu]\nlayers: [{block: a}]\n", 1, "LP117", ["100,000"]),
]


@pytest.mark.parametrize("case_id, filename, content, status, code, words", CASES, ids=[c[0] for c in CASES])
def test_hostile_file(tmp_path, case_id, filename, content, status, code, words):
    marker = tmp_path / "executed"
    if isinstance(content, str):
        content = content.replace("{marker}", str(marker)).encode("utf-8")
    spec = tmp_path / filename
    spec.write_bytes(content)
    run = run_layerplan("plan", str(spec), "--format", "json", timeout=SECONDS * 2)
    assert run.code == status, run.stderr
    assert "Traceback" not in run.stderr and run.stderr.strip()
    if status == 2:  # unreadable: the one-line reason is on stderr
        message = run.stderr
    else:  # read but invalid: the diagnostics are in the report, a summary line on stderr
        assert "1 error" in run.stderr
        message = " ".join(f"{d['code']} {d['message']}" for d in json.loads(run.stdout)["diagnostics"])
    assert code in message and all(word in message for word in words), message
    assert run.seconds < SECONDS and run.peak_mb < PEAK_MB, (run.seconds, run.peak_mb)
    assert not marker.exists(), "a YAML tag ran code"


TORCH = "import torch.nn as nn\n"
SLIM = "import tensorflow.compat.v1 as tf\nimport tf_slim as slim\n"


def doubled(times: int, model: str) -> str:
    """A list of layers doubled `times` times (2**60 layers for 60), then the model line."""
    return TORCH + "L = [nn.ReLU()]\n" + "L = L + L\n" * times + model + "\n"


def nested_sequentials(times: int) -> str:
    return TORCH + "s = nn.Sequential(nn.ReLU())\n" + "s = nn.Sequential(s, s)\n" * times


def diamond_classes(levels: int) -> str:
    """Each class derives from both classes of the level below: 2**levels paths to look a method up."""
    lines = [TORCH + "class C0(nn.Module):\n    pass\nclass D0(nn.Module):\n    pass\n"]
    for level in range(1, levels + 1):
        for name in "CD":
            lines.append(f"class {name}{level}(C{level - 1}, D{level - 1}):\n    pass\n")
    return "".join(lines) + f"model = nn.Sequential(nn.Linear(4, 2), C{levels}())\n"


def uses(expression: str) -> str:
    """A value the model's size depends on: the reader has to compute it."""
    return TORCH + f"N = {expression}\nmodel = nn.Sequential(nn.Linear(4, N))\n"


# Model code is read, never run; the reader's work and the size of each value it builds are bounded
# (docs/model-code.md#limits). (id, file name (::NAME), content, exit status, code, words of the message)
MODEL_CASES = [
    ("sum-of-a-huge-range", "m.py", uses("sum(range(10**12))"), 2, "LP007", ["sum()", "limit of 10,000", "line 3"]),
    ("max-of-a-huge-range", "m.py", uses("max(range(10**12))"), 2, "LP007", ["max()", "limit of 10,000"]),
    ("list-of-a-huge-range", "m.py", uses("len(list(range(10**8)))"), 2, "LP007", ["list()", "100,000,000"]),
    ("number-times-list", "m.py", uses("len(10**9 * [1])"), 2, "LP007", ["1,000,000,000 elements"]),
    ("wide-format", "m.py", uses("len('%999999999d' % 1)"), 2, "LP007", ["format wider"]),
    ("round-to-huge-digits", "m.py", uses("round(5, -10**18)"), 2, "LP007", ["round()"]),
    ("unused-list-doubled-60-times", "m.py", doubled(60, "model = nn.Sequential(nn.Linear(4, 2))"), 0, None, []),
    ("used-list-doubled-60-times", "m.py", doubled(60, "model = nn.Sequential(*L)"), 2, "LP007",
     ["16,384 elements", "limit of 10,000", "m.py:16:"]),
    ("list-shared-10000-times-twice", "m.py",
     TORCH + "a = [1] * 10000\nb = [a] * 10000\nc = [b] * 10000\n"
     "model = nn.Sequential(nn.Linear(4, 4 if c == c else 2))\n",
     2, "LP004", ["500,000 steps", "m.py:4:"]),
    ("string-of-a-shared-list", "m.py",
     TORCH + "a = [1] * 10000\nb = [a for _ in range(10000)]\nN = len(str(b))\n"
     "model = nn.Sequential(nn.Linear(4, N))\n",
     2, "LP004", ["500,000 steps"]),
    ("sequential-nested-60-times", "m.py::s", nested_sequentials(60), 2, "LP004", ["500,000 steps"]),
    ("methods-of-a-class-diamond", "m.py", diamond_classes(60), 2, "LP007", ["more than 64 classes among its bases"]),
    ("nested-loops-in-forward", "m.py",
     TORCH + "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
     "        self.fc = nn.Linear(4, 4)\n    def forward(self, x):\n        for i in range(10000):\n"
     "            for j in range(10000):\n                x = self.fc(x)\n        return x\n", 2, "LP004",
     ["500,000 steps"]),
    ("list-as-dict-key", "m.py", uses("len({[1]: 2})"), 2, "LP007", ["dict key"]),
    ("tf-slim-arg-scopes-of-10000-defaults", "m.py::net",
     SLIM + "big = {f'k{i}': i for i in range(10000)}\ndef net(inputs):\n    for i in range(10000):\n"
     "        with slim.arg_scope([slim.conv2d, slim.max_pool2d], **big):\n            pass\n"
     "    return inputs\n", 2, "LP004", ["500,000 steps"]),
    ("tf-slim-repeat-a-billion-times", "m.py::net",
     SLIM + "def net(inputs):\n    return slim.repeat(inputs, 10**9, slim.fully_connected, 4)\n", 2, "LP007",
     ["repeat() 1,000,000,000 times"]),
    ("3.8-MB-list-literal", "m.py", TORCH + "x = [" + "1," * 1_900_000 + "]\n", 2, "LP004",
     ["1,048,576 limit"]),
    ("800-kB-list-literal", "m.py", TORCH + "x = [" + "1," * 400_000 + "]\n", 2, "LP004",
     ["100,000 tokens", "m.py:2:"]),
    ("600-kB-of-statements", "m.py", TORCH + "model = nn.Sequential(nn.ReLU())\n" + "x=1\n" * 150_000, 2,
     "LP004", ["100,000 tokens"]),
    ("5000-nested-brackets", "m.py", TORCH + "x = " + "[" * 5000 + "]" * 5000 + "\n", 2, "LP002", ["nested"]),
]
#: safety bounds for one model file, far above what each takes (under 2 s and 100 MB on a loaded machine)
MODEL_SECONDS = 10
MODEL_PEAK_MB = 300


@pytest.mark.parametrize("case_id, filename, content, status, code, words", MODEL_CASES,
                         ids=[c[0] for c in MODEL_CASES])
def test_hostile_model_file(tmp_path, case_id, filename, content, status, code, words):
    name, _, selected = filename.partition("::")
    (tmp_path / name).write_text(content)
    path = str(tmp_path / name) + (f"::{selected}" if selected else "")
    run = run_layerplan("plan", path, "-i", "4", "--format", "json", timeout=SECONDS * 2)
    assert run.code == status, run.stderr
    assert "Traceback" not in run.stderr
    if code is not None:
        assert f"error {code} " in run.stderr and all(word in run.stderr for word in words), run.stderr
    assert run.seconds < MODEL_SECONDS and run.peak_mb < MODEL_PEAK_MB, (run.seconds, run.peak_mb)


@pytest.mark.parametrize("channel", ["file", "stdin"])
def test_tens_of_megabytes(tmp_path, channel):
    content = b"input: [1, 8, 8]\nlayers:\n" + b"  - relu\n" * 5_000_000  # 45 MB
    if channel == "file":
        spec = tmp_path / "huge.yaml"
        spec.write_bytes(content)
        run = run_layerplan("plan", str(spec))
    else:
        run = run_layerplan("plan", "-", stdin=content)
    assert run.code == 2 and "LP004" in run.stderr and "byte limit" in run.stderr, run.stderr
    assert run.seconds < SECONDS and run.peak_mb < PEAK_MB, (run.seconds, run.peak_mb)


def test_just_under_the_size_limit(tmp_path):
    from layerplan.planner.spec_text import MAX_SPEC_BYTES

    padding = MAX_SPEC_BYTES - 200
    spec = tmp_path / "long_name.yaml"
    spec.write_text(f"name: {'n' * padding}\ninput: [1, 8, 8]\nlayers: [relu]\n")
    run = run_layerplan("plan", str(spec), "--format", "json")
    assert run.code == 0, run.stderr
    assert run.seconds < SECONDS and run.peak_mb < PEAK_MB, (run.seconds, run.peak_mb)


@pytest.mark.parametrize("syntax", ["json", "yaml"])
def test_a_long_stack_of_layers(tmp_path, syntax):
    kinds = [{"conv2d": {"filters": 4, "kernel_size": 3, "padding": 1}}, "relu", {"dropout": {"rate": 0.1}}]
    if syntax == "json":
        spec = tmp_path / "long.json"
        spec.write_text(json.dumps({"input": [4, 8, 8], "layers": [kinds[i % 3] for i in range(LONG_STACK)]}))
    else:
        spec = tmp_path / "long.yaml"
        spec.write_text("input: [4, 8, 8]\nlayers:\n" + "  - relu\n" * LONG_STACK)
    run = run_layerplan("plan", str(spec), "--format", "jsonl", timeout=600)
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert len(report["layers"]) == LONG_STACK and report["output"] == [4, 8, 8]
    # safety bounds for the whole stack; the time grows linearly with the number of layers
    assert run.seconds < 150 * LONG_STACK / 100_000 + 10 and run.peak_mb < 2500, (run.seconds, run.peak_mb)


def test_huge_numbers_in_every_option_of_every_kind():
    """10**40 (and its negative, and 2**63) in each integer-taking option of each layer kind: planned in
    bounded time with diagnostics, never an exception or a hang."""
    from layerplan.planner import plan_data
    from layerplan.planner.kinds import KINDS

    started = time.monotonic()
    for kind in KINDS.values():
        for option in kind.options:
            for value in (10**40, -(10**40), 2**63, [10**40] * max(kind.dims, 1)):
                for framework, shape in (("torch", [3] + [16] * max(kind.dims, 1)),
                                         ("keras", [16] * max(kind.dims, 1) + [3])):
                    layer = {"type": kind.name, option.name: value}
                    report = plan_data({"framework": framework, "input": shape, "layers": [layer, "flatten"]})
                    json.dumps(report.to_dict())
    assert time.monotonic() - started < 60


HUGE = str(10**40)
COMMAND_LINES = [
    ["plan", "-i", f"1x{HUGE}x{HUGE}", "conv2d:8,3", "flatten", "dense:10"],
    ["plan", "-i", "1x28x28", f"conv2d:{HUGE},3", f"upsample:{HUGE}", f"dense:{HUGE}"],
    ["solve", "conv", "--in", HUGE, "--out", "5"],
    ["solve", "pool", "--in", HUGE, "--out", "3", "--max-kernel", "64", "--max-stride", "64"],
    ["solve", "transpose", "--in", HUGE, "--out", HUGE],
    ["solve", "conv", "--in", "28", "--out", "14", "--limit", HUGE],
    ["solve", "input", "{spec}", "--near", HUGE],  # used to try 10**40 input sizes, one plan each
    ["solve", "input", "{spec}", "--near", "28", "--span", HUGE],
    ["explain", "{huge_spec}"],
    ["diff", "{huge_spec}"],
    ["check", "{huge_spec}"],
]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=[" ".join(a)[:60] for a in COMMAND_LINES])
def test_huge_numbers_on_the_command_line(tmp_path, argv):
    """10**40 wherever a command takes a number: a bounded run with a defined status."""
    from fuzzing import assert_well_behaved, invoke

    spec = tmp_path / "spec.yaml"
    spec.write_text("input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3, padding: same}\n"
                    "  - max_pool2d: 2\n")
    huge_spec = tmp_path / "huge.yaml"
    huge_spec.write_text(f"input: [1, {HUGE}, 28]\nlayers:\n  - conv2d: {{filters: {HUGE}, kernel_size: 3}}\n")
    args = [a.format(spec=spec, huge_spec=huge_spec) for a in argv]
    started = time.monotonic()
    code, out, err = invoke(args)
    assert_well_behaved(code, out, err, stderr_on_failure=argv[0] == "plan", context=repr(args))
    assert time.monotonic() - started < SECONDS
