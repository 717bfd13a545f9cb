"""A tf-slim network of separable convolutions, imported as tf-slim's own files import it: the depthwise
step alone (num_outputs=None), biases dropped by biases_initializer=None from an arg scope and given back
by a call, batch_norm with center=False from its arg scope, slim.stack, a width function written as a
lambda, two arg scopes entered by one `with`, tf.reduce_mean and tf.squeeze at the end."""

import tensorflow.compat.v1 as tf
from tf_slim.layers import layers as layers_lib
from tf_slim import layers
from tf_slim.ops.arg_scope import arg_scope


def separable_net(images, num_classes=5, depth_multiplier=1.0, min_depth=8):
    depth = lambda d: max(int(d * depth_multiplier), min_depth)
    with arg_scope([layers_lib.separable_conv2d, layers.conv2d], padding='SAME', biases_initializer=None), \
            arg_scope([layers_lib.batch_norm], center=False, scale=True, updates_collections=None):
        net = layers.conv2d(images, depth(16), [3, 3], stride=2, normalizer_fn=layers_lib.batch_norm, scope='conv0')
        net = layers_lib.separable_conv2d(net, None, [3, 3], depth_multiplier=2, scope='depthwise1')
        net = layers.separable_conv2d(net, depth(32), [3, 3], stride=2, rate=1, scope='separable2')
        net = layers_lib.stack(net, layers.conv2d, [(24, [1, 1]), (depth(4), [3, 3])], scope='stack3')
        net = tf.reduce_mean(net, [1, 2], keepdims=True)
        net = layers.conv2d(net, num_classes, [1, 1], activation_fn=None, biases_initializer=tf.zeros_initializer(),
                            scope='logits')
        return tf.squeeze(net, [1, 2])
