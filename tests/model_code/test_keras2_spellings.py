"""keras wrappers and keras 2's spellings in model code: `Bidirectional(LSTM(...))` is the recurrent
layer's `bidirectional` option, `TimeDistributed(layer)` a time_distributed layer holding the wrapped one, `Embedding(..., input_length=N)` states the input, and the arguments
that only set how weights are initialised, regularised or constrained are never evaluated."""

import pytest

from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

KERAS = "import keras\nfrom keras import layers, regularizers\n"


def _plan(text, name=None):
    return plan_document(read_model(text, "model.py", name))


# (id, the layers of a keras Sequential, its input, output, params, as keras 3.15 computes them)
READ = [
    ("bidirectional lstm", "layers.Bidirectional(layers.LSTM(8))", (5, 3), (16,), 2 * 4 * 8 * (3 + 8 + 1)),
    ("bidirectional gru with the sequence", "layers.Bidirectional(layers.GRU(4, return_sequences=True))", (7, 2),
     (7, 8), 2 * 3 * 4 * (2 + 4 + 2)),
    ("bidirectional rnn, merge_mode concat", "layers.Bidirectional(layers.SimpleRNN(3), merge_mode='concat')", (4, 2),
     (6,), 2 * 3 * (2 + 3 + 1)),
    ("the wrapped layer as a keyword", "layers.Bidirectional(layer=layers.LSTM(2))", (3, 1), (4,),
     2 * 4 * 2 * (1 + 2 + 1)),
    ("time distributed dense", "layers.TimeDistributed(layers.Dense(8))", (5, 3), (5, 8), 32),
    ("time distributed conv2d with the wrapper's input_shape",
     "layers.TimeDistributed(layers.Conv2D(4, (3, 3)), input_shape=(6, 8, 8, 3)), "
     "layers.TimeDistributed(layers.Flatten())", None, (6, 144), 3 * 3 * 3 * 4 + 4),
    ("time distributed, the wrapped layer as a keyword", "layers.TimeDistributed(layer=layers.Dense(2), name='td')",
     (4, 3), (4, 2), 8),
    ("time distributed lstm on each step", "layers.TimeDistributed(layers.LSTM(3))", (2, 6, 4), (2, 3),
     4 * 3 * (4 + 3 + 1)),
    ("regularizer and initializer calls", "layers.Dense(4, kernel_regularizer=regularizers.l2(1e-4), "
     "bias_initializer=keras.initializers.Constant(0.1), kernel_constraint=keras.constraints.MaxNorm(2))", (3,),
     (4,), 16),
    ("a regularizer of an unknown library", "layers.Dense(4, kernel_regularizer=mylib.decay(3))", (3,), (4,), 16),
    ("an embedding's input_length", "layers.Embedding(100, 8, input_length=12)", None, (12, 8), 800),
    ("trainable, lora and renorm at their defaults",
     "layers.Dense(4, trainable=True, lora_rank=None), layers.BatchNormalization(renorm=False)", (3,), (4,), 32),
]


@pytest.mark.parametrize(("body", "shape", "output", "params"), [c[1:] for c in READ], ids=[c[0] for c in READ])
def test_keras_wrappers_and_keras2_spellings_are_read(body, shape, output, params):
    first = f"keras.Input(shape={shape}), " if shape else ""
    report = _plan(KERAS + f"model = keras.Sequential([{first}{body}])\n")
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert (report.output, report.total_params) == (output, params)


# (id, the layers, words of the message)
REFUSED = [
    ("merge_mode sum", "layers.Bidirectional(layers.LSTM(8), merge_mode='sum')", "merge_mode='sum') is not planned"),
    ("a backward layer", "layers.Bidirectional(layers.LSTM(8), backward_layer=layers.LSTM(8))",
     "backward_layer"),
    ("a wrapped dense", "layers.Bidirectional(layers.Dense(8))", "dense has no Bidirectional form"),
    ("time distributed with an argument it does not plan", "layers.TimeDistributed(layers.Dense(8), mask=1)",
     "TimeDistributed(mask=...) is not read"),
    ("time distributed around a layer with its own input_shape",
     "layers.TimeDistributed(layers.Dense(8, input_shape=(3,)))", "give input_shape to TimeDistributed"),
    ("time distributed around a value", "layers.TimeDistributed(8)", "wraps something that is not a layer"),
    ("a wrapped value", "layers.Bidirectional(8)", "wraps something that is not a layer"),
    # arguments that change what keras counts: refused, never ignored (renorm=True adds 24 non-trainable
    # statistics to a batch norm of 8, a LoRA rank adds weights; trainable is read, as True or False)
    ("a frozen layer by a name", "layers.Dense(4, trainable='no')", "trainable must be True or False"),
    ("batch renormalisation", "layers.BatchNormalization(renorm=True)", "(renorm=True) is not planned"),
    ("a lora rank", "layers.Dense(4, lora_rank=2)", "(lora_rank=2) is not planned"),
]


@pytest.mark.parametrize(("body", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_wrapper_the_kinds_do_not_plan_is_refused_at_its_line(body, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(KERAS + f"model = keras.Sequential([keras.Input(shape=(5, 3)), {body}])\n", "model.py")
    assert caught.value.diagnostic.code == "LP007"
    assert words in caught.value.diagnostic.message
    assert caught.value.diagnostic.line == 3


def test_a_weight_setting_the_code_reads_elsewhere_still_fails_where_it_is_used():
    text = KERAS + "decay = mylib.decay(3)\nmodel = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(decay)])\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, "model.py")
    assert "'mylib' is not defined" in caught.value.diagnostic.message
    assert "used at line 4" in caught.value.diagnostic.message


def test_a_weight_setting_at_module_level_is_skipped_with_a_note():
    text = KERAS + "decay = regularizers.l2(1e-4)\n" \
                   "model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2, kernel_regularizer=decay)])\n"
    report = _plan(text)
    assert report.total_params == 8
    assert [(d.code, d.line) for d in report.diagnostics] == [("LP320", 3)]
    assert "a weight setting cannot change the model" in report.diagnostics[0].message


def test_input_length_gives_way_to_a_shape_on_the_command_line():
    document = read_model(KERAS + "model = keras.Sequential([layers.Embedding(100, 8, input_length=12)])\n", "m.py")
    assert document.data["input"] == [12]
    report = plan_document(document.replace(data={**document.data, "input": [30]}))
    assert report.output == (30, 8)


def test_time_distributed_on_an_input_without_steps_is_the_error_keras_raises():
    report = _plan(KERAS + "model = keras.Sequential([keras.Input(shape=(5,)), layers.TimeDistributed(layers.Dense(8))])\n")
    assert [d.code for d in report.diagnostics if d.is_error] == ["LP201"]
    assert "rank 3 or more" in report.diagnostics[0].message


# (id, the model's lines after `seq = keras.Input(shape=(5, 3))`, the line refused, words of the message):
# keras applies the wrapped object itself, so its weights are shared with any other use of that object
SHARED_WITH_A_WRAPPER = [
    ("wrapped, then used alone", "dense = layers.Dense(4)\na = layers.TimeDistributed(dense)(seq)\nb = dense(seq)\n"
     "model = keras.Model(seq, layers.add([a, b]))\n", 6, "also inside the wrapper at line 5"),
    ("used alone, then wrapped", "dense = layers.Dense(4)\nb = dense(seq)\na = layers.TimeDistributed(dense)(seq)\n"
     "model = keras.Model(seq, layers.add([a, b]))\n", 6, "wraps a layer already used"),
    ("wrapped twice", "dense = layers.Dense(4)\na = layers.TimeDistributed(dense)(seq)\n"
     "b = layers.TimeDistributed(dense)(seq)\nmodel = keras.Model(seq, layers.add([a, b]))\n", 6,
     "wraps a layer already used (line 5)"),
    ("a positive axis inside the wrapper", "a = layers.TimeDistributed(layers.BatchNormalization(axis=1))(seq)\n"
     "model = keras.Model(seq, a)\n", 4, "wraps a layer given a positive axis"),
]


@pytest.mark.parametrize(("lines", "line", "words"), [c[1:] for c in SHARED_WITH_A_WRAPPER],
                         ids=[c[0] for c in SHARED_WITH_A_WRAPPER])
def test_a_wrapped_layer_shared_with_another_use_is_refused_never_counted_twice(lines, line, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(KERAS + "seq = keras.Input(shape=(5, 3))\n" + lines, "model.py")
    assert caught.value.diagnostic.code == "LP007"
    assert words in caught.value.diagnostic.message
    assert caught.value.diagnostic.line == line


def test_one_wrapper_called_twice_shares_its_weights_as_keras_does():
    report = _plan(KERAS + "seq = keras.Input(shape=(5, 3))\ntd = layers.TimeDistributed(layers.Dense(4))\n"
                           "model = keras.Model(seq, layers.add([td(seq), td(seq)]))\n")
    assert not [d for d in report.diagnostics if d.is_error]
    assert (report.output, report.total_params) == ((5, 4), 16)
