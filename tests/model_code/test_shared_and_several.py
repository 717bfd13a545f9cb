"""Model code: layers called twice (`shares:`), tuples of several outputs, forwards of several tensors,
and `view(-1, N)`, which keeps the batch only when a sample holds N elements."""

import pytest

from layerplan.planner import plan_document
from layerplan.planner.model_code import read_model

HEADER = "import torch\nimport torch.nn as nn\n"


def _torch(forward: str, init: str, shape: str = "8") -> tuple:
    text = (HEADER + "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            + "".join(f"        {line}\n" for line in init.splitlines())
            + "    def forward" + forward + f"\n# layerplan: input {shape}\n")
    document = read_model(text, "net.py")
    return document, plan_document(document)


def test_a_layer_called_twice_shares_its_weights():
    document, report = _torch("(self, x):\n        return self.fc(self.fc(x))", "self.fc = nn.Linear(8, 8)")
    assert [layer.get("shares") for layer in document.data["layers"]] == [None, "fc"]
    assert report.total_params == 72 and report.ok


def test_a_shared_layer_on_an_input_its_weights_do_not_fit_is_an_error():
    document, report = _torch("(self, x):\n        return self.fc(self.out(self.fc(x)))",
                              "self.fc = nn.Linear(8, 8)\nself.out = nn.Linear(8, 4)")
    assert [d.name for d in report.diagnostics] == ["shared-weights-mismatch"]
    assert report.diagnostics[0].line == 6  # the constructor of the shared layer


@pytest.mark.parametrize("code, outputs", [
    ("out, (h, c) = self.rnn(x)\n        return h", "rnn:1"),
    ("out, h = self.gru(x)\n        return out", "gru:0"),
])
def test_recurrent_tuples_are_read_as_outputs(code, outputs):
    init = "self.rnn = nn.LSTM(8, 16, batch_first=True)" if "rnn" in code else "self.gru = nn.GRU(8, 4)"
    document, report = _torch("(self, x):\n        " + code, init, "5x8")
    assert document.data["outputs"] == [outputs] and report.ok
    assert document.data["layers"][0]["return_state"] is True


def test_a_forward_of_several_tensors_has_several_inputs():
    document, report = _torch("(self, a, b):\n        return self.fc(a) + self.fc(b)", "self.fc = nn.Linear(8, 2)")
    assert document.data["inputs"] == {"a": [8], "b": [8]}
    assert report.total_params == 18 and report.ok


@pytest.mark.parametrize("view, shape, ok", [
    ("x.view(-1, 1).squeeze(1)", "1x1x1", True),   # one element per sample: the batch is kept
    ("x.view(-1, 4, 4)", "1x4x4", True),
    ("x.view(-1, 8)", "4x4x4", False),             # torch makes 8 rows of each sample: refused, at its line
])
def test_view_with_a_batch_of_minus_one(view, shape, ok):
    document, report = _torch(f"(self, x):\n        return {view}", "pass", shape)
    assert report.ok is ok
    if not ok:
        assert [(d.name, d.line) for d in report.diagnostics] == [("reshape-mismatch", 8)]  # the line of the view
