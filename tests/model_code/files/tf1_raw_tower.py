"""Two TensorFlow 1 inputs through one tower of raw variables (its weights read twice, counted once), a valid
convolution with a stride, and a head without a bias."""
import tensorflow as tf

left = tf.placeholder(tf.float32, [None, 11, 11, 3])
right = tf.placeholder(tf.float32, [None, 11, 11, 3])
filters = tf.Variable(tf.random_normal([3, 3, 3, 6]))
filter_bias = tf.Variable(tf.zeros([6]))
tower_weights = tf.Variable(tf.random_normal([5 * 5 * 6, 12]))
tower_bias = tf.Variable(tf.zeros([12]))
head_weights = tf.get_variable("head_weights", [24, 1])


def tower(x):
    x = tf.nn.conv2d(x, filters, [1, 2, 2, 1], "VALID") + filter_bias
    x = tf.reshape(tf.nn.relu(x), [-1, 5 * 5 * 6])
    return tf.nn.tanh(tf.matmul(x, tower_weights) + tower_bias)


joined = tf.concat([tower(left), tower(right)], axis=1)
score = tf.sigmoid(tf.matmul(joined, head_weights))
