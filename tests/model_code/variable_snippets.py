"""TensorFlow 1 code written with variables, and what TensorFlow computes for it: each snippet's tensor `y`.

Each case: (id, code after PREFIX, output shape, params, the planned layers' types). The numbers are
TensorFlow's (tests/oracle/test_model_code_oracle.py runs each snippet in TensorFlow 1's graph mode).
"""

PREFIX = ("import tensorflow as tf\n"
          "x = tf.placeholder(tf.float32, [None, 20])\n"
          "images = tf.placeholder(tf.float32, [None, 8, 8, 3])\n"
          "steps = tf.placeholder(tf.float32, [None, 7, 20])\n"
          "w = tf.Variable(tf.random_normal([20, 5]))\n"
          "b = tf.Variable(tf.zeros([5]))\n"
          "f = tf.Variable(tf.truncated_normal([3, 3, 3, 4], stddev=0.1))\n"
          "fb = tf.Variable(tf.constant(0.1, shape=[4]))\n")

SNIPPETS = [
    ("a product and tf.add", "y = tf.add(tf.matmul(x, w), b)\n", [5], 105, ["dense"]),
    ("@ and + the other way round", "y = b + x @ w\n", [5], 105, ["dense"]),
    ("a product without bias", "y = tf.matmul(x, w)\n", [5], 100, ["dense"]),
    ("a kernel stored transposed", "wt = tf.Variable(tf.zeros([5, 20]))\n"
     "y = tf.matmul(x, wt, transpose_b=True) + b\n", [5], 105, ["dense"]),
    ("a product on the last axis of a sequence", "y = tf.matmul(steps, w) + b\n", [7, 5], 105, ["dense"]),
    ("a valid strided convolution and bias_add", "y = tf.nn.bias_add(tf.nn.conv2d(images, f, strides=[1, 2, 2, 1], "
     "padding='VALID'), fb)\n", [3, 3, 4], 112, ["conv2d"]),
    ("a dilated convolution, filters= and a number for strides", "y = tf.nn.conv2d(images, filters=f, strides=1, "
     "padding='SAME', dilations=[1, 2, 2, 1])\n", [8, 8, 4], 108, ["conv2d"]),
    ("get_variable shaped by its initializer", "v = tf.get_variable('v', initializer=tf.zeros([20, 5]))\n"
     "y = tf.matmul(x, v)\n", [5], 100, ["dense"]),
    ("get_variable with an initializer object", "v = tf.get_variable('v', [20, 5], "
     "initializer=tf.random_normal_initializer(stddev=0.01))\ny = tf.nn.relu(tf.matmul(x, v) + b)\n", [5], 105,
     ["dense", "relu"]),
    ("a bias of literal values", "c = tf.Variable(tf.constant([0.0, 0.1, 0.2, 0.3, 0.4]))\ny = x @ w + c\n", [5],
     105, ["dense"]),
    ("positional mean and stddev", "v = tf.Variable(tf.random_normal([20, 5], 0.0, 0.1))\ny = x @ v\n", [5], 100,
     ["dense"]),
    ("one kernel and bias read twice: counted once", "u = tf.Variable(tf.zeros([20, 20]))\n"
     "c = tf.Variable(tf.zeros([20]))\nh = tf.matmul(x, u) + c\ny = tf.matmul(h, u) + c\n", [20], 420,
     ["dense", "dense"]),
    ("a variable nothing reads is not counted", "spare = tf.Variable(tf.zeros([100, 100]))\ny = x @ w + b\n", [5],
     105, ["dense"]),
    ("a reshape sized by a variable's shape", "v = tf.Variable(tf.zeros([192, 5]))\n"
     "y = tf.matmul(tf.reshape(images, [-1, v.shape[0]]), v)\n", [5], 960, ["reshape", "dense"]),
    ("dropout with a fed keep probability", "keep = tf.placeholder(tf.float32)\n"
     "y = tf.nn.dropout(x @ w + b, keep)\n", [5], 105, ["dense"]),
]
