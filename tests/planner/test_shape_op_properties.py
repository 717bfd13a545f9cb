"""Properties of split, chunk and the shape operations, on random shapes and options."""

import math

from hypothesis import given, settings, strategies as st

from layerplan.planner import plan_data

SHAPES = st.lists(st.integers(1, 9), min_size=1, max_size=4)


def _row(framework, shape, *layers):
    report = plan_data({"framework": framework, "input": list(shape), "layers": list(layers)})
    return report, report.layers[-1]


def _axis(draw_axis, shape):
    """A sample axis as the spec writes it (1..rank or -rank..-1) and its 0-based position."""
    rank = len(shape)
    written = draw_axis % (2 * rank)
    written = written + 1 if written < rank else written - 2 * rank
    return written, (written - 1) if written > 0 else rank + written


@settings(max_examples=150, deadline=None)
@given(SHAPES, st.integers(0, 99), st.integers(1, 12), st.sampled_from(["torch", "keras"]))
def test_split_parts_add_up_to_the_axis_and_keep_the_other_axes(shape, draw_axis, size, framework):
    axis, position = _axis(draw_axis, shape)
    option = {"split_size": size} if framework == "torch" else {"sections": size}
    report, row = _row(framework, shape, {"split": {"axis": axis, **option}})
    if framework == "keras" and shape[position] % size:
        assert [d.name for d in report.errors] == ["split-mismatch"]
        return
    assert report.ok
    assert sum(part[position] for part in row.outputs) == shape[position]
    assert all(part[:position] + part[position + 1:] == tuple(shape[:position] + shape[position + 1:])
               for part in row.outputs)
    if framework == "torch":  # torch.split: parts of `size`, only the last one smaller
        assert all(part[position] == size for part in row.outputs[:-1]) and row.outputs[-1][position] <= size


@settings(max_examples=150, deadline=None)
@given(SHAPES, st.integers(0, 99), st.data())
def test_split_sizes_and_indices_cut_the_same_parts(shape, draw_axis, data):
    axis, position = _axis(draw_axis, shape)
    length = shape[position]
    cuts = sorted(data.draw(st.sets(st.integers(1, length - 1), max_size=3))) if length > 1 else []
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, length])]
    _, by_sizes = _row("keras", shape, {"split": {"axis": axis, "sizes": sizes}})
    report, by_indices = _row("keras", shape, {"split": {"axis": axis, "indices": cuts}}) if cuts else (None, by_sizes)
    assert by_sizes.outputs == by_indices.outputs
    assert [part[position] for part in by_sizes.outputs] == sizes


@settings(max_examples=150, deadline=None)
@given(SHAPES, st.integers(0, 99), st.integers(1, 12))
def test_chunk_count_is_torch_chunks_rule(shape, draw_axis, chunks):
    axis, position = _axis(draw_axis, shape)
    length = shape[position]
    report, row = _row("torch", shape, {"chunk": {"axis": axis, "chunks": chunks}})
    each = math.ceil(length / chunks)  # torch.chunk: parts of ceil(n / chunks), as many as that takes
    assert len(row.outputs) == math.ceil(length / each) <= chunks
    assert sum(part[position] for part in row.outputs) == length
    assert ("fewer-chunks" in [d.name for d in report.warnings]) == (len(row.outputs) < chunks)


@settings(max_examples=150, deadline=None)
@given(SHAPES, st.randoms(use_true_random=False))
def test_permute_then_its_inverse_is_the_identity(shape, rng):
    rank = len(shape)
    order = list(range(rank))
    rng.shuffle(order)
    inverse = [order.index(k) for k in range(rank)]
    torch = [{"permute": {"dims": [0, *(k + 1 for k in order)]}}, {"permute": {"dims": [0, *(k + 1 for k in inverse)]}}]
    keras = [{"permute": {"dims": [k + 1 for k in order]}}, {"permute": {"dims": [k + 1 for k in inverse]}}]
    for framework, layers in (("torch", torch), ("keras", keras)):
        report, row = _row(framework, shape, *layers)
        assert report.ok and report.layers[0].output == tuple(shape[k] for k in order) and row.output == tuple(shape)


@settings(max_examples=150, deadline=None)
@given(SHAPES, st.integers(0, 99), st.integers(0, 99), st.sampled_from(["torch", "keras"]))
def test_transpose_twice_and_unsqueeze_then_squeeze_are_the_identity(shape, a, b, framework):
    (dim0, _), (dim1, _) = _axis(a, shape), _axis(b, shape)
    swap = {"transpose": {"dim0": dim0, "dim1": dim1}}
    report, row = _row(framework, shape, swap, swap)
    assert report.ok and row.output == tuple(shape)
    where, _ = _axis(a, [*shape, 1])  # an axis of the unsqueezed sample
    report, row = _row(framework, shape, {"unsqueeze": {"axis": where}}, {"squeeze": {"axis": where}})
    assert report.ok and report.layers[0].output.count(1) == shape.count(1) + 1 and row.output == tuple(shape)


@settings(max_examples=150, deadline=None)
@given(SHAPES, st.integers(0, 99), st.data())
def test_unflatten_then_flatten_of_those_axes_is_the_identity(shape, draw_axis, data):
    axis, position = _axis(draw_axis, shape)
    length = shape[position]
    first = data.draw(st.sampled_from([d for d in range(1, length + 1) if length % d == 0]))
    report, row = _row("torch", shape, {"unflatten": {"axis": axis, "sizes": [first, length // first]}},
                       {"flatten": {"start_dim": position + 1, "end_dim": position + 2}})
    assert report.ok and report.layers[0].output[position:position + 2] == (first, length // first)
    assert row.output == tuple(shape)
