"""The child process of `layerplan verify`: builds an exported model with the installed framework and
reports every layer's output shape and parameter counts. Run only by `layerplan verify`
(cli/verification.py), which gives it, on standard input, code that layerplan itself wrote.

It runs apart from layerplan so that a framework that crashes (some TensorFlow CPU kernels end the
process with SIGFPE) is a finding of verify, not a crash of layerplan. It imports the framework, and
nothing of layerplan's engine.

It is started as a script in Python's isolated mode (`python -I`), in an empty temporary directory,
so nothing but the interpreter's own library and site-packages can be imported (not the current
directory, PYTHONPATH or a file named like a module next to the spec). Before it imports the
framework it limits its own memory (RLIMIT_DATA, where the system has it): an allocation over the
limit fails, and it says so ("out-of-memory") instead of reporting the failure as the model's.

Standard input: one JSON object {"framework", "code", "function", "layers": [{"index", "variable",
"first_line", "last_line", "attribute", "scope", "outputs", "shares"}], "inputs": {name: shape},
"memory_limit": bytes or null, "site_directories": [path], "cpu_fallback": bool}; a layer with several
outputs lists in "outputs" the expression that reads each one; "site_directories" are added as
site-packages (the user's own, when layerplan's Python uses it); "cpu_fallback" false: torch may not
build the model on the CPU (it would need more memory than the limit). Standard output: JSON lines, each
{"event": ...}: "version", "model" (params: the model's total), "layer" (index, stage, output, params, trainable, non_trainable; "outputs", a
list of shapes, for a layer with several), "error"
(stage — "parse" when the code is not Python —, layer index or null, message), "done"; "import-error"
(then exit status 3); "out-of-memory" (message; exit status 4); "needs-cpu" (message: what the meta device
raised, when the CPU may not be used). Whatever the framework prints goes to standard error.
"""

from __future__ import annotations

import json
import os
import sys

EXIT_IMPORT_FAILED = 3
EXIT_OUT_OF_MEMORY = 4
#: how the frameworks say that an allocation failed (torch's CPU allocator, TensorFlow's, C++)
_ALLOCATION_FAILED = ("can't allocate memory", "cannot allocate memory", "oom when allocating", "bad_alloc",
                      "out of memory")


class OutOfMemory(Exception):
    """An allocation failed: the child reached its memory limit (or the machine's)."""


def _out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or type(exc).__name__ == "ResourceExhaustedError" or any(
        words in str(exc).lower() for words in _ALLOCATION_FAILED)


def _framework_error(exc: BaseException) -> BaseException:
    """The framework's exception, to report as the model's; raises OutOfMemory when it is a failed allocation."""
    if _out_of_memory(exc):
        raise OutOfMemory(_short(exc)) from exc
    return exc


def limit_memory(limit: int | None) -> None:
    """Limit this process's data memory to `limit` bytes (nothing where the system cannot)."""
    try:
        import resource
    except ImportError:  # Windows
        return
    if limit is not None and hasattr(resource, "RLIMIT_DATA"):
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _short(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:400]


class LineWatch:
    """Reads each layer's variable right after its statement ran, in the frame of the exported
    function that holds it: at each new line (or the return) of that function, every layer of its
    scope whose statement ended before that line has run. `codes`: the functions' code objects;
    `scope_of(frame)`: which layers' scope a frame runs (a torch block class's forward runs once per
    use). `seen` maps layer index -> value."""

    def __init__(self, codes, layers, scope_of=lambda frame: ""):
        self.codes = set(codes)
        self.scope_of = scope_of
        self.pending = {}
        for layer in sorted(layers, key=lambda layer: layer["last_line"]):
            self.pending.setdefault(layer.get("scope", ""), []).append(layer)
        self.seen = {}
        self.last_scope = ""

    def __enter__(self):
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)

    def _global(self, frame, event, arg):
        return self._local if frame.f_code in self.codes else None

    def _local(self, frame, event, arg):
        if event in ("line", "return"):
            scope = self.scope_of(frame)
            if event == "line":  # a raise returns through the outer frames: the innermost line is the culprit
                self.last_scope = scope
            pending = self.pending.get(scope, [])
            while pending and pending[0]["last_line"] < frame.f_lineno:
                layer = pending.pop(0)
                if layer["variable"] in frame.f_locals:
                    self.seen[layer["index"]] = _value(layer, frame)
        return self._local

    def next_layer(self):
        """The layer that was running when the function raised: the next one of the innermost scope
        that ran."""
        pending = self.pending.get(self.last_scope) or self.pending.get("") or [None]
        return pending[0]["index"] if pending[0] else None


def _value(layer, frame):
    """A layer's output, or the list of its outputs, read in the frame that computed it."""
    if not layer.get("outputs"):
        return frame.f_locals[layer["variable"]]
    try:
        return [eval(expression, frame.f_globals, dict(frame.f_locals))  # noqa: S307 - layerplan's own code
                for expression in layer["outputs"]]
    except Exception:  # noqa: BLE001 - a variable not assigned yet: the layer did not run
        return None


def _measured(value, shape) -> dict:
    """The output (or outputs) of a layer as an event's fields: shapes without the batch axis."""
    if isinstance(value, list):
        return {"output": shape(value[0]), "outputs": [shape(v) for v in value]}
    return {"output": shape(value)}


def _compiled(job, send):
    """The exported code compiled, or None after an error event (stage "parse") saying why it is not
    Python: export checks its text, so this is an error of layerplan's, named as such by verify."""
    try:
        return compile(job["code"], "<exported>", "exec")
    except (SyntaxError, ValueError) as exc:
        send(event="error", stage="parse", layer=None, message=_short(exc))
        return None


def run_torch(job, send) -> None:
    """Build and run a torch export; `send(**event)` hears each event."""
    import torch

    send(event="version", framework="torch", version=torch.__version__)
    code = _compiled(job, send)
    if code is None:
        return
    namespace = {"__name__": "layerplan_exported"}
    exec(code, namespace)
    inputs = job["inputs"]

    def attempt(device: str):
        with torch.device(device):
            model = namespace["build_model"]()
        model.eval()
        integer = set(job.get("integer_inputs", ()))
        tensors = [torch.zeros(1, *shape, device=device, dtype=torch.long if name in integer else torch.float32)
                   for name, shape in inputs.items()]
        codes = [value.forward.__code__ for value in namespace.values()
                 if isinstance(value, type) and issubclass(value, torch.nn.Module) and "forward" in vars(value)]
        scopes = {id(module): name for name, module in model.named_modules()}
        watch = LineWatch(codes, job["layers"], lambda frame: scopes.get(id(frame.f_locals.get("self")), "?"))
        with torch.no_grad(), watch:
            try:
                model(*tensors)
                error = None
            except Exception as exc:  # noqa: BLE001 - any framework error is a finding
                error = _framework_error(exc)
        return model, watch, error

    try:
        model, watch, error = attempt("meta")
        device = "meta"
        if error is not None and not job.get("cpu_fallback", True):
            send(event="needs-cpu", message=_short(error))
            return
        if error is not None:  # an operation without a meta kernel, or a real error: CPU decides
            model, watch, error = attempt("cpu")
            device = "cpu"
    except OutOfMemory:
        raise
    except Exception as exc:  # noqa: BLE001 - construction failed
        send(event="error", stage="build", layer=None, message=_short(_framework_error(exc)))
        return
    # the model's own count: a module called twice holds its weights once
    send(event="model", params=sum(p.numel() for p in model.parameters()))
    for layer in job["layers"]:
        value = watch.seen.get(layer["index"])
        if value is None:
            continue
        params = trainable = 0
        if layer["attribute"] and not layer.get("shares"):  # a second call of a module: its weights count once
            for p in model.get_submodule(layer["attribute"]).parameters():
                params += p.numel()
                trainable += p.numel() if p.requires_grad else 0
        send(event="layer", index=layer["index"], stage=device, params=params, trainable=trainable,
             non_trainable=params - trainable, **_measured(value, lambda t: list(t.shape[1:])))
    if error is not None:
        send(event="error", stage=device, layer=watch.next_layer(), message=_short(error))


def _keras_counts(layer) -> dict:
    def count(weights):
        total = 0
        for w in weights:
            n = 1
            for d in w.shape:
                n *= int(d)
            total += n
        return total

    if not hasattr(layer, "count_params"):  # a keras.ops operation (or a second call of a layer): no weights
        return {"params": 0, "trainable": 0, "non_trainable": 0}
    return {"params": int(layer.count_params()) if layer.built else 0,
            "trainable": count(layer.trainable_weights), "non_trainable": count(layer.non_trainable_weights)}


def run_keras(job, send) -> None:
    """Build a keras export symbolically, then run it on one zeros batch; `send(**event)` hears each event."""
    import keras
    import numpy as np

    send(event="version", framework="keras", version=keras.__version__)
    code = _compiled(job, send)
    if code is None:
        return
    namespace = {"__name__": "layerplan_exported"}
    exec(code, namespace)
    layers = job["layers"]
    build = namespace["build_model"]
    watch = LineWatch([build.__code__], layers)
    try:
        with watch:
            model = build()
    except Exception as exc:  # noqa: BLE001 - keras rejected a layer while building
        exc = _framework_error(exc)
        layer = watch.next_layer() if job["function"] else None
        for entry in layers:
            value = watch.seen.get(entry["index"])
            if value is not None:
                first = value[0] if isinstance(value, list) else value
                send(event="layer", index=entry["index"], stage="symbolic", **_measured(value, _keras_shape),
                     **_keras_counts(first._keras_history.operation))
        send(event="error", stage="symbolic", layer=layer, message=_short(exc))
        return
    send(event="model", params=int(model.count_params()))  # a layer called twice holds its weights once
    if job["function"]:
        values = [watch.seen[entry["index"]] for entry in layers]
        objects = [(value[0] if isinstance(value, list) else value)._keras_history.operation for value in values]
    else:  # Sequential: its layers are the spec's, in order
        objects = list(model.layers)
        values = [layer.output for layer in objects]
    for entry, value, layer in zip(layers, values, objects):
        counts = _keras_counts(None if entry.get("shares") else layer)  # a second call: its weights count once
        send(event="layer", index=entry["index"], stage="symbolic", **_measured(value, _keras_shape), **counts)
    integer = set(job.get("integer_inputs", ()))
    inputs = [np.zeros((1, *shape), dtype="int32" if name in integer else "float32")
              for name, shape in job["inputs"].items()]
    tensors = [t for value in values for t in (value if isinstance(value, list) else [value])]
    probe = keras.Model(model.inputs, tensors)
    try:
        results = probe(inputs if len(inputs) > 1 else inputs[0], training=False)
    except Exception as exc:  # noqa: BLE001 - TensorFlow rejected the model when running it
        send(event="error", stage="run", layer=None, message=_short(_framework_error(exc)))
        return
    if not isinstance(results, (list, tuple)):
        results = [results]
    results = iter(results)
    for entry, value in zip(layers, values):
        computed = [next(results) for _ in value] if isinstance(value, list) else next(results)
        send(event="layer", index=entry["index"], stage="run", **_measured(computed, _keras_shape))


def _keras_shape(tensor) -> list:
    return [int(d) if d is not None else None for d in tensor.shape[1:]]


def main() -> int:
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # what the framework prints cannot corrupt the answers

    def send(**event) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    job = json.loads(sys.stdin.read())
    limit_memory(job.get("memory_limit"))
    if job.get("site_directories"):
        import site

        for directory in job["site_directories"]:
            site.addsitedir(directory)
    runner = run_torch if job["framework"] == "torch" else run_keras
    try:
        runner(job, send)
    except ImportError as exc:
        send(event="import-error", message=_short(exc))
        return EXIT_IMPORT_FAILED
    except (OutOfMemory, MemoryError) as exc:
        send(event="out-of-memory", message=str(exc) if isinstance(exc, OutOfMemory) else _short(exc))
        return EXIT_OUT_OF_MEMORY
    send(event="done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
