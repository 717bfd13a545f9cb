"""Porting split, chunk and the shape operations to the other layout (`port`, `diff`): their `port` hooks.

A port is exact when the ported layer, run on the ported input, gives the ported output: the same
sample with the channel axis moved (C, H, W) <-> (H, W, C). Where the other framework's operation
cannot give that, the port's LP501 says why and what would match.
"""

from hypothesis import given, settings, strategies as st
import pytest

from layerplan.planner.port import move_channels, port_spec

T, K = "torch", "keras"

# (source framework, sample shape, layer, the ported layer's options (None: not exact), note text)
CASES = [
    (T, [8, 4, 6], {"split": {"sizes": [3, 5], "dim": 1}}, {"sizes": [3, 5], "axis": 3}, "axis=3"),
    (T, [8, 4, 6], {"split": {"split_size": 3, "dim": -1}}, {"sections": 2, "axis": 2}, None),
    (T, [8, 4, 6], {"split": {"split_size": 3, "dim": 1}}, {"sizes": [3, 3, 2], "axis": 3}, None),
    (T, [7, 4], {"split": {"split_size": 3, "dim": 1}}, {"sizes": [3, 3, 1], "axis": 2}, None),
    (K, [4, 6, 8], {"split": {"sections": 2, "axis": -1}}, {"sizes": [4, 4], "axis": 1}, None),
    (K, [4, 6, 8], {"split": {"indices": [1, 3], "axis": 1}}, {"sizes": [1, 2, 1], "axis": 2}, None),
    (T, [116, 7, 7], {"chunk": {"chunks": 2, "dim": 1}}, {"chunks": 2, "axis": 3}, "axis=3"),
    (T, [5, 7, 7], {"chunk": {"chunks": 2, "dim": 1}}, None, "split with sizes: [3, 2]"),
    (T, [1, 7], {"chunk": {"chunks": 2, "dim": 1}}, None, "split with sizes: [1]"),
    (K, [7, 7, 116], {"chunk": {"chunks": 2, "axis": 3}}, {"chunks": 2, "axis": 1}, None),
    (T, [8, 1, 5], {"squeeze": {"dim": 2}}, {"axis": 1}, None),
    (T, [8, 1, 1], {"squeeze": {"dim": [2, 3]}}, {"axis": [1, 2]}, None),
    (T, [1, 4, 5], {"squeeze": {"dim": 1}}, None, "removes the channel axis"),
    (T, [1, 5], {"squeeze": {"dim": 1}}, {"axis": 2}, None),  # (1, L) -> (L): the other layout's (L, 1) -> (L)
    (K, [4, 1, 8], {"squeeze": {"axis": 2}}, {"axis": 3}, None),
    (T, [8, 5], {"unsqueeze": {"dim": 2}}, {"axis": 1}, None),
    (T, [8, 5], {"unsqueeze": {"dim": -1}}, {"axis": 2}, None),
    (T, [8, 5], {"unsqueeze": {"dim": 1}}, None, "the new axis takes the channel place"),
    (T, [8], {"unsqueeze": {"dim": 2}}, {"axis": 1}, None),  # (F) -> (F, 1) is (1, F) channels last
    (K, [5, 8], {"expand_dims": {"axis": 3}}, None, "the new axis takes the channel place"),
    (K, [5, 8], {"expand_dims": {"axis": 1}}, {"axis": 2}, None),
    (T, [8, 4, 5], {"transpose": {"dim0": 2, "dim1": 3}}, {"dim0": 1, "dim1": 2}, None),
    (T, [8, 4, 5], {"transpose": {"dim0": 1, "dim1": 2}}, {"dim0": 3, "dim1": 1}, None),  # C<->H is H<->C
    (T, [8, 3, 4, 5], {"transpose": {"dim0": 1, "dim1": 2}}, {"dim0": 4, "dim1": 1}, None),
    (K, [4, 5, 8], {"swapaxes": {"axis1": 1, "axis2": -2}}, {"dim0": 2, "dim1": 3}, None),
    (T, [8, 4, 5], {"permute": {"dims": [0, 1, 3, 2]}}, {"dims": [2, 1, 3]}, None),
    (T, [8, 4, 5], {"permute": {"dims": [0, 2, 3, 1]}}, {"dims": [2, 3, 1]}, None),
    (K, [4, 5, 8], {"permute": {"dims": [3, 1, 2]}}, {"dims": [0, 3, 1, 2]}, None),
    (T, [8, 6], {"unflatten": {"dim": 2, "sizes": [2, 3]}}, {"axis": 1, "sizes": [2, 3]}, None),
    (T, [8, 6], {"unflatten": {"dim": 1, "sizes": [2, 4]}}, None, "reshape: {target_shape: [4, 6, 2]}"),
    (T, [4, 5], {"squeeze": {"dim": 2}}, None, "keras.ops.squeeze refuses it: leave the layer out"),
    (T, [1, 5], {"squeeze": {"dim": [1, 2]}}, {"axis": 2}, None),  # torch leaves axis 2 (size 5): left out
    (T, [8, 4, 5], {"flatten": {"start_dim": 1}}, {}, "every sample axis"),
    (T, [8, 4, 5], {"flatten": {"start_dim": 2}}, None, "reshape: {target_shape: [20, 8]}"),
]


def _port(framework, shape, layer):
    port = port_spec({"framework": framework, "input": shape, "layers": [layer]})
    written = port.data["layers"][0]
    options = {} if isinstance(written, str) else dict(next(iter(written.values())) or {})
    return port, port.layers[0], options


@pytest.mark.parametrize("framework, shape, layer, options, note", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_port(framework, shape, layer, options, note):
    port, row, written = _port(framework, shape, layer)
    if options is None:
        assert row.exact is False and note in row.problem, row.problem
        return
    assert row.exact, row.problem
    assert _canonical(next(iter(layer)), written) == options
    target = port.target_report.layers[0]
    source = port.source_report.layers[0]
    assert list(map(list, target.output_shapes)) == [move_channels(list(s), framework) for s in source.output_shapes]


def _canonical(type_name, written):
    """The written options by canonical name (the port writes the target framework's keywords)."""
    from layerplan.planner.kinds import resolve_type

    kind = resolve_type(type_name, None)
    names = {alias: option.name for option in kind.options for alias in (option.name, *option.aliases)}
    return {names.get(k, k): v for k, v in written.items()}


OPS = st.sampled_from(["squeeze", "unsqueeze", "transpose", "permute", "split", "chunk", "unflatten"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=4), OPS, st.randoms(use_true_random=False))
def test_an_exact_port_gives_the_same_sample_in_the_other_layout(shape, kind, rng):
    rank = len(shape)
    axis = rng.randint(1, rank)
    order = rng.sample(range(1, rank + 1), rank)
    layer = {"squeeze": {"squeeze": {"dim": [k + 1 for k, v in enumerate(shape) if v == 1] or axis}},
             "unsqueeze": {"unsqueeze": {"dim": rng.randint(1, rank + 1)}},
             "transpose": {"transpose": {"dim0": axis, "dim1": rng.randint(1, rank)}},
             "permute": {"permute": {"dims": [0, *order]}},
             "split": {"split": {"split_size": rng.randint(1, 6), "dim": axis}},
             "chunk": {"chunk": {"chunks": rng.randint(1, 4), "dim": axis}},
             "unflatten": {"unflatten": {"dim": axis, "sizes": [1, shape[axis - 1]]}}}[kind]
    port, row, _ = _port("torch", shape, layer)
    if row.exact is None:
        return  # torch rejects it
    # exact, or the port says why not and what would do (a reshape, split sizes, leaving it out)
    assert row.exact or any(text in row.problem for text in ("matches torch", "leave the layer out")), row.problem
    assert row.exact or _two_outputs_differ(row.problem), row.problem
    if not row.exact:
        return
    source, target = port.source_report.layers[0], port.target_report.layers[0]
    assert [list(s) for s in target.output_shapes] == [move_channels(list(s), "torch") for s in source.output_shapes]
    # and back: the keras spec ported to torch is the torch plan again
    back = port_spec(port.data)
    assert back.layers[0].exact and back.target_report.layers[0].output_shapes == source.output_shapes


def _two_outputs_differ(problem: str) -> bool:
    """An inexact port's message names two outputs that read differently ('3x5 as (C, L)' and '3x5 as (L, C)')."""
    import re

    found = re.match(r"\w+ gives (.*?) where \w+ gives (.*?): ", problem)
    return found is not None and found.group(1) != found.group(2)


def test_repeat_vector_says_which_transpose_matches():
    port = port_spec({"framework": "keras", "input": [5], "layers": [{"repeat_vector": 3}]})
    assert port.layers[0].exact is False and port.layers[0].problem == (
        "torch gives 3x5 as (C, L) where keras gives 3x5 as (L, C): repeat_vector gives 3x5 (n x F) in both: keras "
        "reads it as 3 steps of 5 features, torch as 3 channels of length 5; transpose: {dim0: 1, dim1: 2} after it "
        "matches keras")
    assert port_spec({"framework": "keras", "input": [4], "layers": [{"repeat_vector": 4}]}).exact  # n = F
