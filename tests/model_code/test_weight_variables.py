"""TensorFlow 1 variables (planner/model_code/weight_variables.py): each read as the weights of the spec layer
that reads them, with TensorFlow's shapes and counts (the refusals are in test_unreadable_code.py)."""

import pytest

from layerplan.planner import plan_document
from layerplan.planner.model_code import read_model

from variable_snippets import PREFIX, SNIPPETS


@pytest.mark.parametrize(("code", "output", "params", "types"), [c[1:] for c in SNIPPETS], ids=[c[0] for c in SNIPPETS])
def test_a_variable_is_the_weights_of_the_layer_that_reads_it(code, output, params, types):
    report = plan_document(read_model(PREFIX + code, "model.py", name="y"))
    assert report.ok, report.diagnostics
    assert (list(report.output), report.total_params, report.trainable_params) == (output, params, params)
    assert [row.type for row in report.layers] == types


def test_a_bias_added_is_the_layer_option_and_a_missing_one_is_written():
    with_bias = read_model(PREFIX + "y = tf.add(tf.matmul(x, w), b)\n", "model.py", name="y").data["layers"]
    without = read_model(PREFIX + "y = tf.matmul(x, w)\n", "model.py", name="y").data["layers"]
    assert (with_bias[0].get("bias", True), without[0]["bias"]) == (True, False)


def test_a_kernel_read_again_is_the_same_layer_called_again():
    layers = read_model(PREFIX + "u = tf.Variable(tf.zeros([20, 20]))\nh = tf.matmul(x, u)\ny = tf.matmul(h, u)\n",
                        "model.py", name="y").data["layers"]
    assert [layer.get("shares") for layer in layers] == [None, "h"]
