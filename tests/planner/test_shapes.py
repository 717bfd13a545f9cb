"""Table-driven tests of every shape formula, with values worked out by hand from the frameworks' docs."""

import pytest

from layerplan.planner import shapes


@pytest.mark.parametrize(
    "length, kernel, stride, dilation, before, after, expected",
    [
        (28, 3, 1, 1, 1, 1, 28),  # 'same'-like
        (28, 3, 1, 1, 0, 0, 26),  # valid
        (28, 3, 2, 1, 0, 0, 13),  # floor drops one row
        (28, 3, 2, 1, 1, 1, 14),
        (224, 7, 2, 1, 3, 3, 112),  # ResNet stem
        (8, 3, 1, 1, 5, 5, 16),  # any padding size is legal for conv
        (10, 3, 1, 2, 0, 0, 6),  # dilation 2 -> effective 5
        (5, 5, 1, 1, 0, 0, 1),
        (4, 5, 1, 1, 0, 0, 0),  # kernel larger than input
    ],
)
def test_conv_output_length(length, kernel, stride, dilation, before, after, expected):
    assert shapes.conv_output_length(length, kernel, stride, dilation, before, after) == expected


@pytest.mark.parametrize(
    "length, kernel, stride, dilation, expected",
    [
        (28, 3, 1, 1, (1, 1)),
        (28, 3, 2, 1, (0, 1)),  # TF: odd pixel after
        (7, 3, 2, 1, (1, 1)),
        (28, 4, 1, 1, (1, 2)),  # even kernel: extra after
        (28, 2, 2, 1, (0, 0)),
        (5, 3, 1, 2, (2, 2)),
        (1, 7, 2, 1, (3, 3)),
    ],
)
def test_tf_same_padding(length, kernel, stride, dilation, expected):
    assert shapes.tf_same_padding(length, kernel, stride, dilation) == expected
    out = shapes.conv_output_length(length, kernel, stride, dilation, *expected)
    assert out == shapes.ceil_div(length, stride)


@pytest.mark.parametrize("kernel, dilation, expected", [(3, 1, (1, 1)), (4, 1, (1, 2)), (2, 3, (1, 2)), (5, 2, (4, 4))])
def test_torch_same_padding(kernel, dilation, expected):
    assert shapes.torch_same_padding(kernel, dilation) == expected


@pytest.mark.parametrize(
    "length, kernel, stride, padding, output_padding, dilation, expected",
    [
        (7, 4, 2, 1, 0, 1, 14),  # DCGAN doubling
        (1, 4, 1, 0, 0, 1, 4),
        (7, 3, 2, 1, 1, 1, 14),
        (7, 3, 2, 1, 0, 1, 13),
        (3, 3, 1, 0, 0, 2, 7),
        (2, 1, 1, 1, 0, 1, 0),  # padding eats everything
    ],
)
def test_torch_conv_transpose(length, kernel, stride, padding, output_padding, dilation, expected):
    assert shapes.torch_conv_transpose_output_length(length, kernel, stride, padding, output_padding, dilation) == expected


@pytest.mark.parametrize(
    "length, kernel, stride, padding, output_padding, dilation, expected",
    [
        (7, 3, 2, "valid", None, 1, 15),
        (7, 3, 2, "same", None, 1, 14),
        (7, 2, 2, "valid", None, 1, 14),  # max(k - s, 0) = 0
        (7, 3, 2, "valid", 0, 1, 15),
        (7, 3, 2, "valid", 1, 1, 16),
        (7, 3, 2, "same", 0, 1, 13),  # None and 0 differ
        (7, 3, 2, "same", 1, 1, 14),
        (7, 4, 2, "same", 0, 1, 12),
        (4, 3, 1, "valid", None, 2, 8),
    ],
)
def test_keras_conv_transpose(length, kernel, stride, padding, output_padding, dilation, expected):
    assert shapes.keras_conv_transpose_output_length(length, kernel, stride, padding, output_padding, dilation) == expected


@pytest.mark.parametrize(
    "length, kernel, stride, padding, dilation, ceil_mode, expected",
    [
        (28, 2, 2, 0, 1, False, 14),
        (7, 2, 2, 0, 1, False, 3),
        (7, 2, 2, 0, 1, True, 4),
        (5, 2, 2, 1, 1, True, 3),  # naive ceil formula says 4: the last window would start in padding
        (9, 4, 4, 2, 1, True, 3),
        (112, 3, 2, 1, 1, False, 56),  # ResNet max pool
        (10, 3, 1, 0, 2, False, 6),
        (6, 3, 3, 0, 1, True, 2),  # exact fit: ceil adds nothing
    ],
)
def test_torch_pool(length, kernel, stride, padding, dilation, ceil_mode, expected):
    assert shapes.torch_pool_output_length(length, kernel, stride, padding, dilation, ceil_mode) == expected


@pytest.mark.parametrize(
    "length, pool, stride, padding, expected",
    [(7, 2, 2, "valid", 3), (7, 2, 2, "same", 4), (28, 2, 2, "same", 14), (5, 3, 1, "valid", 3), (2, 3, 1, "valid", 0),
     (2, 3, 1, "same", 2)],
)
def test_keras_pool(length, pool, stride, padding, expected):
    assert shapes.keras_pool_output_length(length, pool, stride, padding) == expected


@pytest.mark.parametrize(
    "length, kernel, stride, dilation, before, expected_unread",
    [(28, 3, 2, 1, 0, 1), (28, 2, 2, 1, 0, 0), (7, 2, 2, 1, 0, 1), (10, 3, 3, 1, 0, 1), (10, 3, 3, 1, 1, 0)],
)
def test_unread_input(length, kernel, stride, dilation, before, expected_unread):
    output = shapes.conv_output_length(length, kernel, stride, dilation, before, before)
    assert shapes.unread_input(length, kernel, stride, dilation, before, output) == expected_unread


def test_unread_input_matches_brute_force():
    """Count cells no window touches, by enumerating windows, on a small grid."""
    for length in range(1, 14):
        for kernel in range(1, 5):
            for stride in range(1, 5):
                for dilation in range(1, 3):
                    for pad in range(0, 3):
                        out = shapes.conv_output_length(length, kernel, stride, dilation, pad, pad)
                        if out <= 0:
                            continue
                        read = set()
                        for o in range(out):
                            for t in range(kernel):
                                read.add(o * stride + t * dilation - pad)
                        # cells after the last read one (the tail the floor dropped)
                        tail = length - 1 - max(read)
                        assert shapes.unread_input(length, kernel, stride, dilation, pad, out) == max(0, tail)
