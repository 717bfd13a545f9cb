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
    peak_mb: float  # peak resident set size of this child alone (after exec)


#: Runs the CLI like `python -m layerplan`, and at exit writes the process's own peak RSS (VmHWM, in
#: kB) to the file named by LAYERPLAN_TEST_PEAK_FILE. VmHWM belongs to the memory of the program
#: after exec; the kernel's ru_maxrss of a child also counts the pages it shared with a large parent
#: at fork time (a test process with torch loaded would make every child look 1 GB large).
_BOOT = (
    "import atexit, os, sys\n"
    "def _peak():\n"
    "    try:\n"
    "        status = open('/proc/self/status').read()\n"
    "        kb = next(line.split()[1] for line in status.splitlines() if line.startswith('VmHWM:'))\n"
    "        open(os.environ['LAYERPLAN_TEST_PEAK_FILE'], 'w').write(kb)\n"
    "    except Exception:\n"
    "        pass\n"
    "atexit.register(_peak)\n"
    "sys.argv[0] = 'layerplan'\n"
    "from layerplan.main import main\n"
    "main()\n"
)


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "layerplan", *args]


def measured_command(*args: str) -> list[str]:
    """`command`, reporting the child's own peak memory at exit (see _BOOT)."""
    return [sys.executable, "-c", _BOOT, *args]


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


def run_layerplan(*args: str, stdin: bytes | None = None, timeout: float = 60, env: dict | None = None,
                  stdin_file: str | None = None) -> Run:
    """Run `layerplan ARGS` (as `python -m layerplan`) and return its status, output, time and peak RSS.

    Peak RSS is the child's own VmHWM (see _BOOT). Output goes through temporary files, so a chatty
    child never blocks on a pipe.
    """
    peak_file = tempfile.NamedTemporaryFile(delete=False)
    peak_file.close()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100", **(env or {}),
                   "LAYERPLAN_TEST_PEAK_FILE": peak_file.name}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin_handle = open(stdin_file, "rb") if stdin_file else (subprocess.PIPE if stdin is not None
                                                                  else subprocess.DEVNULL)
        started = time.monotonic()
        process = subprocess.Popen(measured_command(*args), cwd=ROOT, env=environment, stdin=stdin_handle, stdout=out,
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
                   seconds, _peak_mb(peak_file.name, usage))


def _peak_mb(path: str, usage) -> float:
    """The child's own peak RSS in MB: VmHWM as it reported it at exit, else (it ended without
    running its exit hooks, e.g. on SIGINT) the kernel's ru_maxrss."""
    try:
        with open(path) as handle:
            text = handle.read().strip()
        return int(text) / 1024 if text else usage.ru_maxrss / 1024
    except (OSError, ValueError):
        return usage.ru_maxrss / 1024
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except (BrokenPipeError, OSError):  # layerplan stopped reading at its size limit: as it should
        pass
