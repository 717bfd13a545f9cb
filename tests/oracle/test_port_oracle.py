"""Differential test of the port: each ported spec is built and run in the *target* framework (the graph
builders of graph_torch.py and graph_keras.py, in the isolated workers), and every layer the port calls
exact must have the source plan's output shape there, node by node; a layer whose shape differs must be
one the port marks (LP501).

The examples (block uses are built as the layers they expand to) and random graphs of graph_cases.py in both frameworks. LAYERPLAN_PORT_CASES sets the number of random graphs per source
framework (default 10: the whole file runs in about 80 s on two cores).
"""

from __future__ import annotations

import copy
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from graph_cases import generate_graph  # noqa: E402

pytestmark = [pytest.mark.framework, pytest.mark.filterwarnings("ignore")]

ROOT = Path(__file__).resolve().parents[2]
N_CASES = int(os.environ.get("LAYERPLAN_PORT_CASES", "10"))
RUNNERS = {"torch": "graph_torch:run_torch_graph", "keras": "graph_keras:run_keras_graph"}
# a custom layer's function is not in the spec; the layers sized like another tensor are proven by
# tests/oracle/test_reference_models_oracle.py instead
EXAMPLES = [p for p in sorted((ROOT / "examples").glob("*.yaml"))
            if not re.search(r"\b(lambda|pad_to|crop_to|resize_to)", p.read_text())]


def graph_form(port) -> dict:
    """The ported spec as the builders read it: every layer as the target plan bound it (block uses
    expanded), in the long form with its name and inputs, batch_norm without its dimension."""
    from layerplan.planner.kinds import KINDS

    layers = []
    for row in port.target_report.layers:
        type_name = "batch_norm" if row.type.startswith("batch_norm") else row.type
        # the options the ported spec wrote: the bound ones that differ from the target's defaults
        options = {option.name: option for option in KINDS[row.type].options}
        body = {k: list(v) if isinstance(v, tuple) else v for k, v in row.options.items()
                if k not in options or not _is_default(options[k], v, port.target)}
        if type_name.startswith("upsample") and port.target == "keras" and "scale_factor" in body:
            body["size"] = body.pop("scale_factor")  # the keras builder reads the factor as size
        layers.append({"type": type_name, **body, "name": row.name, "inputs": list(row.inputs)})
    spec = {k: v for k, v in port.data.items() if k not in ("input", "inputs", "input_shape", "expect", "layers")}
    inputs = {name: list(shape) for name, shape in port.target_report.inputs.items()}
    return {**spec, "inputs": inputs, "layers": layers}


def _outputs(shapes, framework: str) -> list | None:
    """Every output as (C, spatial...): one shape, or a split's list of shapes."""
    from layerplan.planner.port import neutral

    if shapes is None:
        return None
    several = len(shapes) > 0 and isinstance(shapes[0], (list, tuple))
    return [neutral(list(s), framework) for s in (shapes if several else [shapes])]


def _is_default(option, value, framework: str) -> bool:
    """The option is not the framework's, or is bound to its "off" default (None or False), which the
    builders read as absent."""
    if option.frameworks and framework not in option.frameworks:
        return True
    default = option.default_for(framework)
    return default in (None, False) and value == default


def check_port(spec: dict, request, isolated) -> None:
    from layerplan.planner.port import port_spec

    port = port_spec(copy.deepcopy(spec))
    worker = request.getfixturevalue(f"{port.target}_worker")
    run = isolated(worker, RUNNERS[port.target], graph_form(port))
    problems = []
    for row in run.rows:
        layer = port.layers[row.index - 1]
        if layer.exact is None:  # the source does not plan this layer: nothing to reproduce
            continue
        same = row.error is None and _outputs(row.output, port.target) == _outputs(
            layer.source_row.output_shapes, port.source)
        if layer.exact and not same:
            problems.append(f"layer {row.index} ({layer.type}) is called exact: {port.source} "
                            f"{layer.source_output}, {port.target} runs it as {row.output} {row.error or ''}")
        if not same and layer.exact is False and not layer.problem:
            problems.append(f"layer {row.index} differs without a diagnostic")
        if not layer.exact and same and layer.exact is False and run.first_error is None:
            problems.append(f"layer {row.index} is marked inexact but {port.target} gives the source's shape")
    assert not problems, "\n".join(problems + ["", "source:", yaml.safe_dump(spec, sort_keys=False),
                                               "ported:", yaml.safe_dump(port.data, sort_keys=False)])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_ported_example_runs_with_the_source_shapes(path, request, isolated):
    check_port(yaml.safe_load(path.read_text()), request, isolated)


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_CASES))
def test_ported_random_graph_runs_with_the_source_shapes(framework, seed, request, isolated):
    check_port(generate_graph(seed, framework), request, isolated)


N_SHAPE_OP_CASES = int(os.environ.get("LAYERPLAN_PORT_SHAPE_OPS_CASES", "15"))


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize("seed", range(N_SHAPE_OP_CASES))
def test_ported_graph_with_split_and_shape_ops_runs_with_the_source_shapes(framework, seed, request, isolated):
    """Random graphs with split, chunk (read as NAME:K), squeeze, unsqueeze, permute and transpose."""
    check_port(generate_graph(seed, framework, with_shape_ops=True), request, isolated)
