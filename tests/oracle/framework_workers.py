"""Fixtures for the differential tests: framework workers (isolation.py), and the report of every
framework crash (a pytest plugin: conftest.py imports it).

Every framework computation of these suites runs in a worker process: a crashing framework kernel is
reported (the case, the signal, the framework's last words) and skips that case, and the suite goes on.
A crash is never counted as agreement: it is listed at the end of the run under "framework crashes".
A framework that is installed but fails to import fails the tests that need it; one that is not
installed at all (no test extra) skips them with that reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from isolation import Crash, FrameworkImportFailed, FrameworkUnavailable, Worker  # noqa: E402

#: (test id, worker label, crash) of every crash this session, for the summary at the end
CRASHES: list[tuple[str, str, Crash, str]] = []

#: TensorFlow's own CPU kernels, wherever oneDNN would be used by default (docs/diagnostics.md: "When TensorFlow's
#: answer depends on the machine"): the keras suites run with both, so both behaviours are met here.
OWN_KERNELS = {"TF_ENABLE_ONEDNN_OPTS": "0"}


def _start(worker: Worker) -> Worker:
    try:
        worker.call("isolation_probe:echo", "ready")
    except FrameworkUnavailable as exc:
        pytest.skip(str(exc))
    except FrameworkImportFailed as exc:
        pytest.fail(str(exc), pytrace=False)
    return worker


@pytest.fixture(scope="session")
def torch_worker():
    worker = Worker("torch")
    yield _start(worker)
    worker.close()


@pytest.fixture(scope="session")
def keras_worker():
    worker = Worker("keras")
    yield _start(worker)
    worker.close()


@pytest.fixture(scope="session")
def keras_own_kernels_worker():
    worker = Worker("keras", env=OWN_KERNELS)
    yield _start(worker)
    worker.close()


@pytest.fixture(params=["default", "own-kernels"])
def keras_workers(request):
    """The keras worker with the machine's default kernels, then with TensorFlow's own CPU kernels."""
    return request.getfixturevalue("keras_worker" if request.param == "default" else "keras_own_kernels_worker")


def crashed(request, worker: Worker, crash: Crash, detail: str = "") -> None:
    """Record a crash of the framework in this test's case and skip the case (never a pass)."""
    CRASHES.append((request.node.nodeid, worker.label, crash, detail))
    pytest.skip(f"framework crash, not counted as agreement: {worker.label} {crash}{detail}")


@pytest.fixture
def on_crash(request):
    """`on_crash(worker, crash, detail)`: report a framework crash in this case and skip it."""
    return lambda worker, crash, detail="": crashed(request, worker, crash, detail)


@pytest.fixture
def isolated(request):
    """`isolated(worker, "module:function", *args)`: the function's result from the worker; a crash is
    reported and skips this case."""
    def call(worker: Worker, function: str, *args):
        result = worker.call(function, *args)
        if isinstance(result, Crash):
            crashed(request, worker, result)
        return result
    return call


def pytest_terminal_summary(terminalreporter):
    if not CRASHES:
        return
    terminalreporter.section(f"framework crashes: {len(CRASHES)} (skipped, not counted as agreement)")
    for nodeid, label, crash, detail in CRASHES:
        terminalreporter.write_line(f"{nodeid}: {label} {crash}{detail}")
