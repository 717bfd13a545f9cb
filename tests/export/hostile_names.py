"""Specs whose every name is chosen by a test: what export must write safely whatever the names hold.

`hostile_spec(names, framework)` puts a name in every position a spec has one: the spec's `name:`,
two inputs, a block and the names of its two layers, three uses of the block (one of them read inside,
so that the exporters write it layer by layer under a `# <use>` comment), a layer with two outputs read
as `NAME:K`, and plain layers. HOSTILE holds names chosen to break code written without care.
"""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

#: the positions of hostile_spec's names, in order
POSITIONS = ("spec", "input_a", "input_b", "block", "inner_conv", "inner_relu", "merge", "use_1", "use_2",
             "use_3", "halves", "joined", "residual", "last")

#: names that break code written without care: quotes and triple quotes, backslashes and escapes,
#: line breaks of every kind, NUL, look-alikes that Python's NFKC normalisation merges with other
#: names, keywords and soft keywords, builtins, dunder names, nn.Module attributes, the names the
#: generated code uses, numbers that are not digits
HOSTILE = [
    'x"""; import os; os.system("touch pwned"); """', "x'''; import os; '''", '"', "'", '\\', "net\\N", "\\x00",
    "u\n    __import__('os').system('touch pwned')", "a\rb", "a\r\nb", "a\u2028b", "a\u2029b", "a\x85b", "a\x00b",
    "a\x0bb", "a\x0cb", "\x1b[31m", "\u202eevil", "\ud800", "𝐱", "x", "ｓｅｌｆ", "self", "ℌ", "ﬁ", "½", "²", "١",
    "none", "None", "true", "True", "false", "False", "class", "match", "case", "type", "_", "__init__",
    "__class__", "__builtins__", "__import__", "forward", "training", "parameters", "modules", "children",
    "state_dict", "to", "cuda", "eval", "exec", "print", "sum", "super", "torch", "nn", "F", "keras", "layers",
    "ops", "inputs", "INPUT_SHAPE", "build_model", "model", "x_", "x_2", "h_n", "{0}", "{}", "%s", "#", "# x",
    "é", "层", "a b", "1st", "-", "a-b", "a.b", "a:b", " ",
]

#: a hostile name: one of HOSTILE, two of them joined, or any text
hostile_names = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.sampled_from(HOSTILE)),
    st.text(min_size=1, max_size=12),
)


def distinct_names(draw_list: list[str]) -> bool:
    """Whether the names are usable together: distinct, and none of them a prefix path of another
    (`a` and `a.b` would read as a block use and its layer)."""
    keys = [unicodedata.normalize("NFC", n) for n in draw_list]
    return len(set(draw_list)) == len(draw_list) and len(set(keys)) == len(keys)


def hostile_spec(names: dict[str, str], framework: str) -> dict:
    """The spec with each position's name (POSITIONS); channels first for torch, last for keras."""
    n = names
    shape, axis = ([4, 6, 6], 1) if framework == "torch" else ([6, 6, 4], -1)
    return {
        "name": n["spec"],
        "framework": framework,
        "inputs": {n["input_a"]: shape, n["input_b"]: shape},
        "blocks": {n["block"]: [{"conv2d": {"filters": 4, "kernel_size": 1}, "name": n["inner_conv"]},
                                {"relu": {}, "name": n["inner_relu"]}]},
        "layers": [
            {"add": {}, "inputs": [n["input_a"], n["input_b"]], "name": n["merge"]},
            {"block": n["block"], "name": n["use_1"]},
            {"chunk": {"chunks": 2, "dim": axis}, "name": n["halves"]},
            {"concatenate": {"axis": axis}, "inputs": [f"{n['halves']}:1", f"{n['halves']}:0"], "name": n["joined"]},
            {"block": n["block"], "name": n["use_2"]},
            {"block": n["block"], "name": n["use_3"]},
            {"add": {}, "inputs": [f"{n['use_3']}.{n['inner_conv']}", n["use_3"]], "name": n["residual"]},
            {"add": {}, "inputs": [n["residual"], n["merge"]], "name": n["last"]},
        ],
    }
