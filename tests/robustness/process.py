"""Running layerplan as a real process with a time limit, and measuring its peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: a hard address-space cap for the child, so that a regression cannot take the test machine down
CHILD_ADDRESS_SPACE = 4 * 1024**3


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # peak resident set size of this child alone


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", *args]


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


def run_layerplan(*args: str, stdin: bytes | None = None, timeout: float = 60, env: dict | None = None,
                  stdin_file: str | None = None) -> Run:
    """Run `layerplan ARGS` (as `python -m cli.main`) and return its status, output, time and peak RSS.

    Peak RSS comes from os.wait4 on this child (RUSAGE_CHILDREN would give the largest of all
    children so far). Output goes through temporary files, so a chatty child never blocks on a pipe.
    """
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin_handle = open(stdin_file, "rb") if stdin_file else (subprocess.PIPE if stdin is not None
                                                                  else subprocess.DEVNULL)
        started = time.monotonic()
        process = subprocess.Popen(command(*args), cwd=ROOT, env=environment, stdin=stdin_handle, stdout=out,
                                   stderr=err, preexec_fn=_limit_child)
        if stdin is not None:
            threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True).start()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise AssertionError(f"layerplan {' '.join(args)[:200]} ran longer than {timeout}s")
            time.sleep(0.01)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting
        if stdin_file:
            stdin_handle.close()
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   seconds, usage.ru_maxrss / 1024)


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except (BrokenPipeError, OSError):  # layerplan stopped reading at its size limit: as it should
        pass
