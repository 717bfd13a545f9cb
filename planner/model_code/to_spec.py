"""The spec text of a model read from code: what `layerplan import` writes."""

from __future__ import annotations

from typing import Any

import yaml

_TOP_ORDER = ("name", "framework", "input", "inputs", "layers", "outputs")


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _flow(value: Any) -> str:
    text = yaml.safe_dump(_plain(value), default_flow_style=True, width=10_000, sort_keys=False).strip()
    return text[:-3].rstrip() if text.endswith("\n...") else text  # a plain scalar's document end marker


def spec_text(data: dict[str, Any], source: str) -> str:
    """YAML spec text for model data (layers in the short form, one per line, names from the code).

    >>> print(spec_text({"name": "Net", "framework": "torch", "input": [1, 28, 28],
    ...                  "layers": [{"name": "fc", "type": "dense", "units": 10}]}, "net.py::Net"), end="")
    # read from net.py::Net by `layerplan import` (the code was never run)
    name: Net
    framework: torch
    input: [1, 28, 28]
    layers:
      - dense: {name: fc, units: 10}
    """
    lines = [f"# read from {source} by `layerplan import` (the code was never run)"]
    for key in _TOP_ORDER:
        if key not in data:
            continue
        if key == "layers":
            lines.append("layers:")
            for layer in data["layers"]:
                options = {k: v for k, v in layer.items() if k != "type"}
                lines.append(f"  - {layer['type']}: {_flow(options)}" if options else f"  - {layer['type']}")
        else:
            lines.append(f"{key}: {_flow(data[key])}")
    if "input" not in data and "inputs" not in data:
        lines.insert(3, "# input: the code gives no sample shape; add `input: [...]` or plan with -i SHAPE")
    return "\n".join(lines) + "\n"
