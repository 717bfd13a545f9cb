"""Integer shape formulas, one function per rule, for one spatial axis at a time.

Notation follows the design notes: i input length, k kernel, s stride, d dilation,
k_eff = d(k-1)+1, p_before/p_after padding, op output_padding. All functions are pure.
"""

from __future__ import annotations


def shape_text(shape) -> str:
    """A shape as every message and table writes it: the sizes joined by 'x' ('?' for an unknown size,
    or for a shape not known at all). JSON keeps lists; text never shows a tuple or a list.

    >>> shape_text((64, 64, 32))
    '64x64x32'
    >>> shape_text([16384])
    '16384'
    >>> shape_text([None, 10])
    '?x10'
    """
    if shape is None:
        return "?"
    if len(shape) == 0:  # a per-sample scalar (squeeze of the last axis)
        return "()"
    return "x".join("?" if v is None else str(v) for v in shape)


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel.

    >>> effective_kernel(3, 2)
    5
    """
    return dilation * (kernel - 1) + 1


def ceil_div(a: int, b: int) -> int:
    """Ceiling of a / b for integers (b > 0).

    >>> ceil_div(7, 2)
    4
    """
    return -(-a // b)


def conv_output_length(length: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int) -> int:
    """Convolution output length (both frameworks): floor((i + p_l + p_r - k_eff) / s) + 1.

    May be zero or negative; the caller reports that.

    >>> conv_output_length(28, 3, 1, 1, 1, 1)
    28
    >>> conv_output_length(28, 3, 2, 1, 0, 0)
    13
    """
    return (length + pad_before + pad_after - effective_kernel(kernel, dilation)) // stride + 1


def torch_same_padding(kernel: int, dilation: int) -> tuple[int, int]:
    """torch padding='same' (stride 1): total d(k-1), the extra pixel after.

    >>> torch_same_padding(4, 1)
    (1, 2)
    """
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def tf_same_padding(length: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TensorFlow/keras 'same': output ceil(i/s), the odd pixel after.

    >>> tf_same_padding(28, 3, 2)
    (0, 1)
    >>> tf_same_padding(7, 3, 1)
    (1, 1)
    """
    out = ceil_div(length, stride)
    total = max((out - 1) * stride + effective_kernel(kernel, dilation) - length, 0)
    return total // 2, total - total // 2


def causal_padding(kernel: int, dilation: int) -> tuple[int, int]:
    """keras Conv1D padding='causal': everything before.

    >>> causal_padding(3, 2)
    (4, 0)
    """
    return dilation * (kernel - 1), 0


def unread_input(length: int, kernel: int, stride: int, dilation: int, pad_before: int, output: int) -> int:
    """How many input cells at the end no window reads (floor drops a remainder).

    >>> unread_input(28, 3, 2, 1, 0, 13)
    1
    """
    last_read = (output - 1) * stride + effective_kernel(kernel, dilation) - 1  # in padded coordinates
    last_input = pad_before + length - 1
    return max(0, last_input - last_read)


def torch_conv_transpose_output_length(
    length: int, kernel: int, stride: int, padding: int, output_padding: int, dilation: int
) -> int:
    """torch ConvTranspose: (i-1)s - 2p + d(k-1) + op + 1.

    >>> torch_conv_transpose_output_length(7, 4, 2, 1, 0, 1)
    14
    """
    return (length - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def keras_conv_transpose_output_length(
    length: int, kernel: int, stride: int, padding: str, output_padding: int | None, dilation: int
) -> int:
    """keras Conv*DTranspose output length; output_padding None and 0 differ.

    >>> keras_conv_transpose_output_length(7, 3, 2, "valid", None, 1)
    15
    >>> keras_conv_transpose_output_length(7, 3, 2, "same", 0, 1)
    13
    """
    k_eff = effective_kernel(kernel, dilation)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(k_eff - stride, 0)
        return length * stride
    if padding == "valid":
        return (length - 1) * stride + k_eff + output_padding
    return (length - 1) * stride + k_eff % 2 + output_padding


def torch_pool_output_length(
    length: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool
) -> int:
    """torch pooling output length, including the ceil_mode rule that a window may not start in
    the right padding.

    >>> torch_pool_output_length(5, 2, 2, 1, 1, True)
    3
    >>> torch_pool_output_length(9, 4, 4, 2, 1, True)
    3
    """
    numerator = length + 2 * padding - effective_kernel(kernel, dilation) + (stride - 1 if ceil_mode else 0)
    out = numerator // stride + 1
    if ceil_mode and (out - 1) * stride >= length + padding:
        out -= 1
    return out


def keras_pool_output_length(length: int, pool: int, stride: int, padding: str) -> int:
    """keras pooling: valid floor((i-k)/s)+1, same ceil(i/s).

    >>> keras_pool_output_length(7, 2, 2, "valid"), keras_pool_output_length(7, 2, 2, "same")
    (3, 4)
    """
    if padding == "same":
        return ceil_div(length, stride)
    return (length - pool) // stride + 1
