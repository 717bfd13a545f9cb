"""A small tf-slim classifier: arg_scope defaults given by a function (nested scopes, the inner one
winning), a batch_norm normalizer with its own arg scope, slim.repeat, an @add_arg_scope residual block
of this file whose stride comes from an arg scope, end points collected and returned beside the logits."""

import tensorflow.compat.v1 as tf
import tf_slim as slim


def classifier_arg_scope(weight_decay=0.0005):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope([slim.conv2d], padding='VALID'):
            with slim.arg_scope([slim.conv2d], padding='SAME', normalizer_fn=slim.batch_norm,
                                normalizer_params={'scale': True, 'updates_collections': None}) as scope:
                return scope


@slim.add_arg_scope
def residual_block(inputs, depth, stride=1, outputs_collections=None, scope=None):
    with tf.variable_scope(scope, 'residual_block', [inputs]) as sc:
        residual = slim.conv2d(inputs, depth, [3, 3], stride=stride, scope='conv1')
        residual = slim.conv2d(residual, depth, [3, 3], activation_fn=None, scope='conv2')
        shortcut = slim.conv2d(inputs, depth, [1, 1], stride=stride, activation_fn=None, scope='shortcut')
        output = tf.nn.relu(shortcut + residual)
        return slim.utils.collect_named_outputs(outputs_collections, sc.name, output)


def classifier(inputs, num_classes=10, is_training=True, scope='classifier'):
    with tf.variable_scope(scope, 'classifier', [inputs]) as sc:
        collection = sc.original_name_scope + 'end_points'
        with slim.arg_scope(classifier_arg_scope()):
            with slim.arg_scope([slim.conv2d, residual_block, slim.max_pool2d], outputs_collections=collection), \
                    slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
                net = slim.repeat(inputs, 2, slim.conv2d, 16, [3, 3], scope='conv1')
                net = slim.max_pool2d(net, [2, 2], scope='pool1')
                net = slim.conv2d(net, 24, [3, 3], padding='VALID', scope='conv2')
                with slim.arg_scope([residual_block], stride=2):
                    net = residual_block(net, 32, scope='block1')
                    net = residual_block(net, 32, stride=1, scope='block2')
                net = slim.avg_pool2d(net, [7, 7], scope='pool2')
                net = slim.flatten(net)
                net = slim.dropout(net, 0.8, scope='dropout')
                logits = slim.fully_connected(net, num_classes, activation_fn=None, scope='logits')
        end_points = slim.utils.convert_collection_to_dict(collection)
        end_points['predictions'] = slim.softmax(logits, scope='predictions')
        return logits, end_points
