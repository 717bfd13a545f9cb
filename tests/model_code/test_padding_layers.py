"""torch's padding layers read as the spec's padding kinds, exactly: the last-axis-first amounts of
ReflectionPad / ReplicationPad / ConstantPad, and ConstantPad's value (zero is a zero padding, negative amounts
a cropping; any other value has no kind and is refused, never exported as zeros). Each expected shape is what
torch gives for the same layers on a batch."""

import pytest

from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

HEAD = "import torch.nn as nn\nmodel = nn.Sequential({layers})\n"

# (id, layers, input shape, output shape, layer types)
READ = [
    ("reflection pad, last axis first", "nn.ReflectionPad2d((1, 2, 3, 4))", (3, 10, 10), [3, 17, 13],
     ["reflection_padding2d"]),
    ("replication pad 1-D pair", "nn.ReplicationPad1d((2, 0))", (3, 10), [3, 12], ["replication_padding1d"]),
    ("constant pad of zeros", "nn.ConstantPad2d((0, 1, 2, 3), 0)", (3, 10, 10), [3, 15, 11], ["zero_padding2d"]),
    ("constant pad, one amount, value by keyword", "nn.ConstantPad3d(1, value=0.0)", (2, 4, 5, 6), [2, 6, 7, 8],
     ["zero_padding3d"]),
    ("constant pad by negative amounts crops", "nn.ConstantPad2d((-1, 0, -1, 0), 0)", (3, 10, 10), [3, 9, 9],
     ["cropping2d"]),
    ("nasnet's pad then crop", "nn.ConstantPad2d((0, 1, 0, 1), 0), nn.ConstantPad2d((-1, 0, -1, 0), 0)",
     (3, 10, 10), [3, 10, 10], ["zero_padding2d", "cropping2d"]),
]


@pytest.mark.parametrize(("layers", "shape", "output", "types"), [c[1:] for c in READ], ids=[c[0] for c in READ])
def test_a_padding_layer_is_its_exact_kind(layers, shape, output, types):
    report = plan_document(read_model(HEAD.format(layers=layers), "net.py", "model", input_shape=shape))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output
    assert [row.type for row in report.layers] == types


# (id, layers, words of the error)
REFUSED = [
    ("a constant other than zero", "nn.ConstantPad2d(1, 3.5)", "a constant padding with the value 3.5 has no spec kind"),
    ("amounts of both signs", "nn.ConstantPad2d((1, -1, 0, 0), 0)", "adds cells on some sides and removes them"),
    ("amounts for another rank", "nn.ConstantPad2d((1, 1), 0)", "4 ints"),
    ("no value", "nn.ConstantPad2d(1)", "takes (padding, value)"),
]


@pytest.mark.parametrize(("layers", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_padding_without_an_exact_kind_is_refused(layers, words):
    with pytest.raises(SpecReadError) as caught:
        read_model(HEAD.format(layers=layers), "net.py", "model", input_shape=(3, 10, 10))
    assert words in caught.value.diagnostic.message, caught.value.diagnostic.message
