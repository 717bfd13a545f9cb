"""einops patterns (planner/model_code/einops_patterns.py) and their calls in model code: the shape each
pattern gives, and a refusal where einops raises. Each expectation is einops' own result for the same
arguments (checked against einops itself by the framework-marked test when einops is at hand)."""

import os
import sys

import pytest

from layerplan.planner import plan_document
from layerplan.planner.model_code import read_model
from layerplan.planner.model_code.einops_patterns import einops_shape
from layerplan.planner.model_code.source import Unreadable

# (operation, pattern, input shape, sizes by keyword, output shape)
SHAPES = [
    ("rearrange", "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", (2, 3, 32, 32), {"p1": 8, "p2": 8}, (2, 16, 192)),
    ("rearrange", "b n (h d) -> b h n d", (2, 5, 12), {"h": 3}, (2, 3, 5, 4)),
    ("rearrange", "b h n d -> b n (h d)", (2, 3, 5, 4), {}, (2, 5, 12)),
    ("rearrange", "b c h w -> b h w c", (2, 3, 4, 5), {}, (2, 4, 5, 3)),
    ("rearrange", "b ... -> b (...)", (2, 3, 4, 5), {}, (2, 60)),
    ("rearrange", "... c -> c ...", (2, 3, 4), {}, (4, 2, 3)),
    ("rearrange", "b c -> b 1 c 1", (2, 3), {}, (2, 1, 3, 1)),
    ("rearrange", "b 1 c -> b c", (2, 1, 3), {}, (2, 3)),
    ("rearrange", "b (c 1) -> (b) c ()", (2, 3), {}, (2, 3, 1)),
    ("rearrange", "(b1 b2) c -> b1 b2 c", (6, 4), {"b2": 2}, (3, 2, 4)),
    ("rearrange", "b (h w) -> b h w", (2, 12), {"h": 3, "w": 4}, (2, 3, 4)),
    ("mean", "b n d -> b d", (2, 5, 7), {}, (2, 7)),
    ("max", "b c (h h2) (w w2) -> b c h w", (2, 3, 8, 6), {"h2": 2, "w2": 2}, (2, 3, 4, 3)),
    ("sum", "b c h w -> b c () ()", (2, 3, 4, 5), {}, (2, 3, 1, 1)),
    ("mean", "b ... c -> b c", (2, 3, 4, 5), {}, (2, 5)),
    ("repeat", "h w -> h w c", (4, 5), {"c": 3}, (4, 5, 3)),
    ("repeat", "h w -> (h 2) (w 3)", (4, 5), {}, (8, 15)),
    ("repeat", "... d -> b ... d", (1, 4), {"b": 6}, (6, 1, 4)),
]

# (operation, pattern, input shape, sizes, words of the refusal): einops raises on each
REFUSED = [
    ("rearrange", "b c (h p) -> b c h p", (2, 3, 10), {"p": 3}, "cannot divide an axis of size 10"),
    ("rearrange", "b b c -> b c", (2, 2, 3), {}, "twice"),
    ("rearrange", "b (h w) -> b h w", (2, 12), {}, "cannot infer the sizes"),
    ("rearrange", "b c -> b", (2, 3), {}, "one side only"),
    ("rearrange", "b c -> b c 2", (2, 3), {}, "numbers other than 1"),
    ("rearrange", "b c d -> b c d", (2, 3), {}, "reads 3 axes"),
    ("rearrange", "b c -> b c ...", (2, 3), {}, "on the right but not on the left"),
    ("rearrange", "b (c ...) -> b c ...", (2, 3), {}, "inside parentheses"),
    ("rearrange", "b ((c d)) -> b c d", (2, 6), {}, "one level"),
    ("rearrange", "b (c d -> b c d", (2, 6), {}, "not balanced"),
    ("rearrange", "b c", (2, 6), {}, "one `->`"),
    ("rearrange", "b c -> c b", (2, 6), {"e": 2}, "not in the pattern"),
    ("rearrange", "b c -> c b", (2, 6), {"c": 5}, "the pattern says 5"),
    ("rearrange", "b c_ -> c_ b", (2, 6), {}, "not an einops axis name"),
    ("repeat", "h w -> h w c", (4, 5), {}, "sizes of its new axes"),
    ("repeat", "h w -> h", (4, 5), {}, "drops these axes"),
    ("mean", "h w -> h w c", (4, 5), {}, "adds axes"),
    ("median", "h w -> h", (4, 5), {}, "not an einops reduction"),
]


@pytest.mark.parametrize(("operation", "pattern", "shape", "sizes", "output"), SHAPES,
                         ids=[f"{c[0]} {c[1]}" for c in SHAPES])
def test_a_pattern_gives_the_shape_einops_gives(operation, pattern, shape, sizes, output):
    assert einops_shape(operation, pattern, shape, sizes) == output


@pytest.mark.parametrize(("operation", "pattern", "shape", "sizes", "words"), REFUSED,
                         ids=[f"{c[0]} {c[1]}" for c in REFUSED])
def test_a_pattern_einops_refuses_is_refused(operation, pattern, shape, sizes, words):
    with pytest.raises(Unreadable, match=words):
        einops_shape(operation, pattern, shape, sizes)


def _einops():
    """einops itself, from where the corpus' extra packages are installed (never a dependency)."""
    extras = os.environ.get("LAYERPLAN_CORPUS_PACKAGES", "/tmp/corpus-extras")
    if os.path.isdir(os.path.join(extras, "einops")) and extras not in sys.path:
        sys.path.append(extras)
    return pytest.importorskip("einops")


@pytest.mark.framework
def test_the_tables_agree_with_einops():
    einops = _einops()
    np = pytest.importorskip("numpy")
    for operation, pattern, shape, sizes, output in SHAPES:
        array = np.zeros(shape)
        if operation == "rearrange":
            made = einops.rearrange(array, pattern, **sizes)
        elif operation == "repeat":
            made = einops.repeat(array, pattern, **sizes)
        else:
            made = einops.reduce(array, pattern, operation, **sizes)
        assert made.shape == output, pattern
    for operation, pattern, shape, sizes, _ in REFUSED:
        with pytest.raises(Exception):
            if operation == "repeat":
                einops.repeat(np.zeros(shape), pattern, **sizes)
            elif operation == "rearrange":
                einops.rearrange(np.zeros(shape), pattern, **sizes)
            else:
                einops.reduce(np.zeros(shape), pattern, operation, **sizes)


MODEL = """import torch
from torch import nn
from einops import rearrange, reduce, repeat
from einops.layers.torch import Rearrange, Reduce


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.patches = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=4, p2=4),
                                     nn.Linear(48, 32))
        self.pool = Reduce("b n d -> b d", "mean")

    def forward(self, x):
{body}
"""

# (forward body, input shape, output shape, params): torch with einops gives the same
MODEL_CASES = [
    ("return self.patches(x)", (3, 16, 16), [16, 32], 1568),
    ("return self.pool(self.patches(x))", (3, 16, 16), [32], 1568),
    ("y = rearrange(self.patches(x), 'b n (h d) -> b h n d', h=4)\nreturn rearrange(y, 'b h n d -> b n (h d)')",
     (3, 16, 16), [16, 32], 1568),
    ("q, k = map(lambda t: rearrange(t, 'b n (h d) -> b h n d', h=4), self.patches(x).chunk(2, dim=-1))\n"
     "return rearrange(q @ k.transpose(-1, -2), 'b h n m -> b n (h m)')", (3, 16, 16), [16, 64], 1568),
    ("y = repeat(self.patches(x), 'b n d -> b n d r', r=2)\nreturn reduce(y, 'b n d r -> b d', 'max')", (3, 16, 16),
     [32], 1568),
]


@pytest.mark.parametrize(("body", "shape", "output", "params"), MODEL_CASES, ids=[c[0][:40] for c in MODEL_CASES])
def test_einops_in_model_code_plans_to_the_shape_einops_gives(body, shape, output, params):
    text = MODEL.format(body="\n".join("        " + line for line in body.splitlines()))
    report = plan_document(read_model(text, "net.py", "Net", input_shape=shape))
    assert (list(report.output), report.total_params) == (output, params)


@pytest.mark.parametrize(("body", "words"), [
    ("return rearrange(x, 'b c h w -> (b c) h w')", "merges the batch axis"),
    ("return reduce(x, 'b c h w -> c h w', 'mean')", "batch axis"),
    ("return rearrange(x, 'b c (h p) w -> b c h p w', p=3)", "cannot divide an axis of size 16"),
])
def test_einops_in_model_code_is_refused_where_it_cannot_be_planned(body, words):
    text = MODEL.format(body="        " + body)
    with pytest.raises(Exception, match=words):
        read_model(text, "net.py", "Net", input_shape=(3, 16, 16))
