"""The corpus of model files (tests/model_code/files) and what each plans to.

Each case: (file, NAME or None, -i shape or None, final output, total params, {layer name: output}).
The numbers are what the framework computes when the file is run (tests/oracle/test_model_code_oracle.py
runs every file with the real framework and compares the same quantities with layerplan's report).
"""

from pathlib import Path

FILES = Path(__file__).parent / "files"

CASES = [
    # PyTorch: nn.Sequential, positional (named 0, 1, ... as torch names them), module-level constants,
    # training code, an input pragma
    ("torch_sequential.py", None, None, [10], 19530, {"0": [32, 28, 28], "4": [64, 6, 6]}),
    # nn.Sequential(OrderedDict(...)): the keys name the layers
    ("torch_ordereddict.py", "model", None, [10], 22090, {"conv2": [32, 10, 10], "pool2": [32, 5, 5],
                                                          "flatten": [800]}),
    # a Module with F.max_pool2d, F.relu and x.view(x.size(0), -1) in forward
    ("torch_lenet.py", "LeNet", None, [10], 61706, {"conv1": [6, 28, 28], "conv2": [16, 10, 10], "fc1": [120]}),
    # blocks of a class used by the model class, += residuals, an nn.ModuleList built in a loop
    ("torch_resnet.py", None, None, [10], 19994, {"blocks.1.conv1": [32, 16, 16], "blocks.1.shortcut.0": [32, 16, 16],
                                                  "pool": [32, 1, 1]}),
    # torch.cat skips through a helper method; a helper function returning nn.Sequential; a class constant
    ("torch_unet.py", "UNet", [1, 32, 32], [2, 32, 32], 29330, {"middle.2": [32, 8, 8], "up1": [8, 32, 32],
                                                                 "dec1.0": [8, 32, 32]}),
    # a function that builds the layer list in a loop and returns nn.Sequential(*layers)
    ("torch_builder.py", "build_model", [3, 32, 32], [5], 24021, {}),
    # torchvision-style features from a configuration list: branches on constants inside a loop
    ("torch_vgg_cfg.py", "VGG", None, [10], 95050, {"features.0": [16, 32, 32], "features.10": [64, 8, 8], "features.14": [64, 4, 4],
                                                    "avgpool": [64, 2, 2], "classifier.3": [10]}),
    # the DCGAN generator: ConvTranspose2d with positional stride and padding, constants nz / ngf / nc
    ("torch_dcgan.py", "Generator", None, [3, 64, 64], 3576704, {"main.3": [256, 8, 8]}),
    # ShuffleNet-style: x.chunk / torch.split give several tensors, permute / transpose / (un)squeeze
    ("torch_shuffle.py", "Unit", None, [8, 128], 72, {"branch.0": [8, 8, 8]}),
    # an autoencoder: F.interpolate upsampling, torch.sigmoid on the output
    ("torch_autoencoder.py", "AutoEncoder", None, [1, 28, 28], 2633, {"encoder.2": [8, 7, 7], "dec1": [16, 14, 14]}),
    # MobileNetV2 blocks: depthwise convs, ReLU6, a residual behind a constant flag, a loop over settings
    ("torch_mobilenet.py", None, None, [10], 6186, {"features.0": [16, 32, 32], "features.4.conv.3": [32, 16, 16]}),
    # nn.Embedding and nn.LayerNorm, positional arguments from constructor defaults
    ("torch_tagger.py", None, None, [50, 5], 32229, {"embed": [50, 32], "norm": [50, 32]}),
    # keras Sequential([...]) with input_shape on the first layer, compile and fit
    ("keras_sequential.py", None, None, [10], 34826, {}),
    # keras Sequential() + model.add(keras.Input(...)), a transposed conv and an upsampling
    ("keras_add.py", "model", None, [32, 32, 3], 2475, {}),
    # the functional API: keras.Input, a helper taking and returning tensors, add and concatenate, Model(...)
    ("keras_functional.py", "model", None, [4], 4260, {"block2_relu": [64, 64, 16], "scores": [4]}),
    # a subclassed tf.keras.Model with a straight-line call (input from a pragma)
    ("keras_subclass.py", "Classifier", None, [10], 693962, {"conv1": [26, 26, 32], "flatten": [5408]}),
    # two inputs, layer classes imported by name (one aliased), a function that returns the Model
    ("keras_two_inputs.py", None, None, [1], 1633, {"score": [1]}),
    # 1-D audio: Conv1D with causal padding, global pooling
    ("keras_conv1d.py", None, None, [12], 7236, {}),
    # a keras U-Net built by functions that return two tensors, inside a function that returns the Model
    ("keras_unet.py", "unet", None, [64, 64, 3], 17187, {}),
    # a subclassed keras Model with a residual Add() in call (input from a pragma)
    ("keras_residual_subclass.py", None, None, [16, 16, 8], 1200, {}),
    # keras Embedding, LSTM(return_sequences=True) then GRU
    ("keras_sequence.py", None, None, [1], 334833, {"lstm": [100, 32], "gru": [16]}),
    # a siamese pair: forward(self, left, right), one tower called on both (its weights counted once)
    ("torch_siamese.py", None, None, [1], 29729, {"conv1": [16, 24, 24], "fc": [32], "head": [1]}),
    # the DCGAN discriminator: x.view(-1, 1).squeeze(1) keeps the batch (one element per sample)
    ("torch_dcgan_discriminator.py", "Discriminator", None, [], 2765568, {"main.11": [1, 1, 1]}),
    # an LSTM's tuple unpacked (out, (h_n, c_n)), a bidirectional GRU's (out, h), a training optimizer
    ("torch_lstm_classifier.py", "model", None, [4], 187044, {"embedding": [40, 64], "fc": [4]}),
    # a transformer block: x, w = attn(x, x, x), residuals, LayerNorm, a feed-forward with F.gelu
    ("torch_transformer_block.py", None, None, [16, 64], 49984, {"norm1": [16, 64], "ff1": [16, 256]}),
    # keras layers called on two tensors: their weights are shared
    ("keras_siamese.py", "model", None, [1], 241, {}),
    # keras LSTM / GRU with return_state=True unpacked into their output and states
    ("keras_lstm_state.py", "model", None, [3], 39683, {}),
    # keras 2: TimeDistributed(Conv2D(...), input_shape=...) over video frames, model.add, then an LSTM
    ("keras2_video_frames.py", None, None, [5], 423461, {"time_distributed_3": [8, 14, 14, 32], "lstm": [64]}),
    # the functional API: TimeDistributed named, nested twice over clips of frames, and after an LSTM
    ("keras_time_distributed.py", "model", None, [3, 2], 632, {"frame_conv": [3, 4, 6, 6, 4], "frame_pool": [3, 4, 4],
                                                             "project": [3, 10]}),
    # TensorFlow 1: two branches from one placeholder, tf.concat, tf.nn.max_pool, a variable scope
    ("tf1_nn_classifier.py", "logits", None, [10], 62506, {"joined": [32, 32, 24], "pooled": [16, 16, 24]}),
    # TensorFlow 1: tf.placeholder and tf.layers, the output tensor picked by name (the seed question)
    ("tf1_autoencoder.py", "encoded", None, [4, 4, 16], 14192, {"conv1": [28, 28, 32], "maxpool1": [14, 14, 32]}),
    # the same file without a name: its decoder (tf.image.resize_images, nearest) is read, so decoded is the output
    ("tf1_autoencoder.py", None, None, [7, 7, 1], 16657, {"upsample1": [7, 7, 16], "conv4": [7, 7, 16]}),
    # a notebook exported to a script: an autoencoder, then a denoising one that reuses its names (the names
    # at the end hold the second); tf.image.resize_nearest_neighbor, resize_bilinear and resize(method=),
    # notebook commands, data loading, plotting and a tf.Session training loop around them
    ("tf1_two_autoencoders.py", None, None, [28, 28, 1], 19761, {"resizing_5": [14, 14, 10], "hidden6": [28, 28, 40],
                                                                   "conv2d_12": [28, 28, 1]}),
    # keras Sequential() grown by model.add, input_shape chosen by a branch on K.image_data_format(), the data
    # reshaped under the same branch, compile and fit after the model
    ("keras_channels_branch.py", None, None, [10], 95306, {"conv2d": [28, 28, 24], "batch_norm": [12, 12, 48],
                                                            "conv2d_3": [3, 3, 64], "flatten": [576]}),
    # TensorFlow 1: tf.reshape, tf.layers.flatten / dense, a loss and an optimizer after the model
    ("tf1_mnist.py", "logits", None, [10], 1609290, {"image": [28, 28, 1], "flat": [6272]}),
    # TensorFlow 1 with raw variables: tf.Variable / tf.get_variable weights in dicts, tf.nn.conv2d + tf.nn.bias_add,
    # tf.add(tf.matmul(x, W), b) and x @ W + b, a reshape sized by W.get_shape().as_list(), tf.nn.dropout with a
    # keep probability fed at run time, a variable made but never read (not counted)
    ("tf1_raw_variables.py", "logits", None, [10], 52266, {"image": [28, 28, 1], "pooled": [14, 14, 8],
                                                          "flat": [784], "features": [64]}),
    # one tower of variables applied to two inputs (its weights counted once), a head without a bias
    ("tf1_raw_tower.py", None, None, [1], 2004, {"concatenate": [24], "score": [1]}),
    # keras 2 spellings: Embedding(..., input_length=N) states the input, Bidirectional(LSTM / GRU), and
    # regularizers, initializers and constraints that are never evaluated
    ("keras2_review_classifier.py", None, None, [1], 79481, {"lstm": [60, 32], "gru": [16]}),
    # constructors with arguments that have no default, given after the name: NAME(ARGS)
    ("torch_given_arguments.py", "SuperResolution(upscale_factor=3)", [1, 32, 32], [1, 96, 96], 2233,
     {"conv3": [9, 32, 32], "shuffle": [1, 96, 96]}),
    ("torch_given_arguments.py", "Features('wide', classes=5)", [3, 32, 32], [5], 14501,
     {"features.7": [32, 8, 8], "pool": [32, 1, 1]}),
    # a training script's argparse options at their defaults (a string default converted by type=int, dashes in
    # the option names, store_true / store_false flags, an argument group, parse_known_args)
    ("torch_script_options.py", "Classifier", [1, 28, 28], [10], 76330, {"model.1": [96], "model.4": [10]}),
    # tensor operations: torch.exp / randn_like noise, F.dropout(training=self.training), an LSTM from
    # torch.zeros states and its last step out[:, -1, :], sizes read with x.size(3) / x.shape[2:] for F.pad
    # and F.interpolate, a reduction with keepdim, slices, .to(device)
    ("torch_tensor_ops.py", "Sampler", [1, 28, 28], [1, 28, 28], 340160, {"logvar": [16], "dec": [784]}),
    ("torch_tensor_ops.py", "LastStep", [28, 28], [10], 57994, {"head": [10]}),
    ("torch_tensor_ops.py", "PadUp", [3, 33, 31], [4, 33, 31], 536, {"down": [8, 16, 15], "up": [8, 32, 30],
                                                                      "out": [4, 33, 31]}),
    # blocks that are torch containers: an nn.Sequential subclass filled by super().__init__(*layers) or by
    # attributes (its inherited forward applies them in order), an nn.ModuleDict subclass filled by add_module
    # and walked with items(), an nn.ModuleList subclass grown with append; torch.cat of one tensor;
    # isinstance(x, Tensor); a forward defined twice (the last definition counts); a subclass of nn.Conv2d
    ("torch_container_subclasses.py", "Net", [3, 32, 32], [10], 6262,
     {"mix.1": [8, 16, 16], "block.grow3.conv": [4, 16, 16], "shrink.pool": [12, 8, 8], "stages.1.2": [12, 8, 8],
      "widen": [12, 8, 8]}),
    # tf-slim: arg_scope defaults from a function (nested scopes, the inner one winning; explicit keywords over
    # both), a batch_norm normalizer (no biases before it, scale from normalizer_params), slim.repeat, an
    # @add_arg_scope block of the file with its stride from an arg scope, `return logits, end_points`
    ("tf_slim_classifier.py", "classifier", [32, 32, 3], [10], 43866,
     {"classifier.conv1.conv1_2": [32, 32, 16], "classifier.conv2": [14, 14, 24], "classifier.block1.conv1": [7, 7, 32],
      "classifier.block2.shortcut": [7, 7, 32], "classifier.logits": [10]}),
    # tf-slim as its own files import it: separable_conv2d without num_outputs (depthwise only), biases dropped by
    # biases_initializer=None and given back, batch_norm(center=False) from an arg scope, slim.stack, a lambda
    ("tf_slim_separable.py", "separable_net", [32, 32, 3], [5], 4621,
     {"depthwise1": [16, 16, 32], "separable2": [8, 8, 32], "stack3.stack3_2": [8, 8, 8]}),
    # learned tensors the model holds: nn.Parameter class token joined by torch.cat after .expand(n, -1, -1), a
    # position embedding added, a per-feature gain multiplied (named by their attribute paths); nn.PReLU per
    # channel; an init branch on isinstance skipped
    ("torch_learned_tensors.py", "TinyVisionTransformer", [3, 32, 32], [10], 6682,
     {"stem.act": [24, 4, 4], "class_token": [17, 24], "position": [17, 24], "mixers.1.gain": [17, 24]}),
    # a keras custom layer whose weight is made in build(input_shape); Normalization with fixed and with adapted
    # statistics (non-trainable); PReLU with shared axes
    ("keras_learned_weights.py", "model", None, [10], 657, {"adapted": [32, 32, 3], "prelu": [32, 32, 16]}),
    # a model file of a package using blocks of another subpackage of it, imported by the package's absolute
    # name and relatively: an nn.Sequential subclass, and a module whose forward returns its input in eval mode
    ("torch_package/models/net.py", "Net", None, [10], 5306,
     {"stem.0": [16, 16, 16], "block.body.1.1": [16, 16, 16], "head": [10]}),
    # a model-zoo factory: sizes from enum members (a preset's value and name; a weights record left unused),
    # {**common} metadata, stages picked from named_children() with del and break, a dict of outputs
    ("torch_weights_enum.py", "segmenter", [3, 20, 20], [4, 20, 20], 1460,
     {"backbone.stage1.0": [16, 10, 10], "head": [4, 10, 10]}),
    ("torch_weights_enum.py", "segmenter(classes=2)", [3, 20, 20], [2, 20, 20], 1426, {"head": [2, 10, 10]}),
    # subclasses of torch layers with a forward of their own: F.layer_norm with the layer's own attributes,
    # super().forward(x), F.linear(x, self.weight, bias=self.bias)
    ("torch_layer_forwards.py", "Net", None, [4], 276, {"conv.forward": [8, 10, 10], "norm.layer_norm": [10, 10, 8],
                                                        "pool": [8, 1, 1]}),
    # stages registered under computed names with self.__setattr__ and fetched back with self.__getattr__
    ("torch_registered_names.py", "Stack", None, [5], 1517, {"stage_2.0": [8, 16, 16], "head": [5]}),
    # nn.Dropout2d on one vector per sample after an LSTM's last step: torch runs it (with a warning, LP328)
    ("torch_vector_dropout.py", "RowReader", None, [10], 16874, {"drop1": [48], "drop2": [32], "fc2": [10]}),
    # widths from a quantised exponential rule computed with torch on constants (arange, log, pow, round, diff)
    ("torch_width_rule.py", "Ramp", None, [10], 725650, {"features.0": [24, 16, 16], "features.8": [128, 4, 4]}),
    # frozen layers: one tensor that is all of a layer's weights, requires_grad_ on a layer, a loop over a
    # layer's parameters, frozen and trainable again (the trainable counts: test_frozen_code.py)
    ("torch_frozen.py", "FrozenTextNet", None, [4], 8816, {"conv": [12, 18], "proj": [8]}),
    # every parameter built so far frozen (named_parameters), a new head after it
    ("torch_finetune.py", "FineTune", None, [5], 853, {"features.3": [16, 8, 8]}),
    # keras trainable=False, layer.trainable = False over model.layers[1:3], trainable again
    ("keras_frozen.py", "model", None, [3], 3187, {}),
    # a functional model's layer objects frozen after the model is built
    ("keras_frozen_functional.py", "model", None, [10], 346, {}),
    # a functional backbone frozen as a whole
    ("keras_frozen_backbone.py", "base", None, [8], 840, {}),
]

#: (file, NAME, truth runner) for the differential test: how the reference side runs each case
RUNNERS = {
    "torch": ("torch_sequential.py", "torch_ordereddict.py", "torch_lenet.py", "torch_resnet.py", "torch_unet.py",
              "torch_builder.py", "torch_vgg_cfg.py", "torch_dcgan.py", "torch_shuffle.py",
              "torch_autoencoder.py", "torch_mobilenet.py", "torch_tagger.py", "torch_siamese.py",
              "torch_dcgan_discriminator.py", "torch_lstm_classifier.py", "torch_transformer_block.py",
              "torch_given_arguments.py", "torch_script_options.py", "torch_tensor_ops.py",
              "torch_container_subclasses.py", "torch_learned_tensors.py", "torch_package/models/net.py",
              "torch_weights_enum.py", "torch_layer_forwards.py", "torch_registered_names.py",
              "torch_vector_dropout.py", "torch_width_rule.py", "torch_frozen.py", "torch_finetune.py"),
    "keras": ("keras_sequential.py", "keras_add.py", "keras_functional.py", "keras_subclass.py",
              "keras_two_inputs.py", "keras_conv1d.py", "keras_unet.py", "keras_residual_subclass.py",
              "keras_sequence.py", "keras_siamese.py", "keras_lstm_state.py", "keras_channels_branch.py",
              "keras2_review_classifier.py", "keras_learned_weights.py", "keras_frozen.py",
              "keras_frozen_functional.py", "keras_frozen_backbone.py", "keras2_video_frames.py",
              "keras_time_distributed.py"),
    "tf1": ("tf1_autoencoder.py", "tf1_mnist.py", "tf1_nn_classifier.py", "tf1_two_autoencoders.py",
            "tf1_raw_variables.py", "tf1_raw_tower.py"),
    "tf_slim": ("tf_slim_classifier.py", "tf_slim_separable.py"),
}
