"""Solvers: every answer re-planned by the engine, and nothing missed on small ranges (brute force).

The brute force does not use the solver's formulas: it plans each candidate layer with the engine
(one 1-D layer on a (1, L) or (L, 1) input) and checks coverage by simulating where every window
(or transposed-conv stamp) lands.
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layerplan.planner import plan_data
from layerplan.planner.solve import Combo, Ranges, layer_fix, solve_expect, solve_input, solve_layer

SMALL = Ranges(max_kernel=5, max_stride=3, max_dilation=2)
TYPES = {"conv": "conv1d", "pool": "max_pool1d", "conv_transpose": "conv_transpose1d"}


def plan_one(kind: str, framework: str, length: int, options: dict):
    shape = [1, length] if framework == "torch" else [length, 1]
    layer = {TYPES[kind]: {"filters": 1, **options} if kind != "pool" else dict(options)}
    return plan_data({"framework": framework, "input": shape, "layers": [layer]})


def simulated_coverage(kind: str, length: int, out: int, kernel: int, stride: int, dilation: int,
                       before: int) -> bool:
    """Every input cell reaches the output and (transposed) every output cell gets an input."""
    if kind == "conv_transpose":
        written, reached = set(), set()
        for i in range(length):
            for t in range(kernel):
                o = i * stride - before + t * dilation
                if 0 <= o < out:
                    written.add(o)
                    reached.add(i)
        return len(written) == out and len(reached) == length
    read = {j * stride - before + t * dilation for j in range(out) for t in range(kernel)}
    return all(cell in read for cell in range(length))


def tf_transpose_pad(length, out, kernel, stride, dilation, padding):
    k_eff = dilation * (kernel - 1) + 1
    return max((length - 1) * stride + k_eff - out, 0) // 2 if padding == "same" else 0


def candidate_options(kind: str, framework: str, ranges: Ranges):
    """The whole search space, as spec options."""
    dilations = [1] if kind == "pool" else list(ranges.dilations())
    for k, s, d in itertools.product(ranges.kernels(), ranges.strides(), dilations):
        k_eff = d * (k - 1) + 1
        base = {"kernel_size" if kind != "pool" else "pool_size": k, "stride": s}
        if d > 1:
            base["dilation"] = d
        if framework == "keras":
            paddings = ["valid", "same"]
        elif kind == "pool":
            paddings = list(range(k // 2 + 1))
        else:
            paddings = list(range(k_eff)) + (["same"] if kind == "conv" and s == 1 else [])
        for p in paddings:
            if kind == "conv_transpose":
                ops = [None, *range(s)] if framework == "keras" else list(range(max(s, d)))
                for op in ops:
                    yield {**base, "padding": p, **({} if op is None else {"output_padding": op})}
            elif kind == "pool" and framework == "torch":
                yield {**base, "padding": p}
                yield {**base, "padding": p, "ceil_mode": True}
            else:
                yield {**base, "padding": p}


def valid_outputs(kind: str, framework: str, length: int, ranges: Ranges) -> dict:
    """Every candidate the engine plans with no error, no dropped input (by simulation) and no warning that
    some TensorFlow kernels reject it (the solver suggests only what runs everywhere): key -> output."""
    found = {}
    for options in candidate_options(kind, framework, ranges):
        report = plan_one(kind, framework, length, options)
        if not report.ok or any(d.name in ("dropped-input", "stride-exceeds-kernel", "transpose-dilation") for d in report.diagnostics):
            continue
        out = report.output[-1] if framework == "torch" else report.output[0]
        k = options.get("kernel_size") or options["pool_size"]
        s, d = options["stride"], options.get("dilation", 1)
        if options.get("ceil_mode"):
            # ceil_mode counts only where it changes the size (else it is the same combination spelled longer)
            floor = plan_one(kind, framework, length, {**options, "ceil_mode": False})
            if floor.ok and (floor.output[-1] == out):
                continue
        if kind == "conv_transpose":
            before = options["padding"] if framework == "torch" else tf_transpose_pad(
                length, out, k, s, d, options["padding"])
        else:
            before = report.layers[0].geometry[0].pad_before
        if simulated_coverage(kind, length, out, k, s, d, before):
            found[_key(kind, framework, options)] = out
    return found


def brute_force(kind: str, framework: str, length: int, target: int, ranges: Ranges) -> set:
    return {key for key, out in valid_outputs(kind, framework, length, ranges).items() if out == target}


def _key(kind, framework, options) -> tuple:
    k = options.get("kernel_size") or options.get("pool_size")
    op = options.get("output_padding")
    if framework == "torch" and op == 0:
        op = None  # torch's default
    return (k, options.get("stride", k if kind == "pool" else 1), options.get("padding", 0 if framework == "torch"
            else "valid"), options.get("dilation", 1), op, bool(options.get("ceil_mode")))


def combo_key(combo: Combo) -> tuple:
    return (combo.kernel, combo.stride, combo.padding, combo.dilation, combo.output_padding, combo.ceil_mode)


BRUTE_CASES = [
    (kind, framework, length, target)
    for kind, framework in itertools.product(("conv", "pool", "conv_transpose"), ("torch", "keras"))
    for length, target in ({"conv": [(28, 14), (28, 28), (9, 4), (7, 3), (10, 10)],
                            "pool": [(28, 14), (7, 4), (9, 3), (10, 5), (5, 3)],
                            "conv_transpose": [(7, 14), (7, 15), (4, 12), (5, 9), (6, 6)]}[kind])
]


@pytest.mark.parametrize("kind, framework, length, target", BRUTE_CASES)
def test_solver_finds_exactly_the_brute_force_set(kind, framework, length, target):
    solution = solve_layer(kind, length, target, framework, SMALL)
    solved = {combo_key(c) for c in solution.combos}
    assert len(solved) == len(solution.combos), "no combination listed twice"
    assert solved == brute_force(kind, framework, length, target, SMALL)


@pytest.mark.parametrize("kind, framework, length, target", BRUTE_CASES)
def test_every_answer_replans_to_the_target(kind, framework, length, target):
    for combo in solve_layer(kind, length, target, framework, SMALL).combos:
        report = plan_one(kind, framework, length, combo.options())
        assert report.ok, (combo, report.diagnostics)
        assert report.output[-1 if framework == "torch" else 0] == target, combo
        assert not [d for d in report.diagnostics if d.name in ("dropped-input", "stride-exceeds-kernel")]


def test_simplest_first_and_framework_spelling():
    torch = solve_layer("conv", 28, 14, "torch").combos
    assert torch[0].text("torch") == "kernel_size=2, stride=2"
    assert torch[1].text("torch") == "kernel_size=3, stride=2, padding=1"
    keras = solve_layer("conv", 28, 14, "keras").combos
    assert all("strides=" in c.text("keras") and "stride=" not in c.text("keras").replace("strides=", "")
               for c in keras)
    assert all(c.dilation == 1 for c in torch[:6])


@pytest.mark.parametrize("kind, framework, length, target", [
    ("pool", "keras", 28, 5), ("conv", "torch", 28, 1), ("conv_transpose", "torch", 7, 100),
])
def test_impossible_reports_the_nearest_reachable_sizes(kind, framework, length, target):
    solution = solve_layer(kind, length, target, framework)
    assert not solution.possible
    reachable = set(valid_outputs(kind, framework, length, solution.ranges).values())
    below = max((r for r in reachable if r < target), default=None)
    above = min((r for r in reachable if r > target), default=None)
    assert (solution.below.output if solution.below else None) == below
    assert (solution.above.output if solution.above else None) == above


# ---------------------------------------------------------------------------------------------
# fixes attached to diagnostics
# ---------------------------------------------------------------------------------------------

def _layer_call(spec):
    from layerplan.planner.kinds import LayerCall, resolve_type
    from layerplan.planner.plan import bind_options
    from layerplan.planner.spec import build_spec

    built = build_spec(spec)
    entry = built.layers[0]
    kind = resolve_type(entry.type_name, len(built.input))
    options, given, _ = bind_options(kind, entry, built.framework)
    return kind, LayerCall(built.input, options, built.framework, kind.dims, frozenset(given), kind.family)


FIX_CASES = [
    ({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "stride": 2}}]}, "dropped-input"),
    ({"framework": "keras", "input": [7, 7, 3], "layers": [{"max_pool2d": {"pool_size": 2}}]}, "dropped-input"),
    ({"input": [1, 7, 7], "layers": [{"max_pool2d": 2}]}, "dropped-input"),
    ({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 8, "kernel_size": 3, "stride": 2, "padding": "same"}}]},
     "same-with-stride"),
    ({"input": [1, 3, 3], "layers": [{"conv2d": {"filters": 8, "kernel_size": 5}}]}, "kernel-too-large"),
    ({"input": [1, 2, 2], "layers": [{"conv_transpose2d": {"filters": 1, "kernel_size": 2, "padding": 3}}]},
     "non-positive-output"),
]


@pytest.mark.parametrize("spec, name", FIX_CASES)
def test_fix_removes_the_diagnostic_when_applied(spec, name):
    report = plan_data(spec)
    diagnostic = next(d for d in report.diagnostics if d.name == name)
    assert diagnostic.fix, f"no fix for {name}"
    kind, call = _layer_call(spec)
    fix = layer_fix(kind, call, name)
    assert fix.text() == diagnostic.fix
    (type_name, options), = spec["layers"][0].items() if isinstance(spec["layers"][0], dict) else []
    options = options if isinstance(options, dict) else {"pool_size": options}
    fixed = plan_data({**spec, "layers": [{"type": type_name, **options, **fix.changes}]})
    assert fixed.ok and not any(d.name == name for d in fixed.diagnostics), fixed.diagnostics
    assert fixed.output == fix.output


def test_layer_expect_gets_the_output_padding_that_meets_it():
    spec = {"input": [16, 14, 14], "layers": [{"conv_transpose2d": {"filters": 1, "kernel_size": 3, "stride": 2,
                                                                    "padding": 1}, "expect": [1, 28, 28]}]}
    report = plan_data(spec)
    (diagnostic,) = [d for d in report.diagnostics if d.name == "expect-failed"]
    assert diagnostic.fix == "output_padding=1 gives 1x28x28"
    assert "fix" in diagnostic.to_dict()


@settings(max_examples=150, deadline=None)
@given(length=st.integers(3, 40), kernel=st.integers(1, 6), stride=st.integers(1, 4), pad=st.integers(0, 3),
       framework=st.sampled_from(["torch", "keras"]), pool=st.booleans())
def test_every_offered_fix_holds(length, kernel, stride, pad, framework, pool):
    if pool:
        options = {"pool_size": kernel, "stride": stride, "padding": pad if framework == "torch" else "valid"}
        layer = {"max_pool1d": options}
    else:
        options = {"filters": 2, "kernel_size": kernel, "stride": stride,
                   "padding": pad if framework == "torch" else "valid"}
        layer = {"conv1d": options}
    shape = [1, length] if framework == "torch" else [length, 1]
    spec = {"framework": framework, "input": shape, "layers": [layer]}
    report = plan_data(spec)
    for diagnostic in report.diagnostics:
        if diagnostic.fix is None:
            continue
        kind, call = _layer_call(spec)
        fix = layer_fix(kind, call, diagnostic.name)
        (type_name,) = layer
        fixed = plan_data({**spec, "layers": [{"type": type_name, **options, **fix.changes}]})
        assert fixed.ok, (diagnostic, fix, fixed.diagnostics)
        assert fixed.output == fix.output
        assert not any(d.name == diagnostic.name for d in fixed.diagnostics)


# ---------------------------------------------------------------------------------------------
# per network
# ---------------------------------------------------------------------------------------------

UNET_DOWN = {"input": [1, 54, 54], "layers": [
    {"conv2d": {"filters": 4, "kernel_size": 3}}, {"max_pool2d": 2},
    {"conv2d": {"filters": 4, "kernel_size": 3}}, {"max_pool2d": 2},
    {"conv2d": {"filters": 4, "kernel_size": 3}},
]}


def clean(spec) -> bool:
    report = plan_data(spec)
    return report.ok and not any(d.name == "dropped-input" for d in report.diagnostics)


@pytest.mark.parametrize("axis", ["all", "H", "W"])
def test_solve_input_matches_planning_every_size(axis):
    solution = solve_input(UNET_DOWN, 50, axis=axis, span=20)
    expected = []
    for size in range(30, 71):
        shape = [1, size, size] if axis == "all" else [1, size, 54] if axis == "H" else [1, 54, size]
        if clean({**UNET_DOWN, "input": shape}):
            expected.append(size)
    assert solution.valid == expected
    assert solution.rule == (4, 2)  # conv -2, pool /2, conv -2, pool /2: sizes 2 more than a multiple of 4


def test_solve_input_respects_expects():
    spec = {**UNET_DOWN, "expect": {"output": [4, 10, 10]}}
    assert solve_input(spec, 50, span=20).valid == [54]  # 54 -> 52 -> 26 -> 24 -> 12 -> 10
    assert solve_input(spec, 50, span=20, shape_expects=False).valid == solve_input(UNET_DOWN, 50, span=20).valid


def test_solve_expect_answers_replan_cleanly():
    spec = {"framework": "keras", "input": [28, 28, 1], "expect": {"output": [28, 28, 1]}, "layers": [
        {"conv2d": {"filters": 4, "kernel_size": 3, "padding": "same"}}, {"max_pool2d": {"padding": "same"}},
        {"max_pool2d": {"padding": "same"}}, {"max_pool2d": {"padding": "same"}},
        {"upsample2d": 2}, {"upsample2d": 2}, {"upsample2d": 2},
        {"conv2d": {"filters": 1, "kernel_size": 3, "padding": "same"}}]}
    fixes = solve_expect(spec)
    assert fixes
    for fix in fixes:
        layers = list(spec["layers"])
        (type_name, options), = layers[fix.layer - 1].items()
        layers[fix.layer - 1] = {"type": type_name, **options, **fix.changes}
        assert clean({**spec, "layers": layers}), fix.text()


@pytest.mark.parametrize("data, axis, near", [
    ({"input": [1, 64, 64], "layers": [{"max_pool2d": 2}]}, "all", 64),
    ({"input": [1, 48, 96], "layers": [{"max_pool2d": 2}]}, "all", 96),
    ({"input": [1, 48, 96], "layers": [{"max_pool2d": 2}]}, "H", 48),
    ({"framework": "keras", "input": [100, 3], "layers": [{"max_pool1d": 2}]}, "all", 100),
])
def test_solve_input_without_near_starts_at_the_spec_input(data, axis, near):
    solution = solve_input(data, axis=axis, span=4)
    assert solution.near == near and (solution.lo, solution.hi) == (near - 4, near + 4)


def test_solve_input_command_without_near_uses_the_spec_input(tmp_path):
    from click.testing import CliRunner

    from layerplan.main import cli

    spec = tmp_path / "net.yaml"
    spec.write_text("input: [1, 60, 60]\nlayers: [max_pool2d: 2, max_pool2d: 2]\n")
    result = CliRunner().invoke(cli, ["solve", "input", str(spec), "--span", "4", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"near": 60' in result.stdout and '"nearest": [\n    60\n  ]' in result.stdout
