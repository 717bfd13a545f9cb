"""Layer entries: how build_spec splits each entry of `layers` (and of block bodies), and the JSON
pointers it gives them. LayerEntry builds `pointer` and `options_pointer` only when read; these tests
check that what is read is right, for every form of entry, against the document itself."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from layerplan.planner.spec_text import _json_positions
from layerplan.planner.spec import LayerEntry, OPTIONS_AT_ENTRY, OPTIONS_UNDER_TYPE, build_spec


def entry_of(item, blocks=None):
    data = {"input": [1, 8, 8], "layers": [item]}
    if blocks is not None:
        data["blocks"] = blocks
    spec = build_spec(data)
    return spec.layers[0], [(d.name, d.pointer) for d in spec.diagnostics]


# (id, entry, expected fields, expected diagnostics (name, pointer))
CASES = [
    ("bare-name", "relu",
     {"type_name": "relu", "options": {}, "options_pointer": "/layers/0", "positional": None}, []),
    ("short-form", {"conv2d": {"filters": 8, "kernel_size": 3}},
     {"type_name": "conv2d", "options": {"filters": 8, "kernel_size": 3}, "options_pointer": "/layers/0/conv2d"},
     []),
    ("short-form-positional", {"max_pool2d": 2},
     {"type_name": "max_pool2d", "options": {}, "positional": 2, "options_pointer": "/layers/0/max_pool2d"}, []),
    ("short-form-null-body", {"relu": None},
     {"type_name": "relu", "options": {}, "positional": None, "options_pointer": "/layers/0/relu"}, []),
    ("short-form-escaped-key", {"a/b~c": {"k": 1}},
     {"type_name": "a/b~c", "options_pointer": "/layers/0/a~1b~0c"}, []),
    ("short-form-integer-key", {3: {"k": 1}}, {"type_name": "3", "options_pointer": "/layers/0/3"}, []),
    ("layer-keys-in-body", {"conv2d": {"filters": 8, "name": "c", "expect": [8, 6, 6], "inputs": "input"}},
     {"options": {"filters": 8}, "name": "c", "expect": [8, 6, 6], "has_expect": True,
      "expect_pointer": "/layers/0/conv2d/expect", "inputs": ["input"], "inputs_pointer": "/layers/0/conv2d/inputs"},
     []),
    ("layer-keys-beside-type", {"conv2d": {"filters": 8}, "name": "c", "expect": [8, 6, 6], "inputs": ["input"]},
     {"options": {"filters": 8}, "name": "c", "expect_pointer": "/layers/0/expect",
      "inputs_pointer": "/layers/0/inputs", "options_pointer": "/layers/0/conv2d"}, []),
    ("beside-wins-over-body", {"conv2d": {"name": "inner", "expect": [1]}, "name": "outer", "expect": [2]},
     {"options": {"name": "inner", "expect": [1]}, "name": "outer", "expect": [2],
      "expect_pointer": "/layers/0/expect"}, []),
    ("long-form", {"type": "dense", "units": 10, "name": "fc"},
     {"type_name": "dense", "options": {"units": 10}, "name": "fc", "options_pointer": "/layers/0"}, []),
    ("long-form-bad-type", {"type": 3, "units": 10},
     {"type_name": None, "options": {"units": 10}, "options_pointer": "/layers/0"},
     [("bad-layers", "/layers/0/type")]),
    ("bad-name", {"relu": None, "name": ""}, {"name": None}, [("bad-value", "/layers/0/name")]),
    ("bad-inputs", {"relu": None, "inputs": 5}, {"inputs": None, "inputs_pointer": "/layers/0/inputs"},
     [("bad-inputs", "/layers/0/inputs")]),
    ("layer-key-only", {"name": "x"}, {"type_name": None, "options_pointer": ""}, [("bad-layers", "/layers/0")]),
    ("two-type-keys", {"conv2d": {}, "dense": {}}, {"type_name": None, "options_pointer": ""},
     [("bad-layers", "/layers/0")]),
    ("empty-mapping", {}, {"type_name": None, "options_pointer": ""}, [("bad-layers", "/layers/0")]),
    ("number", 3, {"type_name": None, "options": {}, "options_pointer": ""}, [("bad-layers", "/layers/0")]),
    ("in-a-block", {"block": "b"},
     {"pointer": "/blocks/b/0", "options_pointer": "/blocks/b/0/conv2d", "uses": ("/layers/0",),
      "block_path": ("b_1",), "block_names": ("b",), "aliases": (("b_1", "/layers/0"),)}, []),
]


@pytest.mark.parametrize("item, expected, diagnostics", [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_entry_forms(item, expected, diagnostics):
    entry, found = entry_of(item, blocks={"b": [{"conv2d": {"filters": 8}}]})
    assert {name: getattr(entry, name) for name in expected} == expected
    assert entry.pointer == expected.get("pointer", "/layers/0")
    assert found == diagnostics


def test_block_copies_share_their_body_pointers():
    spec = build_spec({"input": [1, 8, 8], "blocks": {"b": ["relu", {"conv2d": {"filters": 1}}]},
                       "layers": ["flatten", {"block": "b", "repeat": 2, "name": "u"}]})
    assert [(e.index, e.pointer, e.options_pointer) for e in spec.layers] == [
        (1, "/layers/0", "/layers/0"),
        (2, "/blocks/b/0", "/blocks/b/0"), (3, "/blocks/b/1", "/blocks/b/1/conv2d"),
        (4, "/blocks/b/0", "/blocks/b/0"), (5, "/blocks/b/1", "/blocks/b/1/conv2d"),
    ]
    assert spec.layers[1].opens and not spec.layers[2].opens
    assert spec.layers[4].aliases == (("u.2", "/layers/1/name"), ("u", "/layers/1/name"))


def test_repr_and_equality_use_the_public_fields():
    entry = LayerEntry(2, "/layers", 1, "conv2d", {"filters": 8}, OPTIONS_UNDER_TYPE, name="c")
    text = repr(entry)
    assert text.startswith("LayerEntry(index=2, pointer='/layers/1', type_name='conv2d', options={'filters': 8}, "
                           "options_pointer='/layers/1/conv2d', name='c', ")
    assert [part.split("=")[0] for part in text[len("LayerEntry("):].split(", ") if "=" in part][-1] == "trainable_pointer"
    same = LayerEntry(2, "/layers", 1, "conv2d", {"filters": 8}, OPTIONS_UNDER_TYPE, name="c")
    assert entry == same
    assert entry != LayerEntry(2, "/layers", 1, "conv2d", {"filters": 8}, OPTIONS_AT_ENTRY, name="c")
    assert entry != LayerEntry(2, "/layers", 2, "conv2d", {"filters": 8}, OPTIONS_UNDER_TYPE, name="c")


# ------------------------------------------------------------ pointers against the document itself

def resolve(data, pointer: str):
    """The value at a JSON pointer (RFC 6901), or KeyError."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


KEYS = st.sampled_from(["filters", "kernel_size", "name", "expect", "inputs", "units", "a/b", "~x"])
BODIES = st.one_of(st.none(), st.integers(1, 4), st.dictionaries(KEYS, st.integers(1, 4), max_size=3))
TYPES = st.sampled_from(["relu", "conv2d", "dense", "a/b", "t~1"])
ENTRIES = st.one_of(
    TYPES,
    st.builds(lambda t, body: {t: body}, TYPES, BODIES),
    st.builds(lambda t, extra: {t: None, **extra}, TYPES, st.dictionaries(st.sampled_from(["name", "expect"]),
                                                                          st.just("n"), max_size=2)),
    st.builds(lambda t, options: {"type": t, **options}, TYPES, st.dictionaries(KEYS, st.integers(1, 4), max_size=3)),
    st.just({"block": "b"}),
    st.integers(),
)


@given(layers=st.lists(ENTRIES, max_size=8), body=st.lists(ENTRIES.filter(lambda e: e != {"block": "b"}),
                                                          min_size=1, max_size=3))
def test_pointers_lead_to_what_they_name(layers, body):
    data = {"input": [1, 8, 8], "layers": layers, "blocks": {"b": body}}
    positions, _ = _json_positions(json.dumps(data))
    spec = build_spec(data)
    for entry in spec.layers:
        item = resolve(data, entry.pointer)
        assert entry.pointer in positions
        if not isinstance(item, (str, dict)) or entry.type_name is None and "type" not in item:
            assert entry.options_pointer == ""
            continue
        assert entry.options_pointer in positions
        holder = resolve(data, entry.options_pointer)
        if isinstance(holder, dict):
            assert {k: v for k, v in entry.options.items()}.items() <= holder.items()
        else:  # a bare name, or a positional value / null under the type key
            assert holder in (item, entry.positional)
        for pointer in (entry.expect_pointer, entry.inputs_pointer):
            if pointer:
                assert pointer in positions
    for diagnostic in spec.diagnostics:
        if diagnostic.pointer:
            assert diagnostic.pointer in positions or diagnostic.pointer.rsplit("/", 1)[0] in positions
