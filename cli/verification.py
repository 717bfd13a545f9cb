"""`layerplan verify`'s work: run the exported model in a child process (cli/verify_child.py), compare
each layer with the plan, and write the table.

The child is the only place a framework is imported. A child killed by a signal, or one that gives
no answer in time, is a finding (exit status 1): the framework cannot run this model here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field

from layerplan.planner.shapes import shape_text

#: the versions layerplan's exactness is proven against (docs/development.md), for the install hint
#: keras layers whose fate depends on the machine's TensorFlow kernels (docs/diagnostics.md): layerplan
#: warns, and whatever this machine does with them is reported as such, not as a difference
MACHINE_DEPENDENT = frozenset({"LP310", "LP311", "LP312"})
PINNED = {"torch": "pip install torch==2.13.0", "keras": "pip install tensorflow-cpu==2.21.0 keras==3.15.1"}
TIMEOUT = 600  # seconds


class FrameworkMissing(Exception):
    """The framework cannot be imported here (the message says what to install)."""


@dataclass
class FrameworkRun:
    """What the framework said: per layer index, each stage's values ("meta"/"cpu" for torch,
    "symbolic"/"run" for keras); the first error; a crash (how the child ended)."""

    version: str = ""
    layers: dict[int, dict[str, dict]] = field(default_factory=dict)
    error: dict | None = None
    crash: str | None = None
    framework_name: str = ""
    total_params: int | None = None  # the built model's own count


def job_for(exported) -> dict:
    """What the child needs (cli/verify_child.py): the code, where its layers are, the input shapes."""
    return {"framework": exported.framework, "code": exported.text, "function": exported.function,
            "integer_inputs": list(exported.integer_inputs),
            "inputs": {name: list(shape) for name, shape in exported.inputs.items()},
            "layers": [{"index": layer.index, "variable": layer.variable, "first_line": layer.first_line,
                        "last_line": layer.last_line, "attribute": layer.attribute, "scope": layer.scope,
                        "outputs": list(layer.outputs), "shares": layer.shares}
                       for layer in exported.layers]}


def run_framework(exported, timeout: float = TIMEOUT) -> FrameworkRun:
    """Run exported code (layerplan's own, never a user's file) in a child process."""
    job = job_for(exported)
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    run = FrameworkRun()
    try:
        child = subprocess.run([sys.executable, "-m", "layerplan.verify_child"], input=json.dumps(job),
                               capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        _read_events(run, exc.stdout or "", exported.framework)
        run.crash = f"gave no answer within {timeout:g} s"
        return run
    _read_events(run, child.stdout, exported.framework)
    if child.returncode < 0:
        try:
            name = signal.Signals(-child.returncode).name
        except ValueError:
            name = f"signal {-child.returncode}"
        run.crash = f"was killed by {name}"
    elif child.returncode != 0 and run.crash is None:
        tail = [line for line in child.stderr.strip().splitlines() if line.strip()][-1:]
        run.crash = f"ended with exit status {child.returncode}" + (f" ({tail[0].strip()})" if tail else "")
    return run


def _read_events(run: FrameworkRun, stdout, framework: str) -> None:
    if isinstance(stdout, bytes):
        stdout = stdout.decode("utf-8", "replace")
    events = []
    for line in stdout.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    read_events(run, events, framework)


def read_events(run: FrameworkRun, events: list[dict], framework: str) -> None:
    """Fill `run` from the child's events; an import error raises FrameworkMissing."""
    run.framework_name = framework
    for event in events:
        kind = event.get("event")
        if kind == "version":
            run.version = event["version"]
        elif kind == "layer":
            run.layers.setdefault(event["index"], {})[event["stage"]] = event
        elif kind == "model":
            run.total_params = event["params"]
        elif kind == "error":
            run.error = event
        elif kind == "import-error":
            raise FrameworkMissing(f"verify --framework {framework} needs {framework}, which cannot be imported "
                                   f"here ({event['message']}); install it: {PINNED[framework]}")


@dataclass
class Row:
    index: int
    name: str
    type: str
    planned: str
    actual: str
    planned_params: str
    actual_params: str
    verdict: str
    status: str = "agrees"  # "agrees" (both reject included), "differs", or "machine": machine-dependent

    @property
    def agrees(self) -> bool:
        return self.status == "agrees"


def _shape(shape) -> str:
    return "-" if shape is None else shape_text(shape)  # as the table of `plan` writes it


def _shapes(shapes) -> str:
    """One shape, or each output's of a layer with several."""
    return "-" if shapes is None else ", ".join(_shape(shape) for shape in shapes)


def _warned(report) -> dict[int, object]:
    """Layer index -> its machine-dependent warning."""
    return {d.layer: d for d in report.diagnostics if d.code in MACHINE_DEPENDENT and d.layer is not None}


def compare(report, run: FrameworkRun, rejection=None) -> list[Row]:
    """One row per planned layer: the plan's output and params beside the framework's, and a verdict.
    `rejection`: the plan rejects the last layer, and the framework raising there is an agreement."""
    rows = []
    error_layer = run.error.get("layer") if run.error else None
    if rejection is not None and run.error and error_layer is None and run.error["stage"] == "run":
        error_layer = rejection.layer.index  # keras' run: the model raised, and every layer before planned
    warned = _warned(report)
    for layer in report.layers:
        stages = run.layers.get(layer.index, {})
        found = [(stage, values) for stage, values in stages.items()]
        planned_shapes = layer.output_shapes
        planned = (None if planned_shapes is None else tuple(tuple(s) for s in planned_shapes),
                   layer.params, layer.non_trainable)
        problems = []
        actual_shape = actual_params = None
        for stage, values in found:
            shape = tuple(tuple(s) for s in values.get("outputs", [values["output"]]))
            if actual_shape is None:
                actual_shape = shape
            if shape != planned[0]:
                problems.append(f"output{'s' if len(shape) > 1 else ''} {_shapes(shape)} ({stage})")
            if "params" in values:
                actual_params = values["params"]
                if values["params"] != planned[1]:
                    problems.append(f"params {values['params']:,}")
                elif values["non_trainable"] != planned[2]:
                    problems.append(f"non-trainable {values['non_trainable']:,}")
        status = "differs"
        rejected = rejection is not None and layer.index == rejection.layer.index
        said = ", ".join(f"{d.code} {d.name}" for d in rejection.diagnostics) if rejected else ""
        if rejected and error_layer == layer.index:
            verdict, status = f"both reject: plan {said}; {run.error['stage']}: raised {run.error['message']}", "agrees"
        elif rejected and found:
            verdict = f"differs: the plan rejects it ({said}), {run.framework_name} runs it"
        elif error_layer == layer.index:
            verdict = f"{run.error['stage']}: raised {run.error['message']}"
            if layer.index in warned:
                d = warned[layer.index]
                verdict, status = f"depends on the machine ({d.code} {d.name}): {verdict}", "machine"
        elif problems:
            verdict = "differs: " + ", ".join(problems)
        elif not found:  # after a machine-dependent raise, what this machine does decides nothing
            verdict, status = "not reached", "machine" if error_layer in warned else "differs"
        else:
            verdict, status = "agrees", "agrees"
        rows.append(Row(layer.index, layer.name, layer.type, "rejected" if rejected else _shapes(planned[0]),
                        _shapes(actual_shape), "-" if layer.params is None else f"{layer.params:,}",
                        "-" if actual_params is None else f"{actual_params:,}", verdict, status))
    return rows


def render(rows: list[Row], framework: str) -> str:
    """The table, plain text with aligned columns."""
    header = Row(0, "layer", "type", "plan", framework, "params", framework, "")
    table = [header, *rows]
    cells = [[("#" if r is header else str(r.index)), r.name, r.type, r.planned, r.actual, r.planned_params,
              r.actual_params, r.verdict] for r in table]
    widths = [max(len(c[i]) for c in cells) for i in range(7)]
    right = {0, 5, 6}
    lines = []
    for c in cells:
        parts = [c[i].rjust(widths[i]) if i in right else c[i].ljust(widths[i]) for i in range(7)]
        lines.append("  ".join(parts + [c[7]]).rstrip())
    return "\n".join(lines) + "\n"


def summary(report, run: FrameworkRun, rows: list[Row], framework: str, device: str,
            rejection=None) -> tuple[bool, str]:
    """(whether everything agrees, the closing line). `rejection`: the plan rejects the last layer."""
    where = f"{framework} {run.version}" + (f" ({device})" if device else "")
    if run.error and run.error.get("stage") == "parse":
        return False, (f"{where}: the exported code does not parse ({run.error['message']}): an error of "
                       "layerplan's export, not of the model; please report it")
    if rejection is not None:
        return _rejection_summary(report, run, rows, framework, where, rejection)
    if run.crash:
        warned = [f"layer {d.layer} {d.code} {d.name}" for d in report.diagnostics
                  if d.severity.value == "warning" and d.layer is not None]
        note = f" (layerplan warned: {', '.join(warned)})" if warned else ""
        return False, f"{where} {run.crash} while running the model: the model does not run here{note}"
    differing = [r for r in rows if not r.agrees]
    if run.error and not any(r.index == run.error.get("layer") for r in rows):
        return False, f"{where}: the model raised ({run.error['stage']}): {run.error['message']}"
    planned = report.total_params
    if not differing and run.total_params is not None and planned is not None and run.total_params != planned:
        # every layer agrees, the model does not: weights shared (or not) other than the plan says
        return False, f"{where}: the model holds {run.total_params:,} parameters, the plan counts {planned:,}"
    if not differing:
        return True, f"{where}: all {len(rows)} layers agree with the plan"
    names = ", ".join(f"{r.index} ({r.name})" for r in differing[:5]) + (" ..." if len(differing) > 5 else "")
    return False, f"{where}: {len(differing)} of {len(rows)} layers differ from the plan: {names}"


def _rejection_summary(report, run, rows, framework: str, where: str, rejection) -> tuple[bool, str]:
    layer = rejection.layer
    before = [r for r in rows if r.index != layer.index]
    named = f"layer {layer.index} ({layer.name})"
    warned = _warned(report)
    if run.crash:
        if warned:
            listed = ", ".join(f"layer {i} {d.code} {d.name}" for i, d in sorted(warned.items()))
            return True, (f"{where} {run.crash}: the plan rejects {named}, and the crash may come from a layer "
                          f"whose fate depends on the machine ({listed}): not a difference")
        return True, f"{where} {run.crash} at {named}, which the plan rejects too: both reject it"
    rejected = next(r for r in rows if r.index == layer.index)
    differing = [r for r in before if r.status == "differs"]
    if differing:
        names = ", ".join(f"{r.index} ({r.name})" for r in differing[:5]) + (" ..." if len(differing) > 5 else "")
        return False, f"{where}: {len(differing)} of the {len(before)} layers before {named} differ from the plan: {names}"
    if rejected.status == "agrees":
        agree = "no layer before it" if not before else "the layer before it agrees" if len(before) == 1 \
            else f"the {len(before)} layers before it agree"
        return True, (f"{where}: the plan and {framework} both reject {named}; {agree}" + (" (some depend on the machine)" if any(r.status == "machine" for r in before) else ""))
    if any(r.status == "machine" for r in before):
        return True, f"{where}: {named} is not reached: a layer before it depends on the machine, not a difference"
    return False, f"{where}: the plan rejects {named}, but {framework} runs it"


def device_of(run: FrameworkRun) -> str:
    stages = {stage for values in run.layers.values() for stage in values}
    if "cpu" in stages:
        return "CPU, zeros of batch 1"
    if "meta" in stages:
        return "meta device"
    if "run" in stages:
        return "symbolic and one zeros batch"
    return "symbolic" if stages else ""
