"""Names with control characters, markup and line breaks in every picture format: the SVG stays
well-formed XML, the HTML page holds no character XML forbids, and Mermaid and dot keep each label,
comment and title on its own line; every such character is shown as its escape (`\\x01`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from layerplan.output import PICTURE_FORMATS, render_picture
from layerplan.planner import plan_data
from layerplan.planner.code_text import visible

#: what XML 1.0 cannot hold even as a character reference
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

NAMES = ["a\x01b", "a\x00b", "line\nbreak", "cr\rhere", "a\u2028b", "a\x85b", "<script>x</script>", 'q"&\'', "\x1b[31m",
         "\ud800", "\x7f\x9f", "tab\there", "\u202eevil"]


def _report(name: str, graph: bool):
    """A spec named `name`, with an input, a layer, a block use and a spec-wide problem all named so."""
    layers = [{"dense": {"units": 3}, "name": name}, {"block": "b", "name": name + "!"}]
    if graph:
        layers.append({"add": {}, "inputs": [name, name + "!"]})
    data = {"name": name, "inputs": {name + "?": [4]}, "blocks": {"b": [{"dense": {"units": 3}}, "relu"]},
            "layers": layers, "outputs": [name + "!"], "expect": {"params": 1}}
    return plan_data(data, file=name + ".yaml")


@pytest.mark.parametrize("graph", [False, True], ids=["stack", "graph"])
@pytest.mark.parametrize("output_format", PICTURE_FORMATS)
@pytest.mark.parametrize("name", NAMES, ids=ascii)
def test_every_picture_format_shows_a_hostile_name_safely(name, output_format, graph):
    report = _report(name, graph)
    for unfold in (False, True):
        text = render_picture([report], output_format, unfold=unfold)
        assert not NOT_XML.search(text)
        assert len(text.split("\n")) == len(text.splitlines()) + 1  # no line break but "\n"
        shown = visible(name)
        if output_format == "svg":
            root = ET.fromstring(text)
            labels = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
            assert shown in labels
        elif output_format == "html":
            assert "<script>x" not in text and ("&lt;script&gt;" in text if "<" in name else True)
            ET.fromstring(re.search(r"<svg.*</svg>", text, re.S).group())  # the inline drawing is XML too
        elif "\n" in name:
            assert "\\n" in text
