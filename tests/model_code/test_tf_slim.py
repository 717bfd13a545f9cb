"""tf-slim networks: arg_scope blocks give their keyword defaults to the listed ops as tf-slim does, its layer
functions plan with tf-slim's own defaults, and what is not followed is refused at its line, never guessed."""

import pytest

from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

HEAD = "import tensorflow.compat.v1 as tf\nimport tf_slim as slim\n\n\ndef net(inputs):\n"


def _plan(body: str, head: str = HEAD, shape=(8, 8, 3)):
    report = plan_document(read_model(head + body, "net.py", "net", input_shape=shape))
    assert report.ok, report.diagnostics
    return report


def _layers(report):
    return [(row.type, list(row.output), row.params) for row in report.layers]


# (id, the body of `def net(inputs)`, [(type, output, params) of each layer]) on an 8x8x3 input
PLANS = [
    ("tf-slim's own defaults: relu, SAME, biases; pools of stride 2, VALID",
     "    net = slim.conv2d(inputs, 4, [3, 3])\n    return slim.max_pool2d(net, [3, 3])\n",
     [("conv2d", [8, 8, 4], 112), ("max_pool2d", [3, 3, 4], 0)]),
    ("an arg scope's defaults, and an explicit keyword over them",
     "    with slim.arg_scope([slim.conv2d], padding='VALID', stride=2):\n"
     "        net = slim.conv2d(inputs, 4, [3, 3])\n"
     "        return slim.conv2d(net, 4, [1, 1], stride=1)\n",
     [("conv2d", [3, 3, 4], 112), ("conv2d", [3, 3, 4], 20)]),
    ("the inner scope wins over the outer one; both end with their blocks",
     "    with slim.arg_scope([slim.conv2d], padding='VALID'):\n"
     "        with slim.arg_scope([slim.conv2d], padding='SAME'):\n"
     "            net = slim.conv2d(inputs, 4, [3, 3])\n"
     "        net = slim.conv2d(net, 4, [3, 3])\n"
     "    return slim.conv2d(net, 4, [3, 3])\n",
     [("conv2d", [8, 8, 4], 112), ("conv2d", [6, 6, 4], 148), ("conv2d", [6, 6, 4], 148)]),
    ("a scope returned by a function, entered again",
     "    with slim.arg_scope(net_arg_scope()):\n"
     "        return slim.conv2d(inputs, 4, [3, 3])\n\n\n"
     "def net_arg_scope():\n"
     "    with slim.arg_scope([slim.conv2d], padding='VALID', biases_initializer=None) as scope:\n"
     "        return scope\n",
     [("conv2d", [6, 6, 4], 108)]),
    ("a normalizer: no biases, batch_norm (center, no scale), then the activation",
     "    net = slim.flatten(inputs)\n"
     "    return slim.fully_connected(net, 4, normalizer_fn=slim.batch_norm)\n",
     [("flatten", [192], 0), ("dense", [4], 768), ("batch_norm1d", [4], 12), ("relu", [4], 0)]),
    ("batch_norm's own arg scope and normalizer_params",
     "    with slim.arg_scope([slim.batch_norm], center=False):\n"
     "        return slim.conv2d(inputs, 4, [1, 1], normalizer_fn=slim.batch_norm,\n"
     "                           normalizer_params={'scale': True})\n",
     [("conv2d", [8, 8, 4], 12), ("batch_norm2d", [8, 8, 4], 12), ("relu", [8, 8, 4], 0)]),
    ("slim.repeat and slim.stack",
     "    net = slim.repeat(inputs, 2, slim.conv2d, 4, [3, 3], padding='VALID')\n"
     "    return slim.stack(net, slim.fully_connected, [6, 2])\n",
     [("conv2d", [6, 6, 4], 112), ("conv2d", [4, 4, 4], 148), ("dense", [4, 4, 6], 30), ("dense", [4, 4, 2], 14)]),
    ("an @add_arg_scope function of the file takes its defaults, its own keywords over them",
     "    with slim.arg_scope([unit], depth=6):\n"
     "        net = unit(inputs)\n"
     "        return unit(net, depth=2)\n\n\n"
     "@slim.add_arg_scope\ndef unit(inputs, depth=1):\n    return slim.conv2d(inputs, depth, [1, 1])\n",
     [("conv2d", [8, 8, 6], 24), ("conv2d", [8, 8, 2], 14)]),
    ("a configuration record deriving from a namedtuple, tf.pad",
     "    import collections\n"
     "    unit = Unit(4, stride=2)\n"
     "    net = tf.pad(inputs, [[0, 0], [1, 1], [1, 1], [0, 0]])\n"
     "    return slim.conv2d(net, unit.depth, [3, 3], stride=unit.stride, padding='VALID')\n\n\n"
     "class Unit(collections.namedtuple('Unit', 'depth stride')):\n    pass\n",
     [("zero_padding2d", [10, 10, 3], 0), ("conv2d", [4, 4, 4], 112)]),
    ("a width rule written as a lambda",
     "    width = lambda d, multiplier=0.5: max(int(d * multiplier), 3)\n"
     "    return slim.conv2d(inputs, width(16), [1, 1])\n",
     [("conv2d", [8, 8, 8], 32)]),
    ("dropout's keep_prob and separable_conv2d without num_outputs",
     "    net = slim.dropout(inputs, 0.75)\n"
     "    return slim.separable_conv2d(net, None, [3, 3], depth_multiplier=2, activation_fn=None)\n",
     [("dropout", [8, 8, 3], 0), ("depthwise_conv2d", [8, 8, 6], 60)]),
]


@pytest.mark.parametrize(("body", "layers"), [c[1:] for c in PLANS], ids=[c[0] for c in PLANS])
def test_a_tf_slim_network_plans_as_tf_slim_builds_it(body, layers):
    assert _layers(_plan(body)) == layers


@pytest.mark.parametrize("head", [
    "import tensorflow as tf\nslim = tf.contrib.slim\nfrom tensorflow.contrib import slim\n\n\ndef net(inputs):\n",
    "import tensorflow as tf\nfrom tensorflow.contrib import layers as slim\n\n\ndef net(inputs):\n",
    "from tf_slim.layers import layers as slim\nfrom tf_slim.ops.arg_scope import arg_scope\n\n\ndef net(inputs):\n",
], ids=["tf.contrib.slim", "tf.contrib.layers", "tf_slim's own modules"])
def test_every_spelling_of_tf_slim_is_the_same_library(head):
    body = "    return slim.conv2d(inputs, 4, [3, 3], stride=2)\n"
    assert _layers(_plan(body, head)) == _layers(_plan(body)) == [("conv2d", [4, 4, 4], 112)]


def test_layers_are_named_by_their_variable_scopes():
    body = ("    with tf.variable_scope('tower') as sc:\n"
            "        net = slim.repeat(inputs, 2, slim.conv2d, 4, [3, 3], scope='conv')\n"
            "        net = slim.conv2d(net, 4, [1, 1], normalizer_fn=slim.batch_norm, scope=sc.name + '_out')\n"
            "    return slim.max_pool2d(net, [2, 2])\n")
    assert [row.name for row in _plan(body).layers] == ["tower.conv.conv_1", "tower.conv.conv_2", "tower.tower_out",
                                                        "tower.tower_out.BatchNorm", "tower.tower_out.relu",
                                                        "MaxPool2D"]


def test_end_points_are_the_outputs_collected_and_not_an_output():
    body = ("    with tf.variable_scope('tower') as sc:\n"
            "        collection = sc.original_name_scope + 'points'\n"
            "        with slim.arg_scope([slim.conv2d], outputs_collections=collection):\n"
            "            net = slim.conv2d(inputs, 4, [3, 3], scope='conv1')\n"
            "            net = slim.conv2d(net, 2, [3, 3], scope='conv2')\n"
            "        points = slim.utils.convert_collection_to_dict(collection)\n"
            "        return slim.flatten(points['tower/conv1']), points\n")
    report = _plan(body)
    assert list(report.output) == [256] and [row.name for row in report.layers] == ["tower.conv1", "tower.Flatten"]


# (id, the body of `def net(inputs)`, line, words the LP007 message must contain)
REFUSED = [
    ("a function of the file without @add_arg_scope in an arg_scope",
     "    with slim.arg_scope([unit], depth=6):\n        return unit(inputs)\n\n\n"
     "def unit(inputs, depth=1):\n    return slim.conv2d(inputs, depth, [1, 1])\n",
     6, "unit is not decorated with @add_arg_scope"),
    ("a tf-slim function without @add_arg_scope in an arg_scope",
     "    with slim.arg_scope([slim.repeat], scope='x'):\n        return inputs\n", 6, "repeat is not decorated"),
    ("an argument given by position and by an arg scope",
     "    with slim.arg_scope([slim.conv2d], stride=2):\n        return slim.conv2d(inputs, 4, [3, 3], 1)\n",
     7, "gets 'stride' both by position and from an arg_scope"),
    ("an arg scope of the function conv2d calls with every argument by position",
     "    with slim.arg_scope([slim.convolution], padding='VALID'):\n        return slim.conv2d(inputs, 4, [3, 3])\n",
     7, "passes 'padding' by position to convolution()"),
    ("an argument the function does not take, from an arg scope",
     "    with slim.arg_scope([slim.conv2d, slim.fully_connected], padding='VALID'):\n"
     "        return slim.fully_connected(slim.flatten(inputs), 4)\n", 7, "has no argument 'padding'"),
    ("a normalizer that is not batch_norm",
     "    return slim.conv2d(inputs, 4, [3, 3], normalizer_fn=slim.layer_norm)\n", 6, "normalizer_fn is not read"),
    ("an activation that is a function of the file",
     "    return slim.conv2d(inputs, 4, [3, 3], activation_fn=mish)\n\n\ndef mish(x):\n    return x\n", 6,
     "activation_fn is not a TensorFlow activation"),
    ("frozen weights", "    return slim.conv2d(inputs, 4, [3, 3], trainable=False)\n", 6,
     "trainable=False) changes what is counted"),
    ("variables reused from an earlier scope",
     "    with tf.variable_scope('tower', reuse=True):\n        return slim.conv2d(inputs, 4, [3, 3])\n", 7,
     "reuses the variables of an earlier layer"),
    ("channels first", "    return slim.conv2d(inputs, 4, [3, 3], data_format='NCHW')\n", 6,
     "data_format='NCHW') is not planned"),
    ("a keep_prob fed at run time",
     "    keep = tf.ones([1])\n    return slim.dropout(inputs, keep)\n", 7, "keep_prob must be a number"),
    ("a repeat over the reader's limit",
     "    return slim.repeat(inputs, 10 ** 9, slim.conv2d, 4, [1, 1])\n", 6, "over the reader's limit"),
    ("biases that depend on a value the reader does not hold",
     "    return slim.conv2d(inputs, 4, [3, 3], biases_initializer=initializer)\n", 6, "initializer"),
]


@pytest.mark.parametrize(("body", "line", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_what_is_not_followed_is_refused_at_its_line(body, line, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(HEAD + body, "net.py", "net", input_shape=(8, 8, 3))
    diagnostic = caught.value.diagnostic
    assert (diagnostic.code, diagnostic.line) == ("LP007", line), diagnostic.message
    assert words in diagnostic.message, diagnostic.message
