"""Small functions for a worker to run: the readiness check, and the crashes that test_isolation.py
simulates (a signal, a hang, an exit) to prove a crash is reported and does not end the run."""

from __future__ import annotations

import os
import signal
import time


def echo(value):
    return value


def die_by(signal_name: str, progress=None) -> None:
    if progress is not None:
        progress(("start", 1))
    os.kill(os.getpid(), getattr(signal, signal_name))
    time.sleep(5)


def hang(seconds: float) -> None:
    time.sleep(seconds)


def exit_with(status: int) -> None:
    os._exit(status)


def shout(text: str) -> str:
    """Prints on the worker's standard output, which must not reach the answers."""
    print(text * 1000, flush=True)
    os.write(1, b"raw bytes on fd 1\n")
    return text


def fail(message: str) -> None:
    raise ValueError(message)
