"""unet_any_size: written by layerplan export from examples/unet_any_size.yaml (keras, 31,049,474 parameters)."""

import keras
from keras import layers

INPUT_SHAPE = (256, 256, 3)


def build_model():
    inputs = keras.Input(shape=INPUT_SHAPE)
    # inc
    x = layers.Conv2D(  # (256, 256, 64)
        64, 3, padding="same", use_bias=False, name="inc.conv1"
    )(inputs)
    x = layers.BatchNormalization(  # (256, 256, 64)
        momentum=0.9, epsilon=1e-05, name="inc.bn1"
    )(x)
    x = layers.ReLU()(x)  # (256, 256, 64)
    x = layers.Conv2D(  # (256, 256, 64)
        64, 3, padding="same", use_bias=False, name="inc.conv2"
    )(x)
    x = layers.BatchNormalization(  # (256, 256, 64)
        momentum=0.9, epsilon=1e-05, name="inc.bn2"
    )(x)
    inc_relu_2 = layers.ReLU()(x)  # (256, 256, 64)
    # down.1
    x = layers.MaxPooling2D(2)(inc_relu_2)  # (128, 128, 64)
    # down.1.conv
    x = layers.Conv2D(  # (128, 128, 128)
        128, 3, padding="same", use_bias=False, name="down.1.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (128, 128, 128)
        momentum=0.9, epsilon=1e-05, name="down.1.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (128, 128, 128)
    x = layers.Conv2D(  # (128, 128, 128)
        128, 3, padding="same", use_bias=False, name="down.1.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (128, 128, 128)
        momentum=0.9, epsilon=1e-05, name="down.1.conv.bn2"
    )(x)
    down_1_conv_relu_2 = layers.ReLU()(x)  # (128, 128, 128)
    # down.2
    x = layers.MaxPooling2D(2)(down_1_conv_relu_2)  # (64, 64, 128)
    # down.2.conv
    x = layers.Conv2D(  # (64, 64, 256)
        256, 3, padding="same", use_bias=False, name="down.2.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (64, 64, 256)
        momentum=0.9, epsilon=1e-05, name="down.2.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (64, 64, 256)
    x = layers.Conv2D(  # (64, 64, 256)
        256, 3, padding="same", use_bias=False, name="down.2.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (64, 64, 256)
        momentum=0.9, epsilon=1e-05, name="down.2.conv.bn2"
    )(x)
    down_2_conv_relu_2 = layers.ReLU()(x)  # (64, 64, 256)
    # down.3
    x = layers.MaxPooling2D(2)(down_2_conv_relu_2)  # (32, 32, 256)
    # down.3.conv
    x = layers.Conv2D(  # (32, 32, 512)
        512, 3, padding="same", use_bias=False, name="down.3.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (32, 32, 512)
        momentum=0.9, epsilon=1e-05, name="down.3.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (32, 32, 512)
    x = layers.Conv2D(  # (32, 32, 512)
        512, 3, padding="same", use_bias=False, name="down.3.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (32, 32, 512)
        momentum=0.9, epsilon=1e-05, name="down.3.conv.bn2"
    )(x)
    down_3_conv_relu_2 = layers.ReLU()(x)  # (32, 32, 512)
    # down.4
    x = layers.MaxPooling2D(2)(down_3_conv_relu_2)  # (16, 16, 512)
    # down.4.conv
    x = layers.Conv2D(  # (16, 16, 1024)
        1024, 3, padding="same", use_bias=False, name="down.4.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (16, 16, 1024)
        momentum=0.9, epsilon=1e-05, name="down.4.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (16, 16, 1024)
    x = layers.Conv2D(  # (16, 16, 1024)
        1024, 3, padding="same", use_bias=False, name="down.4.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (16, 16, 1024)
        momentum=0.9, epsilon=1e-05, name="down.4.conv.bn2"
    )(x)
    x = layers.ReLU()(x)  # (16, 16, 1024)
    # up1
    x = layers.Conv2DTranspose(512, 2, strides=2, name="up1.up")(x)  # (32, 32, 512)
    x = layers.ZeroPadding2D(0, name="up1.pad")(x)  # (32, 32, 512)
    x = layers.Concatenate()([down_3_conv_relu_2, x])  # (32, 32, 1024)
    # up1.conv
    x = layers.Conv2D(  # (32, 32, 512)
        512, 3, padding="same", use_bias=False, name="up1.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (32, 32, 512)
        momentum=0.9, epsilon=1e-05, name="up1.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (32, 32, 512)
    x = layers.Conv2D(  # (32, 32, 512)
        512, 3, padding="same", use_bias=False, name="up1.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (32, 32, 512)
        momentum=0.9, epsilon=1e-05, name="up1.conv.bn2"
    )(x)
    x = layers.ReLU()(x)  # (32, 32, 512)
    # up2
    x = layers.Conv2DTranspose(256, 2, strides=2, name="up2.up")(x)  # (64, 64, 256)
    x = layers.ZeroPadding2D(0, name="up2.pad")(x)  # (64, 64, 256)
    x = layers.Concatenate()([down_2_conv_relu_2, x])  # (64, 64, 512)
    # up2.conv
    x = layers.Conv2D(  # (64, 64, 256)
        256, 3, padding="same", use_bias=False, name="up2.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (64, 64, 256)
        momentum=0.9, epsilon=1e-05, name="up2.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (64, 64, 256)
    x = layers.Conv2D(  # (64, 64, 256)
        256, 3, padding="same", use_bias=False, name="up2.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (64, 64, 256)
        momentum=0.9, epsilon=1e-05, name="up2.conv.bn2"
    )(x)
    x = layers.ReLU()(x)  # (64, 64, 256)
    # up3
    x = layers.Conv2DTranspose(128, 2, strides=2, name="up3.up")(x)  # (128, 128, 128)
    x = layers.ZeroPadding2D(0, name="up3.pad")(x)  # (128, 128, 128)
    x = layers.Concatenate()([down_1_conv_relu_2, x])  # (128, 128, 256)
    # up3.conv
    x = layers.Conv2D(  # (128, 128, 128)
        128, 3, padding="same", use_bias=False, name="up3.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (128, 128, 128)
        momentum=0.9, epsilon=1e-05, name="up3.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (128, 128, 128)
    x = layers.Conv2D(  # (128, 128, 128)
        128, 3, padding="same", use_bias=False, name="up3.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (128, 128, 128)
        momentum=0.9, epsilon=1e-05, name="up3.conv.bn2"
    )(x)
    x = layers.ReLU()(x)  # (128, 128, 128)
    # up4
    x = layers.Conv2DTranspose(64, 2, strides=2, name="up4.up")(x)  # (256, 256, 64)
    x = layers.ZeroPadding2D(0, name="up4.pad")(x)  # (256, 256, 64)
    x = layers.Concatenate()([inc_relu_2, x])  # (256, 256, 128)
    # up4.conv
    x = layers.Conv2D(  # (256, 256, 64)
        64, 3, padding="same", use_bias=False, name="up4.conv.conv1"
    )(x)
    x = layers.BatchNormalization(  # (256, 256, 64)
        momentum=0.9, epsilon=1e-05, name="up4.conv.bn1"
    )(x)
    x = layers.ReLU()(x)  # (256, 256, 64)
    x = layers.Conv2D(  # (256, 256, 64)
        64, 3, padding="same", use_bias=False, name="up4.conv.conv2"
    )(x)
    x = layers.BatchNormalization(  # (256, 256, 64)
        momentum=0.9, epsilon=1e-05, name="up4.conv.bn2"
    )(x)
    x = layers.ReLU()(x)  # (256, 256, 64)
    x = layers.Conv2D(2, 1, name="outc")(x)  # (256, 256, 2)
    return keras.Model(inputs, x, name="unet_any_size")


if __name__ == "__main__":
    build_model().summary()
