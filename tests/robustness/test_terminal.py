"""Output robustness on real processes: a reader that goes away (`| head`), a full disk, closed
standard streams, Ctrl-C, terminals 20 columns wide, and internal errors (one line, exit 2; the
traceback only with --debug)."""

from __future__ import annotations

import errno
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import fcntl
import time

import pytest

from fuzzing import TRACEBACK_MARKS, assert_well_behaved, invoke
from process import ROOT, command, run_layerplan

# These tests start real layerplan processes (seconds in all): `-m "not process"` skips them.
pytestmark = pytest.mark.process

VALID = "input: [1, 28, 28]\nlayers:\n" + "  - conv2d: {filters: 8, kernel_size: 3, padding: same}\n" * 300
INVALID = "input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 5}\n" + "  - relu\n" * 300
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def specs(tmp_path):
    (tmp_path / "valid.yaml").write_text(VALID)
    (tmp_path / "invalid.yaml").write_text(INVALID)
    return tmp_path


def no_traceback(text: str) -> None:
    for mark in TRACEBACK_MARKS:
        assert mark not in text, text


# ----------------------------------------------------------------------------------- `| head -1`


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv", "markdown"])
@pytest.mark.parametrize("spec, status", [("valid.yaml", 0), ("invalid.yaml", 1)])
def test_reader_goes_away(specs, output_format, spec, status):
    """`layerplan plan big.yaml | head -1`: quiet, and the status the plan earned (not a pipe error)."""
    process = subprocess.Popen(command("plan", str(specs / spec), "--format", output_format), cwd=ROOT, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # what head does after its line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == status, stderr
    no_traceback(stderr)
    # a failing plan still says so on stderr (a summary line, or the problems themselves for csv)
    assert bool(stderr.strip()) == (status == 1) and ("LP203" in stderr or "1 error" in stderr) == (status == 1)


def test_shell_pipeline_into_head(specs):
    run = subprocess.run(["bash", "-c", f"set -o pipefail; {' '.join(command('plan'))} {specs / 'valid.yaml'} "
                          f"--format jsonl | head -c 10"], cwd=ROOT, env=ENV, capture_output=True, timeout=60)
    assert run.returncode == 0 and len(run.stdout) == 10 and run.stderr == b""


# ------------------------------------------------------------------------------ full and closed outputs


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("output_format", ["table", "json"])
def test_full_disk_on_stdout(specs, output_format):
    with open("/dev/full", "w") as full:
        run = subprocess.run(command("plan", str(specs / "valid.yaml"), "--format", output_format), cwd=ROOT,
                             env=ENV, stdout=full, stderr=subprocess.PIPE, timeout=60)
    stderr = run.stderr.decode()
    assert run.returncode == 2 and stderr.strip() == "layerplan: cannot write the output: No space left on device"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_full_disk_on_an_output_file():
    run = run_layerplan("schema", "--output", "/dev/full")
    assert run.code == 2 and "No space left on device" in run.stderr, run.stderr
    no_traceback(run.stderr)


def test_unwritable_output_path(tmp_path):
    target = tmp_path / "no" / "such" / "directory" / "schema.json"
    run = run_layerplan("schema", "--output", str(target))
    assert run.code == 2 and run.stderr.strip(), run.stderr
    no_traceback(run.stderr)
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        run = run_layerplan("schema", "--output", str(locked / "schema.json"))
        assert run.code == 2 and run.stderr.strip()


@pytest.mark.parametrize("redirect, status", [(">&-", 0), ("2>&-", 1), ("<&- ", 2)])
def test_closed_standard_streams(specs, redirect, status):
    spec = specs / ("invalid.yaml" if status == 1 else "valid.yaml")
    argument = "-" if redirect.startswith("<") else str(spec)
    run = subprocess.run(["bash", "-c", f"{' '.join(command('plan'))} {argument} --format json {redirect}"],
                         cwd=ROOT, env=ENV, capture_output=True, timeout=60)
    assert run.returncode == status, run.stderr
    no_traceback(run.stderr.decode())
    if redirect.startswith("<"):
        assert b"standard input is closed" in run.stderr


# ------------------------------------------------------------------------------------------ Ctrl-C


def test_sigint_ends_quietly_with_130():
    process = subprocess.Popen(command("plan", "-"), cwd=ROOT, env=ENV, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)  # started, and waiting for standard input
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and out == b"" and err == b"", err


def test_keyboard_interrupt_inside_a_command(monkeypatch, specs):
    import layerplan.inputs

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(layerplan.inputs, "plan_path", interrupted)
    code, out, err = invoke(["plan", str(specs / "valid.yaml")])
    assert (code, out, err) == (130, "", "")


# ---------------------------------------------------------------------------------- terminal widths


@pytest.mark.parametrize("columns", ["20", "1", "-5", "abc", "99999999999"])
def test_columns_environment(specs, columns):
    run = run_layerplan("plan", str(specs / "invalid.yaml"), env={"COLUMNS": columns})
    assert run.code == 1 and "LP203" in run.stdout
    no_traceback(run.stderr)


@pytest.mark.parametrize("width", [20, 8, 1])
def test_tiny_real_terminal(specs, width):
    """A pseudo-terminal `width` columns wide: rich renders for a TTY, wraps, and never fails."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, width, 0, 0))
    env = {key: value for key, value in ENV.items() if key not in ("COLUMNS", "LINES", "NO_COLOR")}
    process = subprocess.Popen(command("plan", str(specs / "invalid.yaml")), cwd=ROOT, env=env,
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError as exc:  # the child closed the terminal
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=30) == 1
    text = output.decode("utf-8", "replace")
    no_traceback(text)
    assert "LP203" in text.replace("\r", "").replace("\n", "")  or "kernel" in text


# -------------------------------------------------------------------------------- internal errors

BOOM = """
import sys
import layerplan.inputs
def boom(*args, **kwargs):
    raise RuntimeError("the engine broke\\non two lines")
layerplan.inputs.plan_path = boom
from layerplan.main import main

sys.argv = ["layerplan", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_internal_error_is_one_line_and_status_2(specs, debug):
    args = (["--debug"] if debug else []) + ["plan", str(specs / "valid.yaml")]
    run = subprocess.run([sys.executable, "-c", BOOM, *args], cwd=ROOT, env=ENV, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == (1 if debug else 2)  # with --debug, Python's own exit for an uncaught exception
    if debug:
        assert "Traceback (most recent call last)" in run.stderr and "the engine broke" in run.stderr
    else:
        assert run.stderr.count("\n") == 1 and run.stdout == ""
        assert run.stderr.startswith("layerplan: internal error: RuntimeError: the engine broke on two lines.")
        assert "report" in run.stderr and "--debug" in run.stderr
        assert "Traceback" not in run.stderr


def test_internal_error_in_process(monkeypatch, specs):
    import layerplan.inputs

    monkeypatch.setattr(layerplan.inputs, "plan_path", lambda *a, **k: 1 / 0)
    code, out, err = invoke(["plan", str(specs / "valid.yaml")])
    assert code == 2 and out == "" and err.startswith("layerplan: internal error: ZeroDivisionError")
    monkeypatch.setenv("LAYERPLAN_DEBUG", "1")
    from click.testing import CliRunner

    from layerplan.main import cli

    result = CliRunner().invoke(cli, ["plan", str(specs / "valid.yaml")])
    assert isinstance(result.exception, ZeroDivisionError)


@pytest.mark.parametrize("command", [["plan"], ["check", "--isolated", "-j", "1"], ["explain"], ["plan", "-f", "keras"],
                                     ["export"], ["solve", "expect"]])
def test_out_of_memory_says_so_and_what_was_being_done(monkeypatch, specs, command):
    from layerplan.planner import spec_text

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(spec_text, "_load_yaml", out_of_memory)
    spec = str(specs / "valid.yaml")
    code, out, err = invoke([*command, spec])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"layerplan: out of memory while running 'layerplan {' '.join(command)} {spec}': ")
    assert "bug" not in err and "internal error" not in err and "ulimit" in err


def test_every_failure_has_a_message_on_a_real_process(specs):
    """The same property the in-process fuzz checks, on real processes, for a few typical runs."""
    cases = [(["plan", str(specs / "valid.yaml")], 0), (["plan", str(specs / "invalid.yaml"), "--format", "json"], 1),
             (["plan", str(specs / "missing.yaml")], 2), (["plan", "--format", "nope", "x"], 2), (["nope"], 2),
             (["plan", "-i", "1x8x8", "conv2d:8,99"], 1), (["plan", "-i", "1x8x8", "conv2d:[[[["], None)]
    for args, status in cases:
        run = run_layerplan(*args)
        assert_well_behaved(run.code, run.stdout, run.stderr, context=repr(args))
        if status is not None:
            assert run.code == status, (args, run.stderr)
