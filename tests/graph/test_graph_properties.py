"""Properties: explicit wiring changes nothing, and a block use plans like its body written out."""

from hypothesis import given, settings, strategies as st

from layerplan.planner import plan_data

LAYER = st.one_of(
    st.builds(lambda f, k, p: {"conv2d": {"filters": f, "kernel_size": k, "padding": p}},
              st.integers(1, 6), st.integers(1, 3), st.integers(0, 1)),
    st.just({"max_pool2d": {"pool_size": 2}}), st.just("relu"), st.just({"upsample2d": {"scale_factor": 2}}),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LAYER, min_size=1, max_size=6), st.integers(4, 20))
def test_explicit_inputs_to_the_previous_layer_plan_like_a_stack(layers, size):
    implicit = plan_data({"input": [2, size, size], "layers": layers}).to_dict()
    names = ["input"] + [layer["name"] for layer in implicit["layers"]]
    wired = []
    for layer, source, name in zip(layers, names, names[1:]):
        kind, options = (layer, {}) if isinstance(layer, str) else next(iter(layer.items()))
        wired.append({"type": kind, **options, "inputs": source, "name": name})
    explicit = plan_data({"input": [2, size, size], "layers": wired}).to_dict()
    assert explicit["layers"] == implicit["layers"]
    # the same problems on the same layers (pointers differ: long form against short form)
    assert [(d["code"], d["layer"], d["message"]) for d in explicit["diagnostics"]] == \
        [(d["code"], d["layer"], d["message"]) for d in implicit["diagnostics"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(LAYER, min_size=1, max_size=5), st.integers(1, 3), st.integers(4, 20))
def test_a_repeated_block_plans_like_its_body_written_out(body, repeat, size):
    flat = plan_data({"input": [2, size, size], "layers": body * repeat})
    used = plan_data({"input": [2, size, size], "blocks": {"b": body}, "layers": [{"block": "b", "repeat": repeat}]})
    assert [r.output for r in used.layers] == [r.output for r in flat.layers]
    assert used.total_params == flat.total_params
    assert [d.code for d in used.diagnostics] == [d.code for d in flat.diagnostics]
