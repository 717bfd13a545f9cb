"""Run a function over many items in forked worker processes, and survive a worker that dies.

Each worker is handed one item at a time over its own pipe, so when a worker dies (the system's
out-of-memory killer, a signal) the parent knows which item it was working on: that item's result is
`on_death(item, how)`, a new worker takes the place of the dead one, and the other items go on.
(multiprocessing.Pool waits forever for a dead worker's answer; a broken ProcessPoolExecutor fails
every item still queued, whoever killed it.)
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from multiprocessing.connection import wait


def map_in_workers(function, items: list, jobs: int, on_death) -> list:
    """[function(item) for item in items], computed by `jobs` forked workers; an item whose worker
    died while computing it gets on_death(item, how), `how` saying how the worker ended
    ("killed by SIGKILL", "exited with status 3"). An exception raised by `function` is raised here.

    >>> map_in_workers(abs, [-1, 2, -3], 2, lambda item, how: None)
    [1, 2, 3]
    """
    context = multiprocessing.get_context("fork")  # the workers start with the caller's modules imported
    results: list = [None] * len(items)
    waiting = deque(range(len(items)))
    workers: dict = {}  # the parent's end of a worker's pipe -> [process, index it computes or None]

    def start_worker() -> None:
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(function, items, theirs, ours), daemon=True)
        process.start()
        theirs.close()
        workers[ours] = [process, None]
        hand_out(ours)

    def hand_out(connection) -> None:
        index = waiting.popleft() if waiting else None
        workers[connection][1] = None
        try:
            connection.send(index)
        except OSError:  # the worker died before it could take it: the item waits for another worker
            if index is not None:
                waiting.appendleft(index)
            return
        workers[connection][1] = index

    try:
        for _ in range(min(jobs, len(items))):
            start_worker()
        while workers:
            ready = wait([*workers, *(process.sentinel for process, _ in workers.values())])
            for connection in [c for c in workers if c in ready or workers[c][0].sentinel in ready]:
                process, index = workers[connection]
                answer = _receive(connection)
                if answer is not None:
                    failed, value = answer
                    if failed:
                        raise value
                    results[index] = value
                    hand_out(connection)
                    continue
                process.join()  # the worker ended: after its last item, or while computing one
                connection.close()
                del workers[connection]
                if index is not None:
                    results[index] = on_death(items[index], _how_it_ended(process.exitcode))
                if waiting:
                    start_worker()
    finally:
        for connection, (process, _) in workers.items():
            process.kill()
            process.join()
            connection.close()
    return results


def _receive(connection):
    """The worker's next answer, (failed, value), or None when the worker is gone or said nothing yet."""
    try:
        return connection.recv() if connection.poll() else None
    except (EOFError, OSError):
        return None


def _serve(function, items, connection, parent_end) -> None:
    """A worker: compute the item whose index arrives, send (failed, result or exception), until None."""
    parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the parent, which ends the workers
    while (index := connection.recv()) is not None:
        try:
            answer = (False, function(items[index]))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            answer = (True, exc)
        connection.send(answer)


def _how_it_ended(exitcode: int | None) -> str:
    """'killed by SIGKILL' for a signal, else 'exited with status N'.

    >>> _how_it_ended(-9), _how_it_ended(3)
    ('killed by SIGKILL', 'exited with status 3')
    """
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode}"
