"""TensorFlow 1 with tf.nn pooling, two branches joined by tf.concat, inside a variable scope."""
import tensorflow as tf

images = tf.placeholder(tf.float32, shape=[None, 32, 32, 3], name="images")
with tf.variable_scope("features"):
    conv_a = tf.layers.conv2d(images, filters=16, kernel_size=3, padding="same", activation=tf.nn.relu)
    conv_b = tf.layers.conv2d(images, filters=8, kernel_size=5, padding="same", activation=tf.nn.relu)
    joined = tf.concat([conv_a, conv_b], axis=3)
    pooled = tf.nn.max_pool(joined, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
flat = tf.layers.flatten(pooled)
logits = tf.layers.dense(flat, 10, name="logits")
