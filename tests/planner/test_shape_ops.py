"""Split, chunk and the shape operations, per framework: outputs, and what each framework rejects.

Each row: framework, sample shape, layer, and the expected output (a list of shapes for a layer with
several outputs) or the diagnostic name of the error (or warning) the framework's behaviour gives.
"""

import pytest

from layerplan.planner import plan_data

T, K = "torch", "keras"

CASES = [
    # split: torch.split with sizes or one size; keras.ops.split with sections or sizes
    (T, [6, 4], {"split": {"sizes": [2, 4], "dim": 1}}, [(2, 4), (4, 4)]),
    (T, [6, 4], {"split": {"split_size": 4, "dim": 1}}, [(4, 4), (2, 4)]),
    (T, [6, 4], {"split": {"split_size": 9, "dim": -1}}, [(6, 4)]),
    (T, [6, 4], {"split": {"sizes": [2, 3], "dim": 1}}, "split-mismatch"),
    (T, [6, 4], {"split": {"sizes": [2, 4], "dim": 0}}, "bad-axis"),
    (T, [6, 4], {"split": {"sizes": [2, 4], "dim": 3}}, "bad-axis"),
    (T, [6, 4], {"split": {"sections": 2, "dim": 1}}, "option-not-in-framework"),
    (T, [6, 4], {"split": {"dim": 1}}, "missing-option"),
    (T, [6, 4], {"split": {"sizes": [2, 4], "split_size": 2, "dim": 1}}, "conflicting-options"),
    (K, [6, 4], {"split": {"sections": 2, "axis": 1}}, [(3, 4), (3, 4)]),
    (K, [6, 4], {"split": {"sections": 4, "axis": 1}}, "split-mismatch"),
    (K, [6, 4], {"split": {"sizes": [1, 3], "axis": -1}}, [(6, 1), (6, 3)]),
    (K, [6, 4], {"split": {"split_size": 2, "axis": 1}}, "option-not-in-framework"),
    # the frameworks' own keywords, read as the framework reads them: a number is torch.split's part size
    # and tf.split's count of equal parts; a list is the parts' sizes in both
    (T, [5, 4], {"split": {"split_size_or_sections": 2, "dim": 1}}, [(2, 4), (2, 4), (1, 4)]),
    (T, [5, 4], {"split": {"split_size_or_sections": [2, 3], "dim": 1}}, [(2, 4), (3, 4)]),
    (T, [5, 4], {"split": {"num_or_size_splits": 2, "dim": 1}}, "option-not-in-framework"),
    (T, [5, 4], {"split": {"split_size_or_sections": 2, "split_size": 2, "dim": 1}}, "conflicting-options"),
    (K, [4, 6], {"split": {"num_or_size_splits": 2, "axis": -1}}, [(4, 3), (4, 3)]),
    (K, [4, 5], {"split": {"num_or_size_splits": 2, "axis": -1}}, "split-mismatch"),
    (K, [4, 5], {"split": {"num_or_size_splits": [2, 3], "axis": -1}}, [(4, 2), (4, 3)]),
    (K, [4, 5], {"split": {"Num_Or_Size_Splits": [2, 3], "axis": -1}}, [(4, 2), (4, 3)]),
    (K, [4, 5], {"split": {"split_size_or_sections": 2, "axis": -1}}, "option-not-in-framework"),
    (K, [4, 5], {"split": {"num_or_size_splits": "2", "axis": -1}}, "bad-option-value"),
    # keras.ops.split with a list: split points, as numpy.split
    (K, [7, 3], {"split": {"indices": [2, 5], "axis": 1}}, [(2, 3), (3, 3), (2, 3)]),
    (K, [7, 3], {"split": {"indices": [3], "axis": -1}}, "split-mismatch"),  # an empty last part
    (K, [7, 3], {"split": {"indices": [1], "axis": -1}}, [(7, 1), (7, 2)]),
    (K, [7, 3], {"split": {"indices": [5, 2], "axis": 1}}, "split-mismatch"),
    (K, [7, 3], {"split": {"indices": [7], "axis": 1}}, "split-mismatch"),
    (K, [7, 3], {"split": {"indices_or_sections": [2, 5], "axis": 1}}, "bad-option-value"),
    (K, [7, 3], {"split": {"indices": [2], "sections": 7, "axis": 1}}, "conflicting-options"),
    (T, [7, 3], {"split": {"indices": [2], "dim": 1}}, "option-not-in-framework"),
    # chunk: torch.chunk may return fewer chunks than asked; keras.ops.split needs equal parts
    (T, [5, 4], {"chunk": {"chunks": 5, "dim": 1}}, [(1, 4)] * 5),
    (T, [5, 4], {"chunk": {"chunks": 3, "dim": 1}}, [(2, 4), (2, 4), (1, 4)]),
    (T, [116, 7, 7], {"chunk": {"chunks": 2, "dim": 1}}, [(58, 7, 7), (58, 7, 7)]),
    (T, [5, 4], {"chunk": {"chunks": 4, "dim": 1}}, "fewer-chunks"),
    (T, [6, 4], {"chunk": {"chunks": 4, "dim": 1}}, "fewer-chunks"),
    (T, [3, 4], {"chunk": {"chunks": 8, "dim": 2}}, "fewer-chunks"),
    (K, [7, 7, 116], {"chunk": {"chunks": 2, "axis": -1}}, [(7, 7, 58), (7, 7, 58)]),
    (K, [5, 4], {"chunk": {"chunks": 4, "axis": 1}}, "split-mismatch"),
    # squeeze: torch leaves an axis of another size in place (warned); keras raises
    (T, [1], {"squeeze": {"dim": 1}}, ()),
    (T, [3, 1, 4], {"squeeze": {"dim": -2}}, (3, 4)),
    (T, [1, 3, 1], {"squeeze": {"dim": [1, 3]}}, (3,)),
    (T, [3, 4], {"squeeze": {"dim": 1}}, "squeeze-no-op"),
    (T, [1, 3, 1], {"squeeze": {"dim": [1, 1]}}, "bad-axis"),
    (T, [1, 3], {"squeeze": {"dim": 0}}, "bad-axis"),
    (K, [3, 1], {"squeeze": {"axis": 2}}, (3,)),
    (K, [3, 4], {"squeeze": {"axis": 1}}, "bad-axis"),
    # unsqueeze / expand_dims
    (T, [3, 4], {"unsqueeze": {"dim": 1}}, (1, 3, 4)),
    (T, [3, 4], {"unsqueeze": {"dim": -1}}, (3, 4, 1)),
    (T, [3, 4], {"unsqueeze": {"dim": 3}}, (3, 4, 1)),
    (T, [3, 4], {"unsqueeze": {"dim": 4}}, "bad-axis"),
    (T, [3, 4], {"unsqueeze": {"dim": 0}}, "bad-axis"),
    (K, [3, 4], {"expand_dims": {"axis": 2}}, (3, 1, 4)),
    # permute: torch lists the batch first; keras Permute is 1-based without the batch
    (T, [4, 2, 3], {"permute": {"dims": [0, 2, 3, 1]}}, (2, 3, 4)),
    (T, [4, 2, 3], {"permute": {"dims": [0, -1, 1, 2]}}, (3, 4, 2)),
    (T, [4, 2, 3], {"permute": {"dims": [1, 0, 2, 3]}}, "bad-axis"),
    (T, [4, 2, 3], {"permute": {"dims": [0, 2, 1]}}, "bad-axis"),
    (T, [4, 2, 3], {"permute": {"dims": [0, 2, 2, 1]}}, "bad-axis"),
    (K, [4, 2, 3], {"Permute": {"dims": [3, 1, 2]}}, (3, 4, 2)),
    (K, [4, 2, 3], {"permute": {"dims": [0, 2, 1, 3]}}, "bad-axis"),
    (K, [4, 2, 3], {"permute": {"dims": [2, 1]}}, "bad-axis"),
    # transpose / swapaxes
    (T, [2, 58, 7, 7], {"transpose": {"dim0": 1, "dim1": 2}}, (58, 2, 7, 7)),
    (T, [2, 5], {"transpose": {"dim0": -1, "dim1": -2}}, (5, 2)),
    (T, [2, 5], {"transpose": {"dim0": 0, "dim1": 1}}, "bad-axis"),
    (K, [2, 5], {"swapaxes": {"axis1": 1, "axis2": 2}}, (5, 2)),
    # flatten with start/end dims (torch only)
    (T, [2, 3, 4], {"flatten": {"start_dim": 2}}, (2, 12)),
    (T, [2, 3, 4], {"flatten": {"start_dim": 1, "end_dim": 2}}, (6, 4)),
    (T, [2, 3, 4], {"flatten": {"start_dim": 2, "end_dim": 1}}, "bad-axis"),
    (T, [2, 3, 4], {"flatten": {"start_dim": 0}}, "bad-axis"),
    (K, [2, 3, 4], {"flatten": {"start_dim": 2}}, "option-not-in-framework"),
    (K, [2, 3, 4], "flatten", (24,)),
    (T, [1], [{"squeeze": 1}, "flatten"], "wrong-rank"),  # torch: dimension out of range
    (K, [1], [{"squeeze": 1}, "flatten"], (1,)),  # keras Flatten makes a per-sample scalar a vector of 1
    # unflatten
    (T, [6, 4], {"unflatten": {"dim": 1, "sizes": [2, 3]}}, (2, 3, 4)),
    (T, [6, 4], {"unflatten": {"dim": 1, "sizes": [-1, 3]}}, (2, 3, 4)),
    (T, [6, 4], {"unflatten": {"dim": -1, "sizes": [4, 1]}}, (6, 4, 1)),
    (T, [6, 4], {"unflatten": {"dim": 1, "sizes": [4, 3]}}, "reshape-mismatch"),
    (T, [6, 4], {"unflatten": {"dim": 1, "sizes": [-1, -1]}}, "bad-option-value"),
    # repeat_vector: keras RepeatVector, a vector per sample only
    (K, [5], {"RepeatVector": 3}, (3, 5)),
    (T, [5], {"repeat_vector": {"n": 2}}, (2, 5)),
    (K, [5, 2], {"repeat_vector": 3}, "wrong-rank"),
    # reshape to a per-sample scalar, and what a scalar can still go through
    (T, [1], {"reshape": {"target_shape": []}}, ()),
    (T, [2], {"reshape": {"target_shape": []}}, "reshape-mismatch"),
]


def _plan(framework, shape, layer, extra=()):
    layers = [*layer, *extra] if isinstance(layer, list) else [layer, *extra]
    return plan_data({"framework": framework, "input": shape, "layers": layers})


@pytest.mark.parametrize("framework, shape, layer, expected", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_shape_op(framework, shape, layer, expected):
    report = _plan(framework, shape, layer)
    row = report.layers[-1]
    if isinstance(expected, str):
        assert expected in [d.name for d in report.diagnostics], [d.message for d in report.diagnostics]
        return
    assert report.ok, [d.message for d in report.diagnostics]
    if isinstance(expected, list):
        assert row.outputs == tuple(expected) and row.output is None
        assert row.to_dict()["outputs"] == [list(s) for s in expected] and row.to_dict()["output"] is None
    else:
        assert row.output == expected and row.outputs is None and "outputs" not in row.to_dict()
    assert row.params == 0 and not report.warnings


def test_a_scalar_reaches_only_layers_that_take_one():
    report = _plan("torch", [1], {"squeeze": 1}, ["sigmoid", {"dense": {"units": 2}}])
    assert report.layers[1].output == () and [d.name for d in report.errors] == ["wrong-rank"]
    assert report.errors[0].layer == 3 and "per-sample scalar" in report.errors[0].message


def _graph(layers, framework="torch", shape=(6, 4), **extra):
    return plan_data({"framework": framework, "input": list(shape), "layers": layers, **extra})


def test_outputs_are_read_by_index():
    report = _graph([{"split": {"name": "parts", "sizes": [2, 4], "dim": 1}},
                     {"dense": {"inputs": "parts:1", "units": 3, "name": "wide"}},
                     {"dense": {"inputs": "parts:0", "units": 3, "name": "narrow"}},
                     {"concatenate": {"inputs": ["wide", "narrow"]}}])
    assert report.ok and report.output == (6, 3)
    assert [row.input for row in report.layers[1:3]] == [(4, 4), (2, 4)]
    assert report.layers[1].inputs == ["parts:1"]


@pytest.mark.parametrize("layers, message", [
    ([{"chunk": {"chunks": 2, "dim": 1}}, "relu"], "'chunk_1' has 2 outputs: read one of them"),
    ([{"chunk": {"chunks": 2, "dim": 1}}, {"relu": {"inputs": "chunk_1"}}], "e.g. inputs: chunk_1:0"),
    ([{"chunk": {"chunks": 2, "dim": 1}}, {"relu": {"inputs": "chunk_1:2"}}], "there is no output 2"),
    (["relu", {"relu": {"inputs": "relu_1:1"}}], "'relu_1' has one output"),
])
def test_reading_a_layer_with_several_outputs_wrongly(layers, message):
    report = _graph(layers)
    assert [d.name for d in report.errors] == ["bad-inputs"] and message in report.errors[0].message
    assert report.errors[0].layer == 2


def test_an_index_reads_a_single_output_and_an_exact_name_wins():
    assert _graph(["relu", {"relu": {"inputs": "relu_1:0"}}]).ok
    report = _graph([{"relu": {"name": "a:1"}}, {"sigmoid": {"inputs": "a:1"}}])
    assert report.ok and report.layers[1].inputs == ["a:1"]


def test_spec_outputs_name_every_output_or_one():
    layers = [{"chunk": {"name": "halves", "chunks": 2, "dim": 1}}]
    assert _graph(layers).outputs == {"halves:0": (3, 4), "halves:1": (3, 4)}
    assert _graph(layers).to_dict()["output"] is None
    assert _graph(layers, outputs=["halves:1"]).output == (3, 4)
    assert _graph(layers, outputs=["halves"]).outputs == {"halves:0": (3, 4), "halves:1": (3, 4)}


def test_unread_outputs_still_reach_the_layer():
    report = _graph([{"chunk": {"name": "halves", "chunks": 2, "dim": 1}}, {"relu": {"inputs": "halves:1"}}])
    assert report.ok and not report.warnings


@pytest.mark.parametrize("expect, names", [
    ([[3, 4], [3, None]], []),
    ([[3, 4], [2, 4]], ["expect-failed"]),
    ([3, 4], ["bad-expect"]),
])
def test_expect_on_a_layer_with_several_outputs(expect, names):
    report = _graph([{"chunk": {"chunks": 2, "dim": 1}, "expect": expect}])
    assert [d.name for d in report.diagnostics] == names


def test_metrics_count_every_output():
    report = _graph([{"chunk": {"name": "halves", "chunks": 2, "dim": 1}}, {"relu": {"inputs": "halves:1"}}])
    metrics = report.metrics()
    assert metrics.layers[0].activation_bytes == 6 * 4 * 4 and metrics.layers[0].macs == 0
    # the chunk holds the input (24 values) and both halves (24); then the halves (24) and relu's output (12)
    assert metrics.peak_activation_bytes == (24 + 24) * 4


@pytest.mark.parametrize("framework, shape, layer, message", [
    ("keras", [5, 2], {"repeat_vector": 3}, "repeat_vector needs a sample of rank 1 (one vector of features, no batch "
                                            "axis), got 5x2 of rank 2; flatten it first"),
    ("torch", [4, 2, 3], {"permute": {"dims": [0, 2, 1]}}, "torch permute lists every axis of the batched tensor: 4 "
                                                           "dims for a sample 4x2x3, got 3 ([0, 2, 1]); the batch 0 "
                                                           "comes first"),
    ("keras", [4, 2, 3], {"permute": {"dims": [2, 1]}}, "keras Permute dims [2, 1] name 2 axes, but the sample has 3: "
                                                        "4x2x3"),
])
def test_messages_write_shapes_as_the_table_does(framework, shape, layer, message):
    assert [d.message for d in _plan(framework, shape, layer).errors] == [message]


@pytest.mark.parametrize("layer_expect, spec_expect, names", [
    ([], [], []),  # a per-sample scalar's shape
    ("()", "()", []),  # as the table writes it
    ([1], [], ["expect-failed"]),
    ([], [1], ["expect-failed"]),
    ([None], [], ["expect-failed"]),  # one axis of any size is not no axis
])
def test_expect_states_the_shape_of_a_scalar(layer_expect, spec_expect, names):
    report = plan_data({"input": [1], "expect": {"output": spec_expect},
                        "layers": [{"squeeze": {"axis": 1}, "expect": layer_expect}, "sigmoid"]})
    assert [d.name for d in report.diagnostics] == names, [d.message for d in report.diagnostics]


def test_expect_of_a_scalar_on_a_layer_with_several_outputs():
    report = _graph([{"chunk": {"chunks": 2, "dim": 1}, "expect": [[], []]}])
    assert [d.name for d in report.diagnostics] == ["expect-failed", "expect-failed"]


# names: the outputs of a layer with several, each read by its own name
VAE_HEAD = [{"split": {"name": "enc", "sizes": [2, 4], "dim": 1, "names": ["mean", "logvar"]}},
            {"dense": {"inputs": "logvar", "units": 3, "name": "wide"}},
            {"dense": {"inputs": "mean", "units": 3, "name": "narrow"}},
            {"concatenate": {"inputs": ["wide", "narrow"]}}]


def test_outputs_are_read_by_their_names():
    named = _graph(VAE_HEAD)
    indexed = _graph([{"split": {"name": "enc", "sizes": [2, 4], "dim": 1}},
                      {"dense": {"inputs": "enc:1", "units": 3, "name": "wide"}},
                      {"dense": {"inputs": "enc:0", "units": 3, "name": "narrow"}},
                      {"concatenate": {"inputs": ["wide", "narrow"]}}])
    assert named.ok and named.diagnostics == indexed.diagnostics, [d.message for d in named.diagnostics]
    assert [(r.inputs, r.input, r.output) for r in named.layers] == [(r.inputs, r.input, r.output) for r in indexed.layers]
    assert named.layers[1].input == (4, 4) and named.layers[2].input == (2, 4)


@pytest.mark.parametrize("layers, outputs, expected", [
    ([{"chunk": {"chunks": 2, "dim": 1, "names": ["a", "b"]}}], ["b", "a"], {"b": (3, 4), "a": (3, 4)}),
    ([{"split": {"sizes": [1, 5], "dim": 1}, "names": ["a", "b"]}], ["b"], {"b": (5, 4)}),  # beside the type
    ([{"type": "split", "sizes": [1, 5], "dim": 1, "names": ["a", "b"]}], ["a"], {"a": (1, 4)}),  # the long form
])
def test_named_outputs_are_spec_outputs(layers, outputs, expected):
    report = _graph(layers, outputs=outputs)
    assert report.ok and report.outputs == expected, [d.message for d in report.diagnostics]


def test_a_recurrent_layers_states_take_names():
    report = _graph([{"lstm": {"units": 5, "return_state": True, "names": ["seq", "h", "c"]}},
                     {"dense": {"inputs": "h", "units": 2}}], framework="keras")
    assert report.ok and report.layers[1].input == (5,) and report.output == (2,)


@pytest.mark.parametrize("layer, name, words", [
    ({"chunk": {"chunks": 2, "dim": 1, "names": ["a"]}}, "bad-inputs", ["2 outputs", "2 names"]),
    ({"chunk": {"chunks": 2, "dim": 1, "names": ["a", "b", "c"]}}, "bad-inputs", ["got 3"]),
    ({"relu": {"names": ["a"]}}, "bad-inputs", ["one output", "name:"]),
    ({"chunk": {"chunks": 2, "dim": 1, "names": ["a", "a"]}}, "bad-value", ["different"]),
    ({"chunk": {"chunks": 2, "dim": 1, "names": "a"}}, "bad-value", ["a list"]),
    ({"chunk": {"chunks": 2, "dim": 1, "names": ["input", "b"]}}, "duplicate-name", ["'input'"]),
])
def test_names_that_do_not_fit(layer, name, words):
    report = _graph([layer])
    problems = [d for d in report.diagnostics if d.name == name]
    assert problems and all(word in problems[0].message for word in words), [d.message for d in report.diagnostics]


def test_names_inside_a_block_are_the_copys_own():
    report = plan_data({"framework": "torch", "input": [6, 4], "blocks": {"head": {"layers": [
        {"chunk": {"chunks": 2, "dim": 1, "names": ["a", "b"]}}, {"add": {"inputs": ["a", "b"]}}]}},
        "layers": [{"block": "head", "name": "h1"}, {"block": "head", "name": "h2"}]})
    assert report.ok, [d.message for d in report.diagnostics]
    assert [row.inputs for row in report.layers if row.type == "add"] == [["h1.chunk_1:0", "h1.chunk_1:1"],
                                                                          ["h2.chunk_1:0", "h2.chunk_1:1"]]


def test_a_layer_that_reads_a_name_before_the_split_is_told_it_comes_later():
    report = _graph([{"relu": {"inputs": "mean"}}, *VAE_HEAD])
    assert [d.name for d in report.errors][:1] == ["defined-later"]


@pytest.mark.parametrize("target", ["torch", "keras"])
def test_named_outputs_port_and_export(target):
    from layerplan.planner.export import export_report, plan_for_export

    spec = {"framework": "torch", "input": [6, 4], "layers": VAE_HEAD}
    exported = plan_for_export(spec, target)
    assert exported.ok, [d.message for d in exported.diagnostics]
    assert [row.inputs for row in exported.layers][1:3] == [["enc:1"], ["enc:0"]]
    text = export_report(exported).text
    assert ("torch.split(" if target == "torch" else "ops.split(") in text


@pytest.mark.parametrize("reads", ["s:0", "s:1"])
def test_a_reader_of_a_split_that_failed_is_shown_as_it_reads(reads):
    report = plan_data({"framework": "keras", "input": [5], "outputs": ["r"],
                        "layers": [{"split": {"name": "s", "sections": 2, "axis": -1}},
                                   {"relu": {"name": "r", "inputs": reads}}]})
    assert [d.name for d in report.errors] == ["split-mismatch"]
    assert report.layers[1].inputs == [reads] and report.layers[1].input is None
