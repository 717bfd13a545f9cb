"""The worker processes of the differential suites (isolation.py): a framework that crashes — a signal,
an exit, a hang — is reported as a crash and does not take the test run down; a failing import fails."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from isolation import CallFailed, Crash, FrameworkImportFailed, Worker  # noqa: E402

pytestmark = pytest.mark.process


@pytest.fixture
def worker():
    # a worker that imports no framework: the crashes are simulated by isolation_probe
    w = Worker("probe", timeout=20)
    yield w
    w.close()


@pytest.mark.parametrize("signal_name", ["SIGFPE", "SIGSEGV", "SIGABRT", "SIGKILL"])
def test_a_signal_is_a_crash_and_the_next_call_gets_a_fresh_worker(worker, signal_name):
    assert worker.call("isolation_probe:echo", 1) == 1
    crash = worker.call("isolation_probe:die_by", signal_name)
    assert isinstance(crash, Crash)
    assert crash.how == f"was killed by {signal_name}"
    assert crash.progress == [("start", 1)]  # what the function said before it died
    assert worker.call("isolation_probe:echo", [2, 3]) == [2, 3]


def test_sigfpe_carries_python_s_last_words(worker):
    crash = worker.call("isolation_probe:die_by", "SIGFPE")
    assert crash.stderr_tail == "Fatal Python error: Floating point exception"
    assert str(crash) == ("isolation_probe:die_by was killed by SIGFPE; "
                          "its last words: Fatal Python error: Floating point exception")


def test_an_exit_is_a_crash(worker):
    crash = worker.call("isolation_probe:exit_with", 3)
    assert isinstance(crash, Crash) and crash.how == "ended with exit status 3"


def test_a_hang_is_a_crash_after_the_time_bound(worker):
    crash = worker.call("isolation_probe:hang", 60, timeout=1)
    assert isinstance(crash, Crash) and crash.how.startswith("gave no answer within")
    assert worker.call("isolation_probe:echo", "after") == "after"


def test_prints_of_a_framework_cannot_corrupt_the_answers(worker):
    assert worker.call("isolation_probe:shout", "x") == "x"
    assert worker.call("isolation_probe:echo", {"a": 1}) == {"a": 1}


def test_an_exception_in_the_oracle_is_a_failure_not_a_crash(worker):
    with pytest.raises(CallFailed, match="ValueError: broken oracle"):
        worker.call("isolation_probe:fail", "broken oracle")
    assert worker.call("isolation_probe:echo", 4) == 4


def test_an_import_that_fails_fails(tmp_path):
    w = Worker("probe", modules=("no_such_framework_module",), timeout=20)
    with pytest.raises(FrameworkImportFailed, match="ModuleNotFoundError"):
        w.call("isolation_probe:echo", 1)
    w.close()


def test_a_crashing_case_is_reported_and_the_run_goes_on(pytester):
    """A whole pytest run whose second case crashes its framework with SIGFPE: that case is skipped and
    listed under "framework crashes" with the signal, the others pass, and the run exits 0."""
    oracle = Path(__file__).parent
    pytester.makeconftest(f"""
        import sys
        sys.path.insert(0, {str(oracle)!r})
        from framework_workers import on_crash, pytest_terminal_summary  # noqa: F401
        """)
    pytester.makepyfile(test_cases=textwrap.dedent("""
        import pytest
        from isolation import Crash, Worker

        @pytest.fixture(scope="module")
        def worker():
            w = Worker("probe", timeout=20)
            yield w
            w.close()

        @pytest.mark.parametrize("case", ["before", "crash", "after"])
        def test_case(worker, on_crash, case):
            if case == "crash":
                result = worker.call("isolation_probe:die_by", "SIGFPE")
            else:
                result = worker.call("isolation_probe:echo", case)
            if isinstance(result, Crash):
                on_crash(worker, result, " in layer 1 (simulated)")
            assert result == case
        """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    assert result.ret == 0
    result.stdout.fnmatch_lines([
        "*framework crashes: 1 (skipped, not counted as agreement)*",
        "*test_case?crash?: probe isolation_probe:die_by was killed by SIGFPE*in layer 1 (simulated)*",
    ])
