"""`layerplan check -j N` when a worker process dies (the system's out-of-memory killer, a signal):
the file it was checking gets an error line saying so, the other files are checked, and the run
ends with exit status 2 (a file not checked), never waits forever.

A worker is killed by the tests themselves: `check_target` is replaced, in a separate process, by
one that sends a signal to its own process for chosen file names. Nothing a spec file holds can do that.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from check_helpers import CASES

pytestmark = pytest.mark.process

GOOD = (CASES / "good" / "classifier.yaml").read_text(encoding="utf-8")
BAD = (CASES / "bad" / "kernel_too_large.yaml").read_text(encoding="utf-8")

#: `layerplan check` with check_target killing its own worker on files named kill-SIGNAL-*.yaml
CHECK_WITH_KILLER = textwrap.dedent("""
    import os, signal, sys
    import layerplan.commands.check as check
    original = check.check_target
    def check_target(target, **options):
        name = os.path.basename(target.name)
        if name.startswith("kill-"):
            os.kill(os.getpid(), getattr(signal, name.split("-")[1]))
        if name.startswith("exit-"):
            os._exit(int(name.split("-")[1]))
        return original(target, **options)
    check.check_target = check_target
    from layerplan.main import main
    sys.argv = ["layerplan", *sys.argv[1:]]
    main()
""")


def run_check(directory, *args):
    # the timeout only guards against the hang this file tests for; no assertion is made about time
    return subprocess.run([sys.executable, "-c", CHECK_WITH_KILLER, "check", "--isolated", *args, str(directory)],
                          capture_output=True, text=True, timeout=300, cwd=directory)


def write_files(directory, names):
    for name in names:
        (directory / name).write_text(BAD if "bad" in name else GOOD, encoding="utf-8")


@pytest.mark.parametrize(("names", "dead", "status"), [
    (["a.yaml", "kill-SIGKILL-b.yaml", "c.yaml", "d.yaml"], {"kill-SIGKILL-b.yaml": "killed by SIGKILL"}, 2),
    (["a.yaml", "kill-SIGSEGV-b.yaml", "c-bad.yaml"], {"kill-SIGSEGV-b.yaml": "killed by SIGSEGV"}, 2),
    (["exit-3-a.yaml", "b.yaml", "kill-SIGKILL-c.yaml", "d-bad.yaml", "e.yaml"],
     {"exit-3-a.yaml": "exited with status 3", "kill-SIGKILL-c.yaml": "killed by SIGKILL"}, 2),
    (["kill-SIGKILL-a.yaml", "kill-SIGKILL-b.yaml", "kill-SIGKILL-c.yaml"],
     {f"kill-SIGKILL-{n}.yaml": "killed by SIGKILL" for n in "abc"}, 2),
])
@pytest.mark.parametrize("jobs", ["2", "3"])
def test_a_dead_worker_is_an_error_line_for_its_file_and_the_run_goes_on(tmp_path, names, dead, status, jobs):
    write_files(tmp_path, names)
    child = run_check(tmp_path, "-j", jobs)
    assert child.returncode == status, child.stderr
    assert "Traceback" not in child.stdout + child.stderr
    lines = child.stdout.splitlines()
    for name in names:
        mentions = [line for line in lines if os.path.basename(line.split(":")[0]) == name]
        if name in dead:
            how = dead[name]
            verb = "was " if how.startswith("killed") else ""
            assert mentions == [mention for mention in mentions if
                                f"error LP001 unreadable-file: not checked: the worker process checking it {verb}{how}"
                                in mention] != []
        elif "bad" in name:
            assert any("LP203" in mention for mention in mentions)
        else:
            assert mentions == []
    assert f"{len(names)} file" in lines[-1]


def test_the_reports_of_the_other_files_are_those_of_a_run_without_workers(tmp_path):
    names = [f"{n:02d}{'-bad' if n % 3 == 0 else ''}.yaml" for n in range(12)]
    write_files(tmp_path, names)
    serial = run_check(tmp_path, "-j", "1", "--format", "jsonl")
    (tmp_path / "kill-SIGKILL-x.yaml").write_text(GOOD, encoding="utf-8")
    parallel = run_check(tmp_path, "-j", "2", "--format", "jsonl")
    assert (serial.returncode, parallel.returncode) == (1, 2)
    killed = [line for line in parallel.stdout.splitlines() if "kill-SIGKILL-x.yaml" in line]
    assert len(killed) == 1 and "killed by SIGKILL" in killed[0]
    assert [line for line in parallel.stdout.splitlines() if line not in killed] == serial.stdout.splitlines()


def _die_on_negative(item):
    if item < 0:
        os.kill(os.getpid(), -item)
    return item * 10


@pytest.mark.parametrize(("items", "jobs", "expected"), [
    ([1, 2, 3], 2, [10, 20, 30]),
    ([1, -signal.SIGKILL, 3], 2, [10, "killed by SIGKILL", 30]),
    ([-signal.SIGTERM, -signal.SIGKILL], 1, ["killed by SIGTERM", "killed by SIGKILL"]),
    ([-signal.SIGKILL, 2, -signal.SIGUSR1, 4, 5], 4, ["killed by SIGKILL", 20, "killed by SIGUSR1", 40, 50]),
    ([], 2, []),
])
def test_map_in_workers_gives_each_item_its_result_or_how_its_worker_died(items, jobs, expected):
    from layerplan.workers import map_in_workers

    assert map_in_workers(_die_on_negative, items, jobs, lambda item, how: how) == expected


def test_an_exception_in_a_worker_is_raised_in_the_caller():
    from layerplan.workers import map_in_workers

    with pytest.raises(ZeroDivisionError):
        map_in_workers(lambda item: 1 // item, [1, 0, 2], 2, lambda item, how: how)
