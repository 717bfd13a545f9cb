"""Framework runs in worker processes, so that a framework that crashes cannot take pytest down.

A `Worker` is a long-lived child Python process that imports one framework's oracle module once and
then answers calls: `worker.call("keras_build:run_in_keras", spec)` runs that function in the child and
returns its result. When the child dies (a signal such as SIGFPE or SIGSEGV, an abort, an exit) or
gives no answer within the time bound, the call returns a `Crash` instead, saying how it ended and
what the function had reported so far, and the next call starts a fresh child.

A function that takes a `progress` keyword gets a callable that sends its argument to the parent at
once (the oracles send each layer as they start and finish it), so a crash still says which layer
was running and what the layers before it gave.

Nothing here imports a framework: the parent stays clean, and results travel as pickles of plain
data and of the dataclasses in runs.py.

The child speaks on a private copy of its standard output; file descriptor 1 is pointed at standard
error, so whatever a framework prints cannot corrupt the answers. Its standard error goes to a
temporary file whose last lines a `Crash` carries (TensorFlow's "Fatal Python error: ..." lines).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.metadata
import inspect
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

#: The modules each framework's worker imports when it starts (an import that fails is reported at
#: once, not at the first call), and the distribution whose presence means the test extra is installed.
FRAMEWORKS = {
    "torch": {"modules": ("torch_build",), "distribution": "torch"},
    "keras": {"modules": ("keras_build",), "distribution": "keras"},
    "probe": {"modules": ("isolation_probe",), "distribution": None},  # no framework: the tests of this module
}
DEFAULT_TIMEOUT = 300.0  # seconds one call may take before the child counts as hung
_HEADER = struct.Struct("!Q")


@dataclasses.dataclass
class Crash:
    """How a call ended that gave no answer. `how`: "killed by SIGFPE", "exit status 3", "no answer
    within 300 s"; `progress`: what the function had sent; `stderr_tail`: the child's last words."""

    how: str
    function: str
    progress: list = dataclasses.field(default_factory=list)
    stderr_tail: str = ""

    def __str__(self) -> str:
        tail = f"; its last words: {self.stderr_tail}" if self.stderr_tail else ""
        return f"{self.function} {self.how}{tail}"


class FrameworkUnavailable(Exception):
    """The framework is not installed at all (the test extra is missing): tests skip, and say so."""


class FrameworkImportFailed(Exception):
    """The framework is installed but its import fails in the worker: tests fail, never skip."""


class CallFailed(Exception):
    """The function raised in the worker (a bug in the oracle, not a crash of the framework)."""


# --------------------------------------------------------------------------------------------- parent

class Worker:
    """One framework's worker process; `env` adds environment variables (e.g. TF_ENABLE_ONEDNN_OPTS=0)."""

    def __init__(self, framework: str, env: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                 modules: tuple[str, ...] | None = None) -> None:
        self.framework = framework
        self.env = dict(env or {})
        self.timeout = timeout
        self.modules = FRAMEWORKS[framework]["modules"] if modules is None else modules
        self.versions: dict[str, str] = {}
        self._process: subprocess.Popen | None = None
        self._stderr = None

    @property
    def label(self) -> str:
        extra = " ".join(f"{key}={value}" for key, value in sorted(self.env.items()))
        return f"{self.framework} ({extra})" if extra else self.framework

    def call(self, function: str, *args: Any, timeout: float | None = None) -> Any:
        """`function` ("module:name") applied to `args` in the worker: its result, or a `Crash`."""
        self._ensure_started()
        process = self._process
        try:
            _send(process.stdin, ("call", function, args))
        except (BrokenPipeError, OSError):
            return self._crashed(function, [])
        progress: list = []
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            message = _receive(process.stdout, deadline)
            if message is None:
                return self._crashed(function, progress, hung=time.monotonic() >= deadline)
            kind, payload = message
            if kind == "progress":
                progress.append(payload)
            elif kind == "result":
                return payload
            elif kind == "raised":
                raise CallFailed(f"{function} raised in the {self.label} worker:\n{payload}")

    def close(self) -> None:
        if self._process is not None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    # --- internals

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        distribution = FRAMEWORKS[self.framework]["distribution"]
        try:
            if distribution is not None:
                importlib.metadata.distribution(distribution)
        except importlib.metadata.PackageNotFoundError:
            raise FrameworkUnavailable(
                f"{distribution} is not installed: install the test extra (pip install -e '.[test]')") from None
        if self._stderr is not None:
            self._stderr.close()
        self._stderr = tempfile.TemporaryFile()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]), **self.env}
        self._process = subprocess.Popen(
            [sys.executable, str(Path(__file__)), *self.modules],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, env=env, cwd=str(ROOT))
        message = _receive(self._process.stdout, time.monotonic() + self.timeout)
        if message is None or message[0] != "ready":
            crash = self._crashed("import " + ", ".join(self.modules), [])
            detail = message[1] if message is not None else str(crash)
            raise FrameworkImportFailed(f"the {self.label} worker could not import its framework: {detail}")
        self.versions = message[1]

    def _crashed(self, function: str, progress: list, hung: bool = False) -> Crash:
        process = self._process
        if hung:
            process.kill()
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        self._process = None
        if hung:
            how = f"gave no answer within {self.timeout:g} s (killed)"
        elif code < 0:
            how = f"was killed by {signal.Signals(-code).name}"
        else:
            how = f"ended with exit status {code}"
        return Crash(how, function, progress, self._stderr_tail())

    def _stderr_tail(self) -> str:
        """The child's last words: Python's "Fatal Python error: ..." line where there is one, else the
        last line that is not a framework's log chatter or a stack frame."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        self._stderr.seek(0)
        self._stderr.truncate()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        fatal = [line for line in lines if line.startswith("Fatal Python error")]
        if fatal:
            return fatal[-1][:300]
        chatter = ("File ", "Extension modules", "Current thread", "Thread 0x", "(total:", "I0000", "W0000",
                   "E0000", "WARNING: All log messages", "Traceback")
        said = [line for line in lines if not line.startswith(chatter)]
        return said[-1][:300] if said else ""


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream, size: int, deadline: float | None) -> bytes | None:
    chunks, remaining = [], size
    fd = stream.fileno()
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
        chunk = os.read(fd, remaining)
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _receive(stream, deadline: float | None):
    """The next message, or None when the stream ended or the deadline passed."""
    header = _read_exactly(stream, _HEADER.size, deadline)
    if header is None:
        return None
    body = _read_exactly(stream, _HEADER.unpack(header)[0], deadline)
    return None if body is None else pickle.loads(body)


# --------------------------------------------------------------------------------------------- child

def serve(modules: list[str]) -> None:
    """The worker's loop: import `modules`, then answer calls until standard input closes."""
    import faulthandler

    faulthandler.enable()  # a fatal signal leaves "Fatal Python error: ..." for the crash report
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a framework's prints go to standard error, never into the answers
    sys.stdout = sys.stderr
    requests = os.fdopen(0, "rb")
    try:
        for name in modules:
            importlib.import_module(name)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the tests
        _send(answers, ("import-failed", f"{type(exc).__name__}: {exc}"))
        return
    _send(answers, ("ready", _versions()))
    while True:
        message = _receive(requests, None)
        if message is None:
            return
        _, function, args = message
        module_name, name = function.split(":")
        target = getattr(importlib.import_module(module_name), name)
        kwargs = {}
        if "progress" in inspect.signature(target).parameters:
            kwargs["progress"] = lambda payload: _send(answers, ("progress", payload))
        try:
            result = target(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the oracle itself failed: the parent raises CallFailed
            import traceback

            _send(answers, ("raised", traceback.format_exc()))
            continue
        _send(answers, ("result", result))


def _versions() -> dict[str, str]:
    found = {}
    for distribution in ("torch", "keras", "tensorflow-cpu", "tensorflow"):
        try:
            found[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


if __name__ == "__main__":
    serve(sys.argv[1:])
