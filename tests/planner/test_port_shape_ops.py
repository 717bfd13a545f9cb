"""Porting split, chunk and the shape operations to the other layout (`diff`): each kind's `port` hook.

A port is exact when the ported layer, run on the ported input, gives the ported output: the same
sample with the channel axis moved (C, H, W) <-> (H, W, C). Where the other framework's operation
cannot give that, the note says "not ported exactly" and what would.
"""

from hypothesis import given, settings, strategies as st
import pytest

from layerplan.planner.port import compare_data, move_channels

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
    (T, [8, 5], {"unsqueeze": {"dim": 1}}, None, "new axis where the channel axis was"),
    (T, [8], {"unsqueeze": {"dim": 2}}, {"axis": 1}, None),  # (F) -> (F, 1) is (1, F) channels last
    (K, [5, 8], {"expand_dims": {"axis": 3}}, None, "new axis where the channel axis was"),
    (K, [5, 8], {"expand_dims": {"axis": 1}}, {"axis": 2}, None),
    (T, [8, 4, 5], {"transpose": {"dim0": 2, "dim1": 3}}, {"dim0": 1, "dim1": 2}, None),
    (T, [8, 4, 5], {"transpose": {"dim0": 1, "dim1": 2}}, {"dim0": 1, "dim1": 3}, None),  # C<->H is H<->C
    (T, [8, 3, 4, 5], {"transpose": {"dim0": 1, "dim1": 2}}, {"dim0": 1, "dim1": 4}, None),
    (K, [4, 5, 8], {"swapaxes": {"axis1": 1, "axis2": -2}}, {"dim0": 2, "dim1": 3}, None),
    (T, [8, 4, 5], {"permute": {"dims": [0, 1, 3, 2]}}, {"dims": [2, 1, 3]}, None),
    (T, [8, 4, 5], {"permute": {"dims": [0, 2, 3, 1]}}, {"dims": [2, 3, 1]}, None),
    (K, [4, 5, 8], {"permute": {"dims": [3, 1, 2]}}, {"dims": [0, 3, 1, 2]}, None),
    (T, [8, 6], {"unflatten": {"dim": 2, "sizes": [2, 3]}}, {"axis": 1, "sizes": [2, 3]}, None),
    (T, [8, 6], {"unflatten": {"dim": 1, "sizes": [2, 4]}}, None, "reshape: {target_shape: [4, 6, 2]}"),
    (T, [4, 5], {"squeeze": {"dim": 2}}, None, "keras.ops.squeeze raises"),
    (T, [1, 5], {"squeeze": {"dim": [1, 2]}}, {"axis": 2}, "leaves axis 2"),
    (T, [8, 4, 5], {"flatten": {"start_dim": 1}}, {}, "every sample axis"),
    (T, [8, 4, 5], {"flatten": {"start_dim": 2}}, None, "reshape: {target_shape: [20, 8]}"),
]


def _ported(framework, shape, layer):
    data = compare_data({"framework": framework, "input": shape, "layers": [layer]})
    converted = data["converted_spec"]["layers"][0]
    options = {} if isinstance(converted, str) else {k: v for k, v in converted.items() if k != "type"}
    return data, data["layers"][0], options


@pytest.mark.parametrize("framework, shape, layer, options, note", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_port(framework, shape, layer, options, note):
    data, row, ported = _ported(framework, shape, layer)
    if note is not None:
        assert note in (row["ported"] or ""), row["ported"]
    if options is None:
        assert row["ported"].startswith("not ported exactly"), row["ported"]
        return
    assert ported == options
    other = "keras" if framework == "torch" else "torch"
    source, target = row[framework], row[other]
    if "outputs" in source:
        assert target["outputs"] == [move_channels(s, framework) for s in source["outputs"]]
    else:
        assert target["output"] == move_channels(source["output"], framework)
    assert all(d.startswith("flatten order") for d in row["differences"]), row["differences"]


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
    data, row, _ = _ported("torch", shape, layer)
    if (row["ported"] or "").startswith("not ported exactly") or row["torch_error"]:
        return
    assert not row["keras_error"], (layer, row)
    torch_side, keras_side = row["torch"], row["keras"]
    if "outputs" in torch_side:
        assert keras_side["outputs"] == [move_channels(s, "torch") for s in torch_side["outputs"]]
    else:
        assert keras_side["output"] == move_channels(torch_side["output"], "torch")
    # and back: the keras spec ported to torch is the torch plan again
    back = compare_data(data["converted_spec"])["layers"][0]
    assert not (back["ported"] or "").startswith("not ported exactly") and back["torch"] == torch_side


def test_differences_of_parts_and_of_repeat_vector():
    from types import SimpleNamespace

    from layerplan.planner.kinds import KINDS

    split = KINDS["split"].differences
    same = split(SimpleNamespace(outputs=((3, 4, 4), (5, 4, 4))), SimpleNamespace(outputs=((4, 4, 3), (4, 4, 5))))
    assert same == ("", [])
    assert split(SimpleNamespace(outputs=((2, 4), (2, 4), (1, 4))), SimpleNamespace(outputs=((4, 3), (4, 2))))[1] == \
        ["outputs: torch 3 (2x4, 2x4, 1x4), keras 2 (4x3, 4x2)"]
    row = compare_data({"framework": "keras", "input": [5], "layers": [{"repeat_vector": 3}]})["layers"][0]
    assert row["differences"] == ["shape: torch 3x5, keras 3x5", "repeat_vector gives 3x5 (n x F) in both: keras reads it as 3 steps of 5 features, "
                                  "torch as 3 channels of length 5; a torch sequence layer after it wants "
                                  "x.transpose(1, 2)"]
