"""Receptive-field index maps: how one spatial axis of one layer maps output cells to input cells.

Output cell j of a layer depends on input cells lo(j)..hi(j) of its input (coordinates may fall in
padding, outside 0..n-1). Each kind's `field` hook (below, named by the kind definitions) gives one
map per spatial axis; planner/metrics.py composes them through the network.

>>> window_map(3, 2, 1, 1).lo(0), window_map(3, 2, 1, 1).hi(0)  # k3 s2 p1: cell 0 reads -1..1
(-1, 1)
"""

from __future__ import annotations

import math
from typing import Callable

from .. import shapes
from .base import split


class AxisMap:
    """`factor`: input cells per output cell step, as a reduced (numerator, denominator) pair.

    `form` is (m, f, c_lo, c_hi) when lo(j) = floor((m*j + c_lo) / f) and hi(j) = floor((m*j + c_hi) / f):
    windows (f = 1), nearest resizing, transposed convs and adaptive pools; such maps compose in
    closed form. Maps without a form (linear resizing) give `lo` and `hi` as functions.
    """

    __slots__ = ("factor", "form", "_lo", "_hi")

    def __init__(self, factor: tuple[int, int], form: tuple[int, int, int, int] | None = None,
                 lo: Callable[[int], int] | None = None, hi: Callable[[int], int] | None = None) -> None:
        self.factor = factor
        self.form = form
        self._lo = lo
        self._hi = hi

    def lo(self, j: int) -> int:
        if self._lo is not None:
            return self._lo(j)
        m, f, c_lo, _ = self.form
        return (m * j + c_lo) // f

    def hi(self, j: int) -> int:
        if self._hi is not None:
            return self._hi(j)
        m, f, _, c_hi = self.form
        return (m * j + c_hi) // f


def ratio(numerator: int, denominator: int) -> tuple[int, int]:
    """numerator / denominator as a reduced pair.

    >>> ratio(28, 14)
    (2, 1)
    """
    shared = math.gcd(numerator, denominator)
    return numerator // shared, denominator // shared


IDENTITY = AxisMap((1, 1), (1, 1, 0, 0))


def window_map(kernel: int, stride: int, dilation: int, pad_before: int) -> AxisMap:
    """A sliding window: output cell j reads j*s - pad_before .. j*s - pad_before + d*(k-1)."""
    span = shapes.effective_kernel(kernel, dilation) - 1
    return AxisMap((stride, 1), (stride, 1, -pad_before, -pad_before + span))


def transpose_map(kernel: int, stride: int, dilation: int, pad_before: int) -> AxisMap:
    """A transposed convolution. Output cell o receives input cell i through tap t when
    o = i*s - pad_before + t*d: lo(o) = ceil((o + pad_before - span) / s), hi(o) = floor((o + pad_before) / s).

    >>> m = transpose_map(3, 2, 1, 1)  # k3 s2 p1: output cell 2 receives input cells 1 and 1
    >>> m.lo(2), m.hi(2), m.lo(1), m.hi(1)
    (1, 1, 0, 1)
    """
    span = shapes.effective_kernel(kernel, dilation) - 1
    return AxisMap((1, stride), (1, stride, pad_before - span + stride - 1, pad_before))


def resize_map(scale: tuple[int, int], mode: str | None) -> AxisMap:
    """Resizing by `scale` input cells per output cell (a reduced pair). nearest: src = floor(j * scale)
    (torch and keras); linear modes with half-pixel centres: src = (j + 0.5) * scale - 0.5, two neighbours.

    >>> nearest, linear = resize_map((1, 2), None), resize_map((1, 2), "bilinear")  # upsampling x2
    >>> nearest.lo(5), nearest.hi(5), linear.lo(5), linear.hi(5)
    (2, 2, 2, 3)
    """
    top, bottom = scale
    if mode in (None, "nearest", "nearest-exact", "area"):
        if mode == "nearest-exact":  # floor((j + 1/2) * scale)
            return AxisMap((top, bottom), (2 * top, 2 * bottom, top, top))
        return AxisMap((top, bottom), (top, bottom, 0, 0))
    from fractions import Fraction  # linear resizing only: most networks never load it

    exact = Fraction(top, bottom)
    reach = 1 if mode in ("bicubic",) or mode.startswith("lanczos") else 0

    def source(j: int) -> "Fraction":
        return max((j + Fraction(1, 2)) * exact - Fraction(1, 2), Fraction(0))

    return AxisMap((top, bottom), lo=lambda j: math.floor(source(j)) - reach,
                   hi=lambda j: math.ceil(source(j)) + reach)


def adaptive_map(length: int, out: int) -> AxisMap:
    """Adaptive pooling (torch and keras): window j covers floor(j*n/o) .. ceil((j+1)*n/o) - 1.

    >>> m = adaptive_map(7, 3)
    >>> [(m.lo(j), m.hi(j)) for j in range(3)]
    [(0, 2), (2, 4), (4, 6)]
    """
    return AxisMap(ratio(length, out), (length, out, 0, length - 1))


def _inverse(scale_factor: int | float) -> tuple[int, int]:
    """1 / scale_factor, exactly, as a reduced (numerator, denominator) pair."""
    if isinstance(scale_factor, int):
        return 1, scale_factor
    numerator, denominator = scale_factor.as_integer_ratio()
    return denominator, numerator


def _spatial(row, framework: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(input, output) spatial sizes of a planned layer that keeps its rank (None otherwise)."""
    if row.input is None or row.output is None or len(row.input) < 2 or len(row.output) != len(row.input):
        return None
    return split(row.input, framework)[1], split(row.output, framework)[1]


# --- the field hooks the kinds name


def identity_field(row, framework: str) -> list[AxisMap] | None:
    """Activations, dropout, normalisation: each cell reads the same cell.

    >>> from types import SimpleNamespace
    >>> identity_field(SimpleNamespace(input=(8, 4, 4), output=(8, 4, 4)), "torch") == [IDENTITY, IDENTITY]
    True
    """
    sizes = _spatial(row, framework)
    return None if sizes is None else [IDENTITY] * len(sizes[0])


def dense_field(row, framework: str) -> list[AxisMap] | None:
    """Dense acts on the last axis: in keras the spatial axes are kept cell for cell; in torch the last
    axis is a spatial one, which the layer mixes (no field).

    >>> from types import SimpleNamespace
    >>> row = SimpleNamespace(input=(4, 4, 8), output=(4, 4, 2))
    >>> len(dense_field(row, "keras")), dense_field(row, "torch")
    (2, None)
    """
    return identity_field(row, framework) if framework == "keras" else None


def window_field(row, framework: str) -> list[AxisMap] | None:
    """Convolutions, pooling, zero padding and cropping: the geometry the plan applied.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [1, 8, 8], "layers": [{"conv2d": {"filters": 1, "kernel_size": 3,
    ...                                                             "stride": 2, "padding": 1}}]}).layers[0]
    >>> [(m.lo(1), m.hi(1)) for m in window_field(row, "torch")]
    [(1, 3), (1, 3)]
    """
    sizes = _spatial(row, framework)
    if sizes is None or len(row.geometry) != len(sizes[0]):
        return None
    return [window_map(g.kernel or 1, g.stride or 1, g.dilation or 1, g.pad_before) for g in row.geometry]


def transpose_field(row, framework: str) -> list[AxisMap] | None:
    """Transposed convolutions. keras (TensorFlow) runs one as the gradient of a forward conv from the
    output size back to the input size, with that conv's own padding.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"framework": "keras", "input": [4, 3], "layers": [{"conv1d_transpose": {
    ...     "filters": 1, "kernel_size": 3, "strides": 2, "padding": "same"}}]}).layers[0]
    >>> [(m.lo(j), m.hi(j)) for m in transpose_field(row, "keras") for j in range(3)]  # -1: padding
    [(-1, 0), (0, 0), (0, 1)]
    """
    sizes = _spatial(row, framework)
    if sizes is None:
        return None
    options, maps = row.options, []
    for axis, (i, o) in enumerate(zip(*sizes)):
        k, s, d = options["kernel_size"][axis], options["stride"][axis], options["dilation"][axis]
        if framework == "torch":
            pad = options["padding"][axis]
        else:
            k_eff = shapes.effective_kernel(k, d)
            pad = (max((i - 1) * s + k_eff - o, 0) if options["padding"] == "same" else 0) // 2
        maps.append(transpose_map(k, s, d, pad))
    return maps


def upsample_field(row, framework: str) -> list[AxisMap] | None:
    """Upsampling: nearest or interpolating resize by the planned factor.

    >>> from layerplan.planner.plan import plan_only
    >>> row = plan_only({"input": [1, 4], "layers": [{"upsample1d": {"scale_factor": 2}}]}).layers[0]
    >>> [(m.lo(5), m.hi(5)) for m in upsample_field(row, "torch")]
    [(2, 2)]
    """
    sizes = _spatial(row, framework)
    if sizes is None:
        return None
    options = row.options
    by_size = options.get("size") is not None or framework == "keras"
    return [resize_map(ratio(i, o) if by_size else _inverse(options["scale_factor"][axis]), options.get("mode"))
            for axis, (i, o) in enumerate(zip(*sizes))]


def resize_to_field(row, framework: str) -> list[AxisMap] | None:
    """Resizing to another tensor's size: a resize by the ratio of the planned sizes.

    >>> from types import SimpleNamespace
    >>> row = SimpleNamespace(input=(1, 4), output=(1, 8), options={"mode": None})
    >>> [(m.lo(5), m.hi(5)) for m in resize_to_field(row, "torch")]
    [(2, 2)]
    """
    sizes = _spatial(row, framework)
    if sizes is None:
        return None
    return [resize_map(ratio(i, o), row.options.get("mode")) for i, o in zip(*sizes)]


def adaptive_field(row, framework: str) -> list[AxisMap] | None:
    """Adaptive and global pooling (global pooling with keepdims keeps the rank: each axis to 1).

    >>> from types import SimpleNamespace
    >>> [(m.lo(0), m.hi(0)) for m in adaptive_field(SimpleNamespace(input=(7, 7, 3), output=(1, 1, 3)), "keras")]
    [(0, 6), (0, 6)]
    """
    sizes = _spatial(row, framework)
    return None if sizes is None else [adaptive_map(i, o) for i, o in zip(*sizes)]


def merge_field(row, framework: str) -> list[AxisMap] | None:
    """Merges keep each branch's cells in place when the spatial sizes agree (channel concatenation,
    element-wise joins); a join along a spatial axis or with broadcasting has no field here.

    >>> from types import SimpleNamespace
    >>> joined = SimpleNamespace(input=(4, 8, 8), output=(8, 8, 8), input_shapes=[(4, 8, 8), (4, 8, 8)])
    >>> along_h = SimpleNamespace(input=(4, 8, 8), output=(4, 16, 8), input_shapes=[(4, 8, 8), (4, 8, 8)])
    >>> len(merge_field(joined, "torch")), merge_field(along_h, "torch")
    (2, None)
    """
    if row.output is None or len(row.output) < 2:
        return None
    shapes_in = row.input_shapes or [row.input]
    if any(shape is None or len(shape) != len(row.output) or split(shape, framework)[1]
           != split(row.output, framework)[1] for shape in shapes_in):
        return None
    return [IDENTITY] * (len(row.output) - 1)


def split_field(row, framework: str) -> list[AxisMap] | None:
    """split / chunk along the channel axis keep every cell in place; along a spatial axis there is no
    field here.

    >>> from types import SimpleNamespace
    >>> channels = SimpleNamespace(input=(8, 6, 6), options={"axis": 1})
    >>> len(split_field(channels, "torch")), split_field(SimpleNamespace(input=(8, 6, 6), options={"axis": 2}), "torch")
    (2, None)
    """
    if row.input is None or len(row.input) < 2:
        return None
    rank = len(row.input)
    channel = 0 if framework == "torch" else rank - 1
    if (row.options.get("axis") or 0) % (rank + 1) - 1 != channel:
        return None
    return [IDENTITY] * (rank - 1)


def unchanged_field(row, framework: str) -> list[AxisMap] | None:
    """squeeze, unflatten: a field only when the layer leaves the sample as it was (torch's squeeze of
    an axis whose size is not 1, unflatten into one size). Any other squeeze, unsqueeze or unflatten
    changes how many axes the sample has, and the field is kept per spatial axis of the network input,
    with each layer's spatial axes in the same places: there is no such map.

    >>> from types import SimpleNamespace
    >>> len(unchanged_field(SimpleNamespace(input=(8, 6, 6), output=(8, 6, 6)), "torch"))
    2
    >>> unchanged_field(SimpleNamespace(input=(8, 1, 6), output=(8, 6)), "torch") is None
    True
    """
    return identity_field(row, framework) if row.output is not None and row.output == row.input else None


def reorder_field(row, framework: str) -> list[AxisMap] | None:
    """transpose, permute: a field only when every axis stays where it was (an axis swapped with itself,
    the identity order); a spatial axis that moves mixes the axes the field is kept by (and moving the
    channel axis moves one). Two axes of the same size swapped keep the shape, not the field.

    >>> from types import SimpleNamespace
    >>> swap = lambda a, b: SimpleNamespace(input=(8, 6, 6), output=(8, 6, 6), type="transpose",
    ...                                     options={"dim0": a, "dim1": b})
    >>> len(reorder_field(swap(2, -2), "torch")), reorder_field(swap(2, 3), "torch")
    (2, None)
    """
    if row.output is None or row.input is None:
        return None
    rank, options = len(row.input), row.options
    if "dims" in options:
        dims = list(options["dims"])
        order = [d % (rank + 1) for d in dims[1:]] if len(dims) == rank + 1 else dims
        kept = order == list(range(1, rank + 1))
    else:
        kept = options["dim0"] % (rank + 1) == options["dim1"] % (rank + 1)
    return identity_field(row, framework) if kept else None


def slice_field(row, framework: str) -> list[AxisMap] | None:
    """slice: along the channel axis every cell stays in place; along a spatial axis output cell j is
    input cell start + j*step (a positive step); a reversed slice has no field here.

    >>> from types import SimpleNamespace
    >>> row = SimpleNamespace(input=(3, 8, 8), output=(3, 4, 8),
    ...                       options={"axis": 2, "start": 1, "stop": None, "step": 2})
    >>> [(m.lo(j), m.hi(j)) for m in slice_field(row, "torch") for j in (0, 3)]
    [(1, 1), (7, 7), (0, 0), (3, 3)]
    """
    if row.input is None or row.output is None or len(row.input) < 2:
        return None
    options, rank = row.options, len(row.input)
    position = options["axis"] % (rank + 1) - 1
    channel = 0 if framework == "torch" else rank - 1
    if position == channel:
        return [IDENTITY] * (rank - 1)
    if options["step"] < 0:
        return None
    first = slice(options["start"], options["stop"], options["step"]).indices(row.input[position])[0]
    spatial = position - 1 if framework == "torch" else position
    step = options["step"]
    return [AxisMap((step, 1), (step, 1, first, first)) if k == spatial else IDENTITY for k in range(rank - 1)]

