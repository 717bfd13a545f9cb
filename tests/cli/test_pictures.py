"""Pictures of the network: `layerplan plan --format svg|html|mermaid|dot`.

Every example (folded and unfolded), the problem specs and several specs in one call are drawn
through the command and compared with tests/golden/pictures/NAME.FORMAT byte for byte (so the bytes
are stable: no timestamps, no random ids). The other tests check what holds for any drawing: every
SVG parses as XML and names every layer and output shape, the HTML page reaches for nothing on the
network, the Mermaid and dot texts declare every node an edge joins, problems are marked on their
layers, no two labels overlap, and large networks draw fast.

Update the golden files after an intended change with:
    LAYERPLAN_UPDATE_GOLDEN=1 pytest tests/cli/test_pictures.py
and review the diff (and the drawings).
"""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from layerplan.planner.shapes import shape_text
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from layerplan.main import cli
from layerplan.output import PICTURE_FORMATS, render_picture
from layerplan.planner import plan_data, plan_text
from layerplan.planner.picture import label_box, picture

from problem_specs import PROBLEM_SPECS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "pictures"
UPDATE = os.environ.get("LAYERPLAN_UPDATE_GOLDEN") == "1"
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*") if p.suffix in (".yaml", ".yml", ".json"))
SVG = "{http://www.w3.org/2000/svg}"

#: golden name -> (arguments of `layerplan plan` before --format, standard input or None)
DRAWINGS = {path.stem: ([f"examples/{path.name}"], None) for path in EXAMPLES}
DRAWINGS.update({
    "resnet18-unfold": (["examples/resnet18.yaml", "--unfold"], None),
    "unet_original-unfold": (["examples/unet_original.yaml", "--unfold"], None),
    "several-specs": (["examples/resnet_stem.yaml", "examples/two_inputs.yaml"], None),
    "layer-arguments": (["-i", "1x28x28", "conv2d:32,3,p=same", "max_pool2d:2", "flatten", "dense:10"], None),
})
DRAWINGS.update({f"spec-{name}": (["-", "--stdin-filename", f"{name}.yaml"], text)
                 for name, text in PROBLEM_SPECS.items()})


@pytest.fixture(autouse=True)
def _in_the_project(monkeypatch):
    monkeypatch.chdir(ROOT)


def draw(arguments, output_format, stdin=None):
    result = CliRunner().invoke(cli, ["plan", *arguments, "--format", output_format], input=stdin,
                                catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _report(path: Path):
    return plan_text(path.read_text(encoding="utf-8"), f"examples/{path.name}")


@pytest.mark.parametrize("output_format", PICTURE_FORMATS)
@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_golden(name, output_format):
    arguments, stdin = DRAWINGS[name]
    status, text, _ = draw(arguments, output_format, stdin)
    assert status in (0, 1)
    golden = GOLDEN / f"{name}.{output_format}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_same_spec_draws_the_same_bytes():
    report = _report(ROOT / "examples" / "resnet18.yaml")
    for output_format in PICTURE_FORMATS:
        assert render_picture([report], output_format) == render_picture([report], output_format)


# ------------------------------------------------------------------------------------------------ svg

def _texts(root) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("unfold", [False, True], ids=["folded", "unfolded"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_svg_parses_and_names_every_layer_and_shape(path, unfold):
    report = _report(path)
    root = ET.fromstring(render_picture([report], "svg", unfold=unfold))
    assert root.tag == f"{SVG}svg"
    texts = set(_texts(root))
    shown = report.layers if unfold else [row for row in report.layers if not row.block_path]
    for row in shown:
        assert row.name in texts
        assert ", ".join(map(shape_text, row.output_shapes)) in texts
    for row in report.layers:
        if row.block_path and not unfold:
            assert row.block_path[0] in texts  # the block use's box
    for name, shape in report.inputs.items():
        assert name in texts and "x".join(map(str, shape)) in texts


def test_a_conv_layer_has_its_kernel_window_on_the_volume_it_slides_over():
    report = plan_data({"input": [1, 28, 28], "layers": [{"conv2d": {"filters": 32, "kernel_size": 3}}, "relu"]})
    p = picture(report)
    conv, relu = p.nodes[1], p.nodes[2]
    assert conv.window is not None and relu.window is None
    before = p.nodes[0]
    for x, y in conv.window[:4]:  # on the input volume's face
        assert before.volume_x <= x <= before.volume_x + before.volume.width
        assert before.volume_y - before.volume.depth <= y <= before.volume_y + before.volume.height
    root = ET.fromstring(render_picture([report], "svg"))
    assert len(root.findall(f".//{SVG}polygon[@class='window']")) == 1


@pytest.mark.parametrize("shape, form", [((10,), "vector"), ((16, 1000), "sequence"), ((3, 32, 32), "image"),
                                         ((8, 16, 32, 32), "volume")])
def test_tensors_of_every_rank_are_drawn_as_such(shape, form):
    report = plan_data({"input": list(shape), "layers": ["relu"]})
    node = picture(report).nodes[1]
    assert node.volume.form == form
    if form == "volume":
        assert node.volume.slices > 1
    if form == "sequence":  # a flat board: hardly any depth
        assert node.volume.depth < node.volume.height / 10


def test_sizes_are_log_scaled_so_big_and_small_both_read():
    big = picture(plan_data({"input": [3, 224, 224], "layers": ["relu"]})).nodes[1].volume
    small = picture(plan_data({"input": [2048, 7, 7], "layers": ["relu"]})).nodes[1].volume
    assert big.height < 4 * small.height and small.thickness < 10 * big.thickness
    assert big.height > small.height and small.thickness > big.thickness


# -------------------------------------------------------------------------------------------- problems

def test_errors_are_marked_on_their_layers_and_the_rest_still_draws():
    status, svg, stderr = draw(["-", "--stdin-filename", "bad.yaml"], "svg", PROBLEM_SPECS["shape-error"])
    assert status == 1 and "LP203" in stderr
    root = ET.fromstring(svg)
    marked = [g for g in root.iter(f"{SVG}g") if "error" in g.get("class", "").split()]
    assert [g.get("data-name") for g in marked] == ["conv2d_1"]
    assert any("LP203" in text for text in _texts(marked[0]))
    assert {"relu_1", "dense_1"} <= set(_texts(root))  # the layers after it are drawn too
    _, mermaid, _ = draw(["-"], "mermaid", PROBLEM_SPECS["shape-error"])
    assert "class n1 error" in mermaid and "LP203" in mermaid
    _, dot, _ = draw(["-"], "dot", PROBLEM_SPECS["shape-error"])
    assert re.search(r'n1 \[label="conv2d_1\\nconv2d\\n\?\\n✗ LP203 kernel-too-large".*#cf222e', dot)
    _, html, _ = draw(["-"], "html", PROBLEM_SPECS["shape-error"])
    assert '<tr class="error" data-node="p0-n1">' in html


def test_warnings_are_marked_too():
    _, svg, _ = draw(["-"], "svg", PROBLEM_SPECS["warning"])
    marked = [g for g in ET.fromstring(svg).iter(f"{SVG}g") if "warning" in g.get("class", "").split()]
    assert [g.get("data-name") for g in marked] == ["conv2d_1"]


def test_a_block_with_an_error_inside_is_unfolded_so_the_error_shows():
    spec = ("input: [1, 8, 8]\nblocks:\n  pair:\n    - conv2d: {filters: 4, kernel_size: 3, padding: 1}\n"
            "    - conv2d: {filters: 4, kernel_size: 9}\nlayers:\n  - relu\n  - pair: {}\n")
    report = plan_text(spec, "block.yaml")
    assert not report.ok
    p = picture(report)
    assert all(len(node.indexes) <= 1 for node in p.nodes)
    assert [node.severity for node in p.nodes if node.problems] == ["error"]


# ------------------------------------------------------------------------------------------------ html

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_html_is_self_contained_and_explains_every_layer(path):
    report = _report(path)
    html = render_picture([report], "html")
    assert not re.search(r"https?:|//[a-z]", html, re.IGNORECASE)
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|url\((?!#)", html)
    svg = html[html.index("<svg"):html.index("</svg>") + 6]
    ET.fromstring(svg)
    nodes = set(re.findall(r'<g class="layer[^"]*" id="([^"]+)"', svg))
    explained = re.findall(r'<pre class="explain" id="x-([^"]+)-(\d+)" data-node="([^"]+)"', html)
    assert sorted(int(index) for _, index, _ in explained) == [row.index for row in report.layers]
    assert {node for _, _, node in explained} <= nodes
    for row in report.layers:
        assert f"<td>{row.name}</td>" in html or f">{row.name}</a></td>" in html


# ----------------------------------------------------------------------------------- mermaid and dot

def _balanced(text: str) -> bool:
    depth = {"(": 0, "[": 0, "{": 0}
    pairs = {")": "(", "]": "[", "}": "{"}
    for character in re.sub(r'"(?:[^"\\]|\\.)*"', '""', text):
        if character in depth:
            depth[character] += 1
        elif character in pairs:
            depth[pairs[character]] -= 1
            if depth[pairs[character]] < 0:
                return False
    return all(v == 0 for v in depth.values())


@pytest.mark.parametrize("unfold", [False, True], ids=["folded", "unfolded"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_mermaid_declares_every_node_an_edge_joins(path, unfold):
    report = _report(path)
    text = render_picture([report], "mermaid", unfold=unfold)
    lines = text.splitlines()
    assert lines[:3] == ["---", f'title: "{report.name or report.file} · {report.framework}"', "---"]
    assert lines[3] == "flowchart TB"
    declared, joined = set(), set()
    for line in lines[4:]:
        line = line.strip()
        assert line.count('"') % 2 == 0, line
        assert _balanced(line), line
        if match := re.fullmatch(r'(\w+)(\(\[|\{\{|\[\[|\[)"[^"]*"(\]\)|\}\}|\]\]|\])', line):
            declared.add(match.group(1))
        elif match := re.fullmatch(r"(\w+) (-->|-\.->) (\w+)", line):
            joined |= {match.group(1), match.group(3)}
        else:
            assert re.fullmatch(r'subgraph \w+\["[^"]*"\]|end|classDef \w+ \S+|class [\w,]+ \w+|%%.*', line), line
    assert joined <= declared
    assert sum(line.strip().startswith("subgraph") for line in lines) == sum(line.strip() == "end" for line in lines)
    assert len(declared) == len(picture(report, unfold).nodes)


@pytest.mark.parametrize("unfold", [False, True], ids=["folded", "unfolded"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_dot_declares_every_node_an_edge_joins(path, unfold):
    report = _report(path)
    text = render_picture([report], "dot", unfold=unfold)
    assert text.startswith("digraph ") and text.endswith("}\n") and _balanced(text)
    declared = set(re.findall(r"^\s*(\w+) \[label=", text, re.MULTILINE))
    edges = re.findall(r"^\s*(\w+) -> (\w+)", text, re.MULTILINE)
    assert edges and {end for edge in edges for end in edge} <= declared
    assert len(declared) == len(picture(report, unfold).nodes)
    assert len(edges) == len(picture(report, unfold).edges)


def test_several_specs_are_one_diagram_with_a_part_each():
    _, mermaid, _ = draw(["examples/resnet_stem.yaml", "examples/two_inputs.yaml"], "mermaid")
    assert mermaid.count("  subgraph p") == 2 and "p1_n0" in mermaid
    _, dot, _ = draw(["examples/resnet_stem.yaml", "examples/two_inputs.yaml"], "dot")
    assert dot.count("subgraph cluster_p") == 2 and dot.count("digraph") == 1
    _, svg, _ = draw(["examples/resnet_stem.yaml", "examples/two_inputs.yaml"], "svg")
    assert len(ET.fromstring(svg).findall(f"{SVG}g[@class='panel']")) == 2


def test_an_unreadable_spec_is_left_out_of_the_picture_and_named_on_stderr():
    status, svg, stderr = draw(["examples/resnet_stem.yaml", "-", "--stdin-filename", "broken.yaml"], "svg",
                               "input: [1, 4, 4\n")
    assert status == 2 and "broken.yaml" in stderr
    assert len(ET.fromstring(svg).findall(f"{SVG}g[@class='panel']")) == 1


def test_labels_escape_what_the_format_reads():
    spec = 'input: [1, 8, 8]\nlayers:\n  - relu: {name: "a<b>&\\"c\\" #1 {x} [y]"}\n'
    _, svg, _ = draw(["-"], "svg", spec)
    assert 'a<b>&"c" #1 {x} [y]' in _texts(ET.fromstring(svg))
    _, mermaid, _ = draw(["-"], "mermaid", spec)
    assert "a#lt;b#gt;&#quot;c#quot; #35;1 {x} [y]" in mermaid
    _, dot, _ = draw(["-"], "dot", spec)
    assert 'a<b>&\\"c\\" #1 {x} [y]' in dot


# ------------------------------------------------------------------------------------ readability

def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _assert_no_overlap(p):
    boxes = [label_box(node, p) for node in p.nodes]
    if p.layout == "graph":
        boxes += [(node.x, node.y, node.width, node.height) for node in p.nodes]
    order = sorted(range(len(p.nodes)), key=lambda i: boxes[i][1])
    for k, i in enumerate(order):  # sweep by top edge
        for j in order[k + 1:]:
            if boxes[j][1] >= boxes[i][1] + boxes[i][3]:
                break
            assert not _overlap(boxes[i], boxes[j]), (p.nodes[i].name, p.nodes[j].name)


@pytest.mark.parametrize("unfold", [False, True], ids=["folded", "unfolded"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_two_labels_overlap(path, unfold):
    p = picture(_report(path), unfold)
    _assert_no_overlap(p)
    assert all(0 <= node.x and node.x + node.width <= p.width and node.y + node.height <= p.height for node in p.nodes)


def _densenet(blocks: int = 4, layers: int = 16) -> dict:
    """A DenseNet in the spec format: each layer of a dense block reads every layer before it."""
    spec = [{"conv2d": {"filters": 64, "kernel_size": 7, "stride": 2, "padding": 3, "name": "stem"}}]
    last = "stem"
    for b in range(blocks):
        features = [last]
        for i in range(layers):
            name = f"b{b}l{i}"
            joined = features[0] if len(features) == 1 else f"{name}_cat"
            if len(features) > 1:
                spec.append({"concatenate": {"inputs": list(features), "name": joined}})
            spec.append({"batch_norm2d": {"inputs": joined, "name": f"{name}_bn"}})
            spec.append({"conv2d": {"filters": 32, "kernel_size": 3, "padding": 1, "name": name}})
            features.append(name)
        spec.append({"concatenate": {"inputs": list(features), "name": f"b{b}_out"}})
        spec.append({"avg_pool2d": {"kernel_size": 2, "name": f"t{b}"}})
        last = f"t{b}"
    return {"input": [3, 224, 224], "layers": spec}


@pytest.mark.parametrize("name", ["resnet50-unfolded", "densenet"])
def test_large_graphs_draw_and_stay_readable(name):
    if name == "densenet":
        report = plan_data(_densenet())
    else:
        report = _report(ROOT / "examples" / "resnet50.yaml")
    assert report.ok
    p = picture(report, unfold=True)
    svg = render_picture([report], "svg", unfold=True)
    assert p.layout == "graph" and len(p.nodes) > 150
    _assert_no_overlap(p)
    ET.fromstring(svg)


def test_a_stack_of_ten_thousand_layers_wraps_into_rows():
    # how fast it draws is measured side by side with planning by bench/picture_speed.py
    layers = [{"conv2d": {"filters": 8, "kernel_size": 3, "padding": 1}} if i % 2 == 0 else "relu"
              for i in range(10_000)]
    report = plan_data({"input": [1, 32, 32], "layers": layers})
    svg = render_picture([report], "svg")
    assert svg.count('<g class="layer') == 10_001
    p = picture(report)
    assert p.layout == "stack" and p.width <= 1500  # wrapped into rows, not one endless line


@st.composite
def random_graphs(draw):
    """Specs of dense layers each reading one or two earlier layers (two: concatenated)."""
    count = draw(st.integers(1, 25))
    layers, names = [], ["input"]
    for i in range(count):
        reads = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
        name = f"l{i}"
        if len(reads) == 2:
            layers.append({"concatenate": {"inputs": reads, "name": name}})
        else:
            layers.append({"dense": {"units": draw(st.integers(1, 64)), "inputs": reads[0], "name": name}})
        names.append(name)
    return {"input": [8], "layers": layers}


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_any_graph_lays_out_downwards_without_overlaps(spec):
    report = plan_data(spec)
    p = picture(report)
    _assert_no_overlap(p)
    by_id = {node.id: node for node in p.nodes}
    for edge in p.edges:
        source, target = by_id[edge.source], by_id[edge.target]
        (x0, y0), (x1, y1) = edge.points[0], edge.points[-1]
        if p.layout == "graph":
            assert y0 == source.y + source.height and y1 == target.y
            assert source.x <= x0 <= source.x + source.width and target.x <= x1 <= target.x + target.width
            assert all(a[1] <= b[1] for a, b in zip(edge.points, edge.points[1:]))  # never back up
    ET.fromstring(render_picture([report], "svg"))


def test_the_page_script_is_valid_javascript(tmp_path):
    import shutil
    import subprocess

    from layerplan.render.html import SCRIPT

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed: the page's script is not checked")
    script = tmp_path / "page.js"
    script.write_text(SCRIPT, encoding="utf-8")
    result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
