"""A small TensorFlow 1 classifier written with raw variables: weights kept in dicts and module-level names,
convolutions with tf.nn.conv2d and tf.nn.bias_add, fully connected steps with tf.matmul and @."""
import tensorflow as tf

side, channels, classes = 28, 1, 10
hidden = 64

pixels = tf.placeholder(tf.float32, [None, side * side])
keep = tf.placeholder(tf.float32)  # the keep probability, fed when the graph runs


def weight(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1))


def offset(size):
    return tf.Variable(tf.constant(0.1, shape=[size]))


kernels = {
    "first": weight([5, 5, channels, 8]),
    "second": weight([3, 3, 8, 16]),
    "spare": weight([3, 3, 16, 16]),  # made but never read by the network: TensorFlow does not count it
}
offsets = {"first": offset(8), "second": tf.Variable(tf.zeros([16]))}
fc_weights = tf.get_variable("fc_weights", shape=[7 * 7 * 16, hidden], initializer=tf.glorot_uniform_initializer())
fc_bias = tf.get_variable("fc_bias", shape=[hidden], initializer=tf.zeros_initializer())
out_weights = tf.Variable(tf.random_normal([hidden, classes]))
out_bias = tf.Variable(tf.random_normal([classes]))


def conv_block(x, name, stride):
    x = tf.nn.conv2d(x, kernels[name], strides=[1, stride, stride, 1], padding="SAME")
    x = tf.nn.bias_add(x, offsets[name])
    return tf.nn.relu(x)


image = tf.reshape(pixels, [-1, side, side, channels])
block1 = conv_block(image, "first", 1)
pooled = tf.nn.max_pool(block1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
block2 = conv_block(pooled, "second", 2)
flat = tf.reshape(block2, [-1, fc_weights.get_shape().as_list()[0]])
features = tf.nn.relu(tf.add(tf.matmul(flat, fc_weights), fc_bias))
dropped = tf.nn.dropout(features, keep)
logits = dropped @ out_weights + out_bias
