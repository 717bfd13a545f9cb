"""`layerplan verify`'s work: run the exported model in a child process (cli/verify_child.py), compare
each layer with the plan, and write the table.

The child is the only place a framework is imported. It runs isolated (`python -I`, in an empty
temporary directory, without PYTHON* variables: only the interpreter's own library and site-packages
can be imported) and bounded (a memory limit it sets on itself before importing the framework, and a
time limit). A child killed by a signal is a finding (exit status 1): the framework cannot run this
model here. A model too large for the memory limit, or a child that runs out of either limit, is not
verified (exit status 2), and the message says which limit and how to raise it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from layerplan.planner.metrics import product
from layerplan.planner.shapes import shape_text

#: the versions layerplan's exactness is proven against (docs/development.md), for the install hint
#: keras layers whose fate depends on the machine's TensorFlow kernels (docs/diagnostics.md): layerplan
#: warns, and whatever this machine does with them is reported as such, not as a difference
MACHINE_DEPENDENT = frozenset({"LP310", "LP311", "LP312"})
PINNED = {"torch": "pip install torch==2.13.0", "keras": "pip install tensorflow-cpu==2.21.0 keras==3.15.1"}
TIMEOUT = 600  # seconds: the default time limit
GiB, MiB = 2**30, 2**20
MEMORY_LIMIT = 4 * GiB  # the default memory limit of the child
#: the memory the framework itself takes once imported, before any model: measured as the child's data
#: size (torch 2.13 about 0.23 GiB, TensorFlow 2.21 with keras 3.15 about 0.32 GiB), counted generously
FRAMEWORK_MEMORY = {"torch": 512 * MiB, "keras": 1 * GiB}
#: signals a child over its memory limit most likely ends with, when it says nothing (the system's
#: out-of-memory killer sends SIGKILL; a failed allocation used anyway is a SIGSEGV or SIGBUS)
_MEMORY_SIGNALS = {"SIGKILL", "SIGSEGV", "SIGBUS"}
#: what a child that failed to allocate writes on standard error before it ends (C++, C, Python)
_ALLOCATION_FAILED = ("bad_alloc", "cannot allocate memory", "memoryerror", "out of memory")
_CHILD = Path(__file__).with_name("verify_child.py")
_EXIT_OUT_OF_MEMORY = 4  # cli/verify_child.py


class NotVerified(Exception):
    """verify did not run the model to the end: it is too large for its limits (the message says which
    and how to raise it). Exit status 2."""


@dataclass(frozen=True)
class Limits:
    """What the child may use: `memory` bytes (None: no limit), `timeout` seconds."""

    memory: int | None = MEMORY_LIMIT
    timeout: float = TIMEOUT


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", re.I)


def parse_size(text: str) -> int | None:
    """A memory size as written on the command line: bytes, or with a unit (K, M, G, T, with or without
    `iB`: powers of 1024); `none` for no limit.

    >>> parse_size("4GiB"), parse_size("512M"), parse_size("1.5g"), parse_size("none")
    (4294967296, 536870912, 1610612736, None)
    """
    if text.strip().lower() in ("none", "unlimited"):
        return None
    match = _SIZE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a size: write bytes, or a number with K, M, G or T (4GiB, 512M), or none")
    number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * 1024 ** "_kmgt".index(unit or "_"))
    if size <= 0:
        raise ValueError(f"{text!r} is not a positive size")
    return size


def size_text(size: int) -> str:
    """A byte count for people, in the unit the limits are written in.

    >>> size_text(4 * 2**30), size_text(3_200_000_000), size_text(1000)
    ('4 GiB', '2.98 GiB', '1000 bytes')
    """
    for unit, scale in (("TiB", 2**40), ("GiB", GiB), ("MiB", MiB), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class MemoryEstimate:
    """What the framework will allocate to build and run a model on batch 1, in bytes: its weights
    (float32; keras holds each twice while it builds: the initial values and the variable), every
    input's and layer output's values (all of them are kept, to be compared), and the framework itself."""

    weights: int
    activations: int
    framework: int

    @property
    def total(self) -> int:
        return self.weights + self.activations + self.framework

    def text(self, framework: str) -> str:
        twice = " held twice while built" if framework == "keras" else ""
        return (f"about {size_text(self.total)} (weights {size_text(self.weights)}{twice}, activations "
                f"{size_text(self.activations)}, {framework} itself {size_text(self.framework)})")


def memory_estimate(report, framework: str) -> MemoryEstimate:
    """The memory the child needs to build `report`'s model in `framework` (torch: on the CPU; on the
    meta device it allocates nothing).

    >>> from layerplan.planner import plan_data
    >>> report = plan_data({"input": [8], "layers": [{"dense": {"units": 1000}}]})
    >>> e = memory_estimate(report, "keras")
    >>> e.weights, e.activations
    (72000, 4032)
    """
    weight_copies = 2 if framework == "keras" else 1
    weights = 4 * weight_copies * sum(layer.params or 0 for layer in report.layers)
    values = [shape for shape in report.inputs.values() if shape is not None]
    values += [shape for layer in report.layers for shape in (layer.output_shapes or ())]
    activations = 4 * sum(product(d if isinstance(d, int) else 1 for d in shape) for shape in values)
    return MemoryEstimate(weights, activations, FRAMEWORK_MEMORY[framework])


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
    out_of_memory: str | None = None  # how the child ran out of memory
    needs_cpu: str | None = None  # torch's meta device raised this, and the CPU was not allowed
    python: str | None = None  # the interpreter the child ran with (verify --python), None: layerplan's own


def job_for(exported) -> dict:
    """What the child needs (cli/verify_child.py): the code, where its layers are, the input shapes."""
    return {"framework": exported.framework, "code": exported.text, "function": exported.function,
            "integer_inputs": list(exported.integer_inputs),
            "inputs": {name: list(shape) for name, shape in exported.inputs.items()},
            "layers": [{"index": layer.index, "variable": layer.variable, "first_line": layer.first_line,
                        "last_line": layer.last_line, "attribute": layer.attribute, "scope": layer.scope,
                        "outputs": list(layer.outputs), "shares": layer.shares}
                       for layer in exported.layers]}


def child_command(python: str | None = None) -> list[str]:
    """The command of the child: this interpreter, or `python` (verify --python: the one the
    frameworks are installed in, such as a project's virtual environment), isolated (`-I`: no current
    directory or script directory on sys.path, no PYTHON* variables, no user site-packages), running
    cli/verify_child.py by its path (so layerplan itself need not be importable there)."""
    return [python or sys.executable, "-I", str(_CHILD)]


def child_environment() -> dict[str, str]:
    """The child's environment: this one without PYTHON* variables (-I ignores them; this also keeps
    them from whatever the framework starts), with TensorFlow's log quieted."""
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PYTHON")}
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return env


def site_directories() -> list[str]:
    """Site directories the child adds to its own: the user's site-packages when this Python uses it
    (`-I` leaves it out), so a framework installed with `pip install --user` beside layerplan is found."""
    user = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    return [user] if user and user in sys.path else []


def run_child(job: dict, limits: Limits, python: str | None = None) -> subprocess.CompletedProcess:
    """Run the child on `job` in a new empty directory (removed afterwards), with `python` when given
    (else this interpreter, which also lends the child its user site-packages); raises
    subprocess.TimeoutExpired after `limits.timeout` seconds (the child is killed), NotVerified when
    `python` cannot be started."""
    job = {**job, "memory_limit": limits.memory, "site_directories": [] if python else site_directories()}
    with tempfile.TemporaryDirectory(prefix="layerplan-verify-") as directory:
        try:
            return subprocess.run(child_command(python), input=json.dumps(job), capture_output=True, text=True,
                                  timeout=limits.timeout, env=child_environment(), cwd=directory)
        except OSError as exc:
            raise NotVerified(f"cannot start the Python interpreter {python or sys.executable}: "
                              f"{exc.strerror or exc}") from None


def run_framework(exported, limits: Limits = Limits(), cpu_fallback: bool = True,
                  python: str | None = None) -> FrameworkRun:
    """Run exported code (layerplan's own, never a user's file) in a child process, with the Python
    interpreter `python` when given. `cpu_fallback` false: torch may not build the model on the CPU (it
    would not fit the memory limit). Raises NotVerified when the child ran out of a limit or could not
    be started, FrameworkMissing when the framework cannot be imported there."""
    job = {**job_for(exported), "cpu_fallback": cpu_fallback}
    run = FrameworkRun(python=python)
    try:
        child = run_child(job, limits, python)
    except subprocess.TimeoutExpired as exc:
        _read_events(run, exc.stdout or "", exported.framework)
        raise NotVerified(f"{_where(run, exported.framework)} gave no answer within verify's time limit of "
                          f"{limits.timeout:g} s; raise it with --timeout SECONDS") from None
    if python and child.returncode > 0 and not (child.stdout or "").strip():
        raise NotVerified(f"{python} said nothing and ended with exit status {child.returncode}: "
                          "--python takes a Python interpreter")
    _read_events(run, child.stdout, exported.framework)
    stderr = child.stderr or ""
    if child.returncode < 0:
        try:
            name = signal.Signals(-child.returncode).name
        except ValueError:
            name = f"signal {-child.returncode}"
        run.crash = f"was killed by {name}"
        # an allocation that fails inside the framework's own code can end the process with a signal
        allocation = any(words in stderr.lower() for words in _ALLOCATION_FAILED)
        if run.out_of_memory is None and (allocation or limits.memory is not None and name in _MEMORY_SIGNALS):
            run.out_of_memory = run.crash + ("" if allocation else ", most likely for want of memory")
    elif child.returncode == _EXIT_OUT_OF_MEMORY and run.out_of_memory is None:
        run.out_of_memory = "ran out of memory"
    elif child.returncode != 0 and run.crash is None and run.out_of_memory is None:
        tail = [line for line in stderr.strip().splitlines() if line.strip()][-1:]
        run.crash = f"ended with exit status {child.returncode}" + (f" ({tail[0].strip()})" if tail else "")
    if run.out_of_memory is not None:
        limit = "the machine's memory" if limits.memory is None else \
            f"verify's memory limit of {size_text(limits.memory)}"
        raise NotVerified(f"{_where(run, exported.framework)} ran out of {limit} while building or running the "
                          f"model ({run.out_of_memory}); raise it with --memory-limit SIZE")
    return run


def _where(run: FrameworkRun, framework: str) -> str:
    return f"{framework} {run.version}".rstrip()


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
        elif kind == "out-of-memory":
            run.out_of_memory = event["message"]
        elif kind == "needs-cpu":
            run.needs_cpu = event["message"]
        elif kind == "import-error":
            raise FrameworkMissing(missing_message(framework, event["message"], run.python))


def missing_message(framework: str, reason: str, python: str | None = None) -> str:
    """What verify says when the framework cannot be imported: what to install, or, where it is
    installed in another Python (a project's virtual environment), how to point verify at that one.

    >>> missing_message("torch", "No module named 'torch'").split("; ")[1:]
    ['install it (pip install torch==2.13.0)', "or run it with the Python that has it: verify --python PATH (such as .venv/bin/python)"]
    >>> missing_message("torch", "No module named 'torch'", "/opt/py")[:58]
    'verify --framework torch needs torch, which /opt/py cannot'
    """
    if python:
        return (f"verify --framework {framework} needs {framework}, which {python} cannot import ({reason}); "
                f"install it there ({PINNED[framework]}), or give --python the interpreter that has it")
    return (f"verify --framework {framework} needs {framework}, which cannot be imported here ({reason}); "
            f"install it ({PINNED[framework]}); or run it with the Python that has it: verify --python PATH "
            "(such as .venv/bin/python)")


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
    from layerplan.render.escape import terminal

    # a layer's name and a framework's message can hold anything: each cell stays on its line
    cells = [[terminal(cell) for cell in (("#" if r is header else str(r.index)), r.name, r.type, r.planned, r.actual,
                                          r.planned_params, r.actual_params, r.verdict)] for r in table]
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
