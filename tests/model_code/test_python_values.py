"""Plain Python in model code: the reader computes it on its own values, follows decorators by rule, skips
statements that cannot change the model (with a note), and reads the modules of the same tree that a
file imports; what it cannot compute stays an error where the model uses it."""

import pytest

from layerplan.planner import SpecReadError, plan_document
from layerplan.planner.model_code import read_model

HEAD = "import math\nimport functools\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def net(init: str, forward: str = "        return self.fc(x)", before: str = "") -> str:
    """A torch model whose __init__ and forward hold the given lines (8 features in)."""
    return (HEAD + before + "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n" + init
            + "\n    def forward(self, x):\n" + forward + "\n")


def planned(text, name="Net", shape=(8,), path=None):
    document = read_model(text, "net.py", name, input_shape=shape, path=path)
    report = plan_document(document)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    return document, report


# (id, model text, output features, total params): each reads only when the construct is computed as Python does
COMPUTED = [
    ("set literal and in", net("        width = 4 if 'wide' not in {'narrow', None} else 2\n"
                               "        self.fc = nn.Linear(8, width)"), [4], 36),
    ("is None on a layer", net("        self.down = None\n        self.fc = nn.Linear(8, 3)",
                               "        x = self.fc(x)\n        if self.down is not None:\n"
                               "            x = self.down(x)\n        return x"), [3], 27),
    ("is not None on a layer", net("        self.down = nn.Linear(3, 2)\n        self.fc = nn.Linear(8, 3)",
                                   "        x = self.fc(x)\n        if self.down is not None:\n"
                                   "            x = self.down(x)\n        return x"), [2], 35),
    ("comprehension with if and two fors", net(
        "        sizes = [a * b for a in (1, 2) for b in (2, 3) if a * b != 3]\n"
        "        self.fc = nn.Linear(8, sum(sizes))"), [12], 108),
    ("dict and set comprehensions", net(
        "        widths = {k: len(k) for k in ('ab', 'abc')}\n        kinds = {w % 2 for w in widths.values()}\n"
        "        self.fc = nn.Linear(8, widths['abc'] + len(kinds))"), [5], 45),
    ("class attribute through a class argument", HEAD + (
        "class Block(nn.Module):\n    expansion = 2\n    def __init__(self, n):\n        super().__init__()\n"
        "        self.fc = nn.Linear(n, n * self.expansion)\n    def forward(self, x):\n        return self.fc(x)\n"
        "class Net(nn.Module):\n    def __init__(self, block=Block):\n        super().__init__()\n"
        "        self.body = block(8)\n        self.head = nn.Linear(8 * block.expansion, 3)\n"
        "    def forward(self, x):\n        return self.head(self.body(x))\n"), [3], 144 + 51),
    ("inherited class attribute and classmethod", HEAD + (
        "class Base:\n    width = 6\n    @classmethod\n    def wider(cls, n):\n        return cls.width + n\n"
        "class Config(Base):\n    pass\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(8, Config.wider(1))\n    def forward(self, x):\n        return self.fc(x)\n"),
     [7], 63),
    ("isinstance, hasattr, getattr, callable", net(
        "        self.fc = nn.Linear(8, 4)\n        n = 2 if isinstance(self.fc, nn.Linear) else 9\n"
        "        n += 1 if hasattr(self, 'fc') and not hasattr(self, 'missing') else 9\n"
        "        n += getattr(self, 'missing', 1) + (1 if callable(nn.ReLU) else 9)\n"
        "        self.out = nn.Linear(4, n)",
        "        return self.out(self.fc(x))"), [5], 36 + 25),
    ("super().__setattr__ and setattr", net(
        "        super().__setattr__('fc', nn.Linear(8, 3))\n        setattr(self, 'out', nn.Linear(3, 2))\n"
        "        self.__setattr__('last_%d' % 1, nn.Linear(2, 2))",
        "        return self.last_1(self.out(self.fc(x)))"), [2], 27 + 8 + 6),
    ("dict and list methods", net(
        "        options = {'width': 5, 'depth': 2}\n        width = options.pop('width')\n"
        "        options.update(extra=1)\n        options.setdefault('depth', 7)\n"
        "        sizes = [3, 1, 2]\n        sizes.pop()\n"
        "        self.fc = nn.Linear(8, width + options.get('depth') + options.get('none', 0) + sizes.index(1))"),
     [8], 72),
    ("math functions", net("        self.fc = nn.Linear(8, math.floor(7 / 2) + math.ceil(1.2) + int(math.sqrt(16)) "
                           "+ int(math.log2(8)))"), [12], 108),
    ("functools.partial of a layer class", net(
        "        make = functools.partial(nn.Linear, bias=False)\n        self.fc = make(8, 6)"), [6], 48),
    ("f-string and format names", net(
        "        for i in range(2):\n            self.add_module(f'fc{i}', nn.Linear(8, 8))\n"
        "        name = '{}_{:02d}'.format('layer', 3)\n        self.fc = nn.Linear(8, len(name))",
        "        return self.fc(self.fc1(self.fc0(x)))") if False else net(
        "        name = f'{\"layer\"}_{3:02d}'\n        other = '{}-{}'.format('ab', 1)\n"
        "        self.fc = nn.Linear(8, len(name) + len(other))"), [12], 108),
    ("any, all, sorted, min, max", net(
        "        sizes = sorted([3, 1, 2], reverse=True)\n"
        "        width = max(sizes) + min(sizes) if any(s > 2 for s in sizes) and all(sizes) else 0\n"
        "        self.fc = nn.Linear(8, width)"), [4], 36),
    ("a plain class and a dataclass of settings", HEAD + (
        "from dataclasses import dataclass\n"
        "@dataclass\nclass Settings:\n    width: int\n    extra: int = 1\n"
        "class Pair:\n    def __init__(self, a, b):\n        self.total = a + b\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        s = Settings(4)\n        self.fc = nn.Linear(8, s.width + s.extra + Pair(1, 2).total)\n"
        "    def forward(self, x):\n        return self.fc(x)\n"), [8], 72),
    ("a base class's __init__ through super()", HEAD + (
        "class Base(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 4)\n"
        "class Net(Base):\n    def __init__(self):\n        super().__init__()\n        self.out = nn.Linear(4, 2)\n"
        "    def forward(self, x):\n        return self.out(self.fc(x))\n"), [2], 36 + 10),
    ("an identity decorator and a decorator of the file", HEAD + (
        "import torch\n"
        "def keep(function):\n    return function\n"
        "@keep\ndef width():\n    return 5\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(8, width())\n    @torch.no_grad()\n    def forward(self, x):\n"
        "        return self.fc(x)\n"), [5], 45),
    ("np.prod and math.prod of constants", net(
        "        self.fc = nn.Linear(8, int(np.prod((1, (2, 2)))) + math.prod([1, 2]))",
        before="import numpy as np\n"), [6], 54),
    ("bit operators on integers", net("        self.fc = nn.Linear(8, ((1 << 3) >> 1) | (3 & 1) ^ 2)"), [7], 63),
    ("len of a list of classes", net("        blocks = [nn.Linear, nn.ReLU]\n"
                                     "        self.fc = nn.Linear(8, len(blocks))"),
     [2], 18),
    ("torch.jit.is_scripting() is False when run", net(
        "        self.fc = nn.Linear(8, 2)", "        if torch.jit.is_scripting():\n            return x\n"
                                            "        return self.fc(x)", before="import torch\n"), [2], 18),
    ("a list of classes repeated", net("        kinds = [nn.Linear] * 2 + [nn.ReLU]\n"
                                       "        self.fc = kinds[1](8, len(kinds))"), [3], 27),
    ("tuples of classes joined", net("        pair = (nn.Linear,) + (nn.ReLU,)\n"
                                     "        self.fc = pair[0](8, len(pair))"),
     [2], 18),
    ("a dataclass's generated __init__ through super()", net(
        "        cfg = Config(3)\n        self.fc = nn.Linear(8, cfg.width + cfg.depth)",
        before="from dataclasses import dataclass\n@dataclass\nclass Base:\n    width: int\n    depth: int = 1\n"
               "class Config(Base):\n    def __init__(self, width):\n        super().__init__(width * 2)\n"), [7], 63),
    ("copy.copy of a record", net(
        "        a = Record()\n        b = copy.copy(a)\n        b.n = 5\n        self.fc = nn.Linear(8, a.n + b.n)",
        before="import copy\nclass Record:\n    def __init__(self):\n        self.n = 2\n"), [7], 63),
    ("a layer subclass without an __init__", net("        self.fc = Wide(8, 2)",
                                                 before="class Wide(nn.Linear):\n    pass\n"), [2], 18),
    ("typing.cast is its value", net("        self.fc = nn.Linear(8, cast(int, 5))",
                                     before="from typing import cast\n"),
     [5], 45),
    ("copy.deepcopy of a table of settings", net(
        "        table = [{'width': 2}, {'width': 3}]\n        mine = copy.deepcopy(table)\n"
        "        mine[0]['width'] = 5\n        self.fc = nn.Linear(8, table[0]['width'] + mine[0]['width'])",
        before="import copy\n"), [7], 63),
    ("np.linspace rates, read back as numbers", net(
        "        rates = [float(r) for r in np.linspace(0.0, 0.3, 4)]\n"
        "        self.fc = nn.Linear(8, len(rates) + int(rates[-1] * 10))", before="import numpy as np\n"), [7], 63),
    ("chr and ord of numbers", net("        self.fc = nn.Linear(8, ord(chr(97)) - 95)"), [2], 18),
    ("a branch of plain assignments is run, not skipped as initialisation", net(
        "        n = 2\n        if n > 1:\n            n = 3\n        self.fc = nn.Linear(8, n)"), [3], 27),
    ("an attribute set on a layer, read back", net(
        "        self.fc = nn.Linear(8, 4)\n        self.fc.note = 3\n        self.out = nn.Linear(4, self.fc.note)",
        "        return self.out(self.fc(x))"), [3], 36 + 15),
    ("a tensor of values: arange, arithmetic, round half to even", net(
        "        widths = torch.round(torch.arange(4) * 2.5 + 8).int().tolist()\n"
        "        self.fc = nn.Linear(8, sum(widths) - 40)", before="import torch\n"), [7], 63),
    ("a tensor of values: tensor, diff, integer arithmetic, float lists", net(
        "        gaps = torch.diff(torch.tensor([1, 4, 9])).tolist()\n"
        "        ramp = (torch.arange(2, 8, 2) * 3 - 1).tolist()\n"
        "        halves = (torch.tensor([1.5, 2.25]) * 2).tolist()\n"
        "        self.fc = nn.Linear(8, gaps[1] + ramp[0] + int(halves[1] * 2))", before="import torch\n"), [19], 171),
    ("a number divided by a tensor of values: torch's reciprocal, then the product", net(
        "        thirds = (10.0 / torch.tensor([3.0])).tolist()\n"
        "        self.fc = nn.Linear(8, 2 if thirds[0] > 10.0 / 3 else 9)", before="import torch\n"), [2], 18),
    ("an enum member's name and value", net(
        "        self.fc = nn.Linear(8, Size.SMALL.value + len(Size.LARGE.name))",
        before="import enum\nclass Size(enum.Enum):\n    SMALL = 4\n    LARGE = 6\n"), [9], 81),
    ("enum members: one object each, of their class", net(
        "        same = Size.SMALL is Size.SMALL and Size.SMALL is not Size.LARGE and Size.SMALL == Size.SMALL\n"
        "        self.fc = nn.Linear(8, 2 if same and isinstance(Size.LARGE, Size) else 9)",
        before="import enum\nclass Size(enum.Enum):\n    SMALL = 4\n    LARGE = 6\n"), [2], 18),
    ("an enum's property reads the member's value", net(
        "        self.fc = nn.Linear(8, Size.LARGE.half)",
        before="import enum\nclass Size(enum.Enum):\n    SMALL = 4\n    LARGE = 6\n"
               "    @property\n    def half(self):\n        return self.value // 2\n"), [3], 27),
    ("** in a dict display", net(
        "        base = {'a': 1, 'b': 2}\n        table = {**base, 'b': 5, **{'c': 1}}\n"
        "        self.fc = nn.Linear(8, sum(table.values()) + len(table))"), [10], 90),
    ("a for loop's else block runs when no break left the loop", net(
        "        n = 1\n        for i in range(3):\n            n += i\n        else:\n            n += 10\n"
        "        self.fc = nn.Linear(8, n)"), [14], 126),
    ("a for loop's else block is skipped after a break", net(
        "        n = 1\n        for i in range(3):\n            if i == 1:\n                break\n"
        "        else:\n            n += 10\n        self.fc = nn.Linear(8, n)"), [1], 9),
    ("a module-level try statement: its body, else and finally blocks (the path on which nothing raises)",
     HEAD + "n = 1\ntry:\n    n += 1\nexcept ValueError:\n    n = 0\nelse:\n    n += 2\nfinally:\n    n += 3\n"
            "Net = nn.Sequential(nn.Linear(8, n))\n", [7], 63),
    ("break and continue in a for loop", net(
        "        n = 0\n        for i in range(10):\n            if i == 1:\n                continue\n"
        "            if i == 4:\n                break\n            n += i\n        self.fc = nn.Linear(8, n)"), [5], 45),
    ("del of a name, a dict key and a list item", net(
        "        table = {'a': 1, 'b': 2}\n        items = [1, 2, 3]\n        gone = 7\n        del table['a'], items[0]\n"
        "        del gone\n        self.fc = nn.Linear(8, len(table) + sum(items))"), [6], 54),
    ("named_children and children of a model object and a Sequential", net(
        "        self.body = nn.Sequential(nn.Linear(8, 4), nn.ReLU())\n        self.fc = nn.Linear(4, 2)\n"
        "        names = [name for name, _ in self.named_children()] + [n for n, _ in self.body.named_children()]\n"
        "        for child in self.body.children():\n            names.append(child)\n"
        "        self.out = nn.Linear(2, len(names))",
        "        return self.out(self.fc(self.body(x)))"), [6], 36 + 10 + 18),
    ("starred unpacking in the middle", net(
        "        first, *_, last = (2, 3, 4, 5)\n        self.fc = nn.Linear(8, first + last)"), [7], 63),
    ("starred unpacking at the start, a list of the rest", net(
        "        *head, tail = [1, 2, 3]\n        self.fc = nn.Linear(8, sum(head) + tail + len(head))"), [8], 72),
    ("starred unpacking at the end, empty", net(
        "        a, b, *rest = (3, 1)\n        self.fc = nn.Linear(8, a + b + len(rest))"), [4], 36),
    ("starred unpacking as a for target", net(
        "        n = 0\n        for a, *rest in [(1, 2, 3), (4,)]:\n            n += a + len(rest)\n"
        "        self.fc = nn.Linear(8, n)"), [7], 63),
    ("a list of layers compared with a number, as Python compares them", net(
        "        parts = [nn.ReLU()]\n        width = 3 if parts == 2 else 2\n        width += parts != 2\n"
        "        self.fc = nn.Linear(8, width)"), [3], 27),
    ("a while loop counting down, run turn by turn", net(
        "        layers = [nn.Linear(8, 4)]\n        blocks = 3\n        while blocks - 1:\n"
        "            layers.append(nn.Linear(4, 4))\n            blocks -= 1\n        self.fc = nn.Sequential(*layers)"),
     [4], 76),
    ("break in a while loop, its else body skipped", net(
        "        n = 1\n        while n:\n            if n > 2:\n                break\n            n += 1\n"
        "        else:\n            n = 9\n        self.fc = nn.Linear(8, n)"), [3], 27),
    ("continue in a while loop", net(
        "        n, t = 0, 0\n        while n < 5:\n            n += 1\n            if n % 2:\n                continue\n"
        "            t += n\n        self.fc = nn.Linear(8, t)"), [6], 54),
    ("a while loop's else body runs when the condition turns false", net(
        "        n = 1\n        while n < 3:\n            n += 1\n        else:\n            n *= 2\n"
        "        self.fc = nn.Linear(8, n)"), [6], 54),
]


@pytest.mark.parametrize(("text", "output", "params"), [c[1:] for c in COMPUTED], ids=[c[0] for c in COMPUTED])
def test_plain_python_is_computed_as_python_computes_it(text, output, params):
    _, report = planned(text)
    assert list(report.output) == output
    assert report.total_params == params


# (id, model text, words of the LP320 note): skipped, never run, and said once
SKIPPED = [
    ("an init loop over self.modules()", net(
        "        self.fc = nn.Linear(8, 2)\n        for m in self.modules():\n"
        "            if isinstance(m, nn.Linear):\n                nn.init.kaiming_normal_(m.weight)\n"
        "                bound = 1 / math.sqrt(4)\n                if m.bias is not None:\n"
        "                    nn.init.uniform_(m.bias, -bound, bound)"), "weight initialisation"),
    ("a weight filled in place", net("        self.fc = nn.Linear(8, 2)\n        self.fc.weight.data.normal_(0, 0.02)"),
     "weight initialisation"),
    ("a logging call in forward", net("        self.fc = nn.Linear(8, 2)",
                                      "        import warnings\n        warnings.warn('slow')\n        return self.fc(x)"),
     "logging"),
    ("an assert", net("        self.fc = nn.Linear(8, 2)", "        assert x is not None\n        return self.fc(x)"),
     "an assert"),
    ("an attribute set on a layer that it never reads", net(
        "        self.fc = nn.Linear(8, 2)\n        self.fc.stddev = 0.01"), "an attribute the layer never reads"),
    ("torch's apply of an initialising function", net(
        "        self.fc = nn.Linear(8, 2)\n        self.apply(init_weights)",
        before="def init_weights(m):\n    name = m.__class__.__name__\n    if isinstance(m, nn.Linear):\n"
               "        nn.init.zeros_(m.weight)\n"), "weight initialisation"),
    ("a layer holding a lambda, applied in forward, and apply of an init", net(
        "        self.fc = nn.Linear(8, 2)\n        self.pad = Hold(lambda t: F.pad(t, (1, 3)))\n"
        "        self.apply(init_weights)", "        return self.pad(self.fc(x))",
        before="def init_weights(m):\n    nn.init.ones_(m.weight)\n"
               "class Hold(nn.Module):\n    def __init__(self, fn):\n        super().__init__()\n        self.fn = fn\n"
               "    def forward(self, x):\n        return self.fn(x)\n"), "weight initialisation"),
    ("torch._assert", net("        self.fc = nn.Linear(8, 2)", "        torch._assert(x.dim() == 2, 'two axes')\n"
                                                               "        return self.fc(x)", before="import torch\n"),
     "an assert"),
    ("an init branch on a layer's class", net(
        "        self.fc = nn.Linear(8, 2)\n        if isinstance(self.fc, nn.Linear):\n"
        "            fan_in = self.fc.in_features * self.fc.kernel_size[0]\n"
        "            nn.init.trunc_normal_(self.fc.weight, std=math.sqrt(1 / fan_in))"), "weight initialisation"),
]


@pytest.mark.parametrize(("text", "words"), [c[1:] for c in SKIPPED], ids=[c[0] for c in SKIPPED])
def test_a_statement_that_cannot_change_the_model_is_skipped_with_a_note(text, words):
    document, report = planned(text)
    assert report.total_params == 18
    notes = [d for d in document.reader_notes if d.code == "LP320"]
    assert len(notes) == 1 and words in notes[0].message


# (id, model text, words the error must hold): not computable, so an error where the model uses it
REFUSED = [
    ("a name assigned in a skipped loop", net(
        "        n = 2\n        for m in self.modules():\n            n = 3\n            nn.init.zeros_(m.weight)\n"
        "        self.fc = nn.Linear(8, n)"), "'n' is assigned in weight initialisation"),
    ("a partial freeze is not skipped", net(
        "        self.fc = nn.Linear(8, 2)\n        for name, p in self.named_parameters():\n"
        "            if 'bias' in name:\n                p.requires_grad = False"),
     "sets requires_grad on some of self's parameters"),
    ("an unknown decorator", HEAD + "from mylib import cached\n@cached\ndef width():\n    return 5\n"
                             "model = nn.Sequential(nn.Linear(8, width()))\n", "decorator @cached"),
    ("iterating a set", net("        self.fc = nn.Linear(8, 2)\n        for w in {1, 2}:\n            pass"),
     "loop over"),
    ("the truth of a tensor", net("        self.fc = nn.Linear(8, 2)", "        if x:\n            x = x\n"
                                                                       "        return self.fc(x)"),
     "depends on its data"),
    ("an enum member where a number goes", HEAD + "import enum\nclass Size(enum.Enum):\n    SMALL = 4\n"
                                           "model = nn.Sequential(nn.Linear(8, Size.SMALL))\n",
     "not a value the reader can compute"),
    ("an option set on a layer object", net("        self.fc = nn.Linear(8, 2)\n        self.fc.out_features = 3"),
     "setting 'out_features' on a Linear layer changes what it computes"),
    ("a module set on a layer object", net("        self.fc = nn.Linear(8, 2)\n        self.fc.extra = nn.Linear(2, 2)"),
     "'extra' set on a Linear layer is not a plain value"),
    ("__getattr__ of a plain attribute", net("        self.width = 2\n        self.fc = nn.Linear(8, self.__getattr__('width'))"),
     "finds only the modules torch registered"),
    ("a rounding torch's last float32 bit decides", net(
        "        n = torch.round(torch.log(torch.tensor([4.0])) / math.log(2.0) - 1.5).int().tolist()[0]\n"
        "        self.fc = nn.Linear(8, n + 1)", before="import torch\n"), "the reader cannot know how torch rounds it"),
    ("a tensor of values given to an operation the reader does not compute", net(
        "        n = torch.sin(torch.arange(3)).tolist()\n        self.fc = nn.Linear(8, len(n))", before="import torch\n"),
     ".tolist() of a tensor the reader knows by its shape only"),
    ("del of an attribute", net("        self.fc = nn.Linear(8, 2)\n        del self.fc.bias"), "del self.fc.bias"),
    ("copy.copy of a layer", net("        self.fc = copy.copy(nn.Linear(8, 2))", before="import copy\n"),
     "copy.copy() is read for plain values"),
    ("copy.deepcopy of a layer", net("        self.fc = copy.deepcopy(nn.Linear(8, 2))", before="import copy\n"),
     "copy.deepcopy() is read for plain values"),
    ("a name assigned in a skipped init branch", net(
        "        self.fc = nn.Linear(8, 2)\n        if self.fc is not None:\n            n = 3\n"
        "            nn.init.zeros_(self.fc.weight)\n        self.out = nn.Linear(2, n)",
        "        return self.out(self.fc(x))"), "'n' is assigned in weight initialisation"),

    ("a while loop on a value the reader cannot compute", net(
        "        n = depth\n        while n:\n            n -= 1\n        self.fc = nn.Linear(8, 2)",
        before="import random\ndepth = random.randint(1, 3)\n"), "random.randint() is not read"),
    ("a while loop that does not end", net(
        "        n = 1\n        while n:\n            n += 1\n        self.fc = nn.Linear(8, n)"),
     "a loop of more than 10,000 steps is too long to unroll"),
    ("starred unpacking of too few values", net(
        "        a, *rest, b = (1,)\n        self.fc = nn.Linear(8, a)"), "at least 2 values are needed to unpack"),
    ("ordering a list and a number", net(
        "        parts = [nn.ReLU()]\n        width = 3 if parts < 2 else 2\n        self.fc = nn.Linear(8, width)"),
     "'<' between a list and a number is a TypeError"),
    ("a comparison with an unread value names it and its line", net(
        "        self.fc = nn.Linear(8, 2 if width > 1 else 3)", before="import random\nwidth = random.randint(1, 3)\n"),
     "random.randint() is not read by layerplan's model reader (it has no spec layer); write this step as a spec "
     "layer (its value is used at line 10"),
    ("torch's apply of a function that changes the model", net(
        "        self.fc = nn.Linear(8, 2)\n        self.apply(grow)",
        before="def grow(m):\n    m.extra = nn.Linear(2, 2)\n"), "module method .apply()"),
    ("np.prod along an axis", HEAD + "import numpy as np\n"
                              "model = nn.Sequential(nn.Linear(8, np.prod((2, 3), axis=0)))\n",
     "np.prod() is read with one argument"),
    ("np.prod of a value the reader cannot compute", HEAD + "import numpy as np\n"
     "model = nn.Sequential(nn.Linear(8, np.prod((2, nn.ReLU()))))\n", "np.prod() of a value the reader cannot"),
]


@pytest.mark.parametrize(("text", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_what_is_not_computable_is_an_error_that_names_it(text, words):
    name = "Net" if "class Net" in text else "model"
    with pytest.raises(SpecReadError) as caught:
        document = read_model(text, "net.py", name, input_shape=(8,))
        report = plan_document(document)
        errors = [d for d in report.diagnostics if d.is_error]
        assert errors
        raise SpecReadError(errors[0])
    assert words in caught.value.diagnostic.message, caught.value.diagnostic.message


def _tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


BLOCKS = ("import torch.nn as nn\n"
          "class Double(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n"
          "        self.fc = nn.Linear(n, 2 * n)\n    def forward(self, x):\n        return self.fc(x)\n")


@pytest.mark.parametrize(("files", "main", "name"), [
    # a star import of a sibling module
    ({"parts.py": BLOCKS, "net.py": "import torch.nn as nn\nfrom parts import *\n"
      "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = Double(4)\n"
      "    def forward(self, x):\n        return self.body(x)\n"}, "net.py", "Net"),
    # a relative import inside a package, from a module two levels down
    ({"pkg/__init__.py": "", "pkg/blocks/__init__.py": "", "pkg/blocks/double.py": BLOCKS,
      "pkg/models/__init__.py": "", "pkg/models/net.py": "import torch.nn as nn\nfrom ..blocks.double import Double\n"
      "def build():\n    return nn.Sequential(Double(4))\n"}, "pkg/models/net.py", "build"),
    # a script beside its models folder: `from models.double import Double`
    ({"models/__init__.py": "", "models/double.py": BLOCKS, "train.py": "import torch.nn as nn\n"
      "from models.double import Double\nmodel = Double(4)\n"}, "train.py", "model"),
    # a module imported whole, and an import cycle between two modules of the tree
    ({"a.py": "import torch.nn as nn\nfrom b import WIDTH\nclass Double(nn.Module):\n    def __init__(self, n):\n"
      "        super().__init__()\n        self.fc = nn.Linear(n, WIDTH)\n    def forward(self, x):\n"
      "        return self.fc(x)\n", "b.py": "import a\nWIDTH = 8\n",
      "net.py": "import torch.nn as nn\nimport a as blocks\nmodel = nn.Sequential(blocks.Double(4))\n"},
     "net.py", "model"),
    # the framework and `nn` only from a sibling's imports, through a star import (the file imports no library)
    ({"unet/__init__.py": "", "unet/parts.py": BLOCKS, "unet/net.py": "from .parts import *\n"
      "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.body = Double(4)\n"
      "    def forward(self, x):\n        return self.body(x)\n"}, "unet/net.py", "Net"),
    # ... two files away, and a star import that its __all__ limits to the library names it lists
    ({"pkg/__init__.py": "", "pkg/base.py": "import torch.nn as nn\nimport torch\n__all__ = ['nn']\n",
      "pkg/parts.py": "from .base import *\nclass Double(nn.Module):\n    def __init__(self, n):\n"
      "        super().__init__()\n        self.fc = nn.Linear(n, 2 * n)\n    def forward(self, x):\n"
      "        return self.fc(x)\n", "pkg/net.py": "from .parts import Double\nmodel = Double(4)\n"},
     "pkg/net.py", "model"),
])
def test_modules_of_the_same_tree_are_read(tmp_path, files, main, name):
    root = _tree(tmp_path, files)
    path = root / main
    document = read_model(path.read_text(), str(path), name, input_shape=(4,), path=path)
    report = plan_document(document)
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == [8] and report.total_params == 40
    assert all(document.locate(f"/layers/{i}")[0] <= len(path.read_text().splitlines())
               for i in range(len(report.layers)))


def test_without_a_path_other_files_are_not_read(tmp_path):
    root = _tree(tmp_path, {"parts.py": BLOCKS})
    text = "import torch.nn as nn\nfrom parts import Double\nmodel = nn.Sequential(Double(4))\n"
    with pytest.raises(SpecReadError) as caught:
        read_model(text, str(root / "net.py"), "model", input_shape=(4,))
    assert "Double() is not read" in caught.value.diagnostic.message


def test_an_error_in_another_file_names_that_file_at_the_call(tmp_path):
    root = _tree(tmp_path, {"parts.py": "import torch.nn as nn\nimport json\n"
                                        "def block():\n    return nn.Linear(4, json.load(open('w')))\n"})
    path = root / "net.py"
    path.write_text("import torch.nn as nn\nfrom parts import block\nmodel = nn.Sequential(block())\n")
    with pytest.raises(SpecReadError) as caught:
        read_model(path.read_text(), str(path), "model", input_shape=(4,), path=path)
    diagnostic = caught.value.diagnostic
    assert diagnostic.message.startswith("parts.py:4: ") and diagnostic.line == 3


def test_a_library_import_stays_opaque_and_the_file_count_is_bounded(tmp_path):
    files = {f"m{i}.py": f"from m{i + 1} import WIDTH\n" for i in range(60)}
    files["m60.py"] = "WIDTH = 4\n"
    root = _tree(tmp_path, files)
    path = root / "net.py"
    path.write_text("import torch.nn as nn\nfrom m0 import WIDTH\nmodel = nn.Sequential(nn.Linear(4, WIDTH))\n")
    with pytest.raises(SpecReadError) as caught:
        read_model(path.read_text(), str(path), "model", input_shape=(4,), path=path)
    assert "more than 48 files" in caught.value.diagnostic.message


@pytest.mark.parametrize(("text", "name", "shape", "output", "params", "layer"), [
    # a module-level layer whose size comes from a tensor the code made (`W.size(0)`), as torch has it
    ("import torch\nW = torch.randn(4, 1) * 5\nfc = torch.nn.Linear(W.size(0), 1)\n", "fc", (4,), [1], 5, "fc"),
    # keras names a layer by its own name
    ("from keras import layers\nhead = layers.Dense(3, input_shape=(5,))\n", "head", None, [3], 18, "dense"),
])
def test_a_layer_object_selected_by_name_is_the_model_of_that_layer(text, name, shape, output, params, layer):
    report = plan_document(read_model(text, "net.py", name, input_shape=shape))
    assert not [d for d in report.diagnostics if d.is_error], report.diagnostics
    assert list(report.output) == output and report.total_params == params
    assert [row.name for row in report.layers] == [layer]


def test_a_name_holding_no_model_says_what_may_be_selected():
    with pytest.raises(SpecReadError) as caught:
        read_model("import torch.nn as nn\nwidth = 3\nmodel = nn.Linear(2, width)\n", "net.py", "width")
    assert "holds no model, model class, function, layer or tensor" in caught.value.diagnostic.message
