"""The failure message of a differential test: the spec, layerplan's rows and the framework's rows,
so a failing case is a ready reproduction."""

from __future__ import annotations

import json


def repro_text(framework: str, spec: dict, report: dict, framework_rows, problems: list[str]) -> str:
    """`framework_rows`: (index, type, output, params, trainable, non_trainable, error) per layer."""
    import yaml

    lines = [f"layerplan disagrees with {framework}:", *("  - " + p for p in problems), "", "spec:",
             yaml.safe_dump(spec, sort_keys=False, default_flow_style=None).rstrip(), "",
             "layerplan rows:  index type output params trainable non_trainable"]
    for layer in report["layers"]:
        lines.append(f"  {layer['index']:>3} {layer['type']:<22} {json.dumps(layer['output']):<18} "
                     f"{layer['params']} {layer['trainable_params']} {layer['non_trainable_params']}")
    for diagnostic in report["diagnostics"]:
        lines.append(f"  [{diagnostic['severity']}] layer {diagnostic['layer']} {diagnostic['code']}: "
                     f"{diagnostic['message']}")
    lines.append(f"{framework + ' rows:':<17}index type output params trainable non_trainable")
    for index, kind, output, params, trainable, non_trainable, error in framework_rows:
        lines.append(f"  {index:>3} {kind:<22} {json.dumps(output):<18} {params} {trainable} {non_trainable}"
                     + (f"  REJECTED {error}" if error else ""))
    return "\n".join(lines)
