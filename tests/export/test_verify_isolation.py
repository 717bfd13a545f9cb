"""`layerplan verify`'s child process: isolated (nothing from the current directory, PYTHONPATH,
PYTHONSTARTUP or a .pth file next to the spec is imported) and bounded (a memory limit estimated
before the child starts and enforced inside it, a time limit), with the exit statuses of
docs/export-and-verify.md.

Files named like the modules the child imports (torch.py, keras.py, numpy.py, json.py,
sitecustomize.py...) are planted where a user may run verify; each writes a marker file named
after the process that imported it. No process but layerplan's own (the parent, which imports what
its own Python is told to) may leave a marker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.main import cli

ROOT = Path(__file__).resolve().parents[2]
STEM = ROOT / "examples" / "resnet_stem.yaml"
PLANTED = ("torch", "keras", "numpy", "tensorflow", "sitecustomize", "usercustomize")
PLANTED_IN_CWD = (*PLANTED, "json")
#: the parent under test runs without the current directory on its path (-P), as the installed
#: `layerplan` script does: what a user's PYTHONPATH does to layerplan itself is the user's choice
PARENT = "import sys; from layerplan.main import main; sys.argv = ['layerplan', *sys.argv[1:]]; main()"


def run(args):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def plant(directory: Path, markers: Path, names) -> None:
    marker = "import os; open(os.path.join({!r}, '{}.' + str(os.getpid())), 'w').close()\n"
    for name in names:
        (directory / f"{name}.py").write_text(marker.format(str(markers), name), encoding="utf-8")
    (directory / "planted.pth").write_text("import " + "planted_by_pth\n", encoding="utf-8")
    (directory / "planted_by_pth.py").write_text(marker.format(str(markers), "pth"), encoding="utf-8")


def planted_places(tmp_path: Path):
    """(the directory to run in, the environment, the markers' directory), each place planted."""
    markers, here, on_path = tmp_path / "markers", tmp_path / "here", tmp_path / "on_path"
    for directory in (markers, here, on_path):
        directory.mkdir()
    plant(here, markers, PLANTED_IN_CWD)
    plant(on_path, markers, PLANTED)
    startup = tmp_path / "startup.py"
    startup.write_text(f"open({str(markers / 'startup.0')!r}, 'w').close()\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(on_path), "PYTHONSTARTUP": str(startup), "PYTHONINSPECT": "",
           "PYTHONUSERBASE": str(on_path)}
    return here, env, markers


def run_parent(python, args, cwd, env, parent=PARENT):
    """(pid, exit status, stdout, stderr) of `layerplan ARGS` run by `python`."""
    process = subprocess.Popen([python, "-P", "-c", parent, *args], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=600)
    return process.pid, process.returncode, out, err


def markers_of_other_processes(markers: Path, parent_pid: int) -> list[str]:
    return sorted(path.name for path in markers.iterdir() if path.suffix != f".{parent_pid}")


@pytest.fixture(scope="module")
def python_without_frameworks(tmp_path_factory):
    """A virtual environment with nothing installed: a child isolated to its interpreter's own
    site-packages finds no framework there. (The parent finds layerplan through -c's site line.)"""
    directory = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(directory)], check=True, timeout=300)
    return str(directory / "bin" / "python")


@pytest.mark.process
@pytest.mark.parametrize(("framework", "hint"), [("torch", "pip install torch==2.13.0"),
                                                 ("keras", "pip install tensorflow-cpu==2.21.0 keras==3.15.1")])
def test_the_child_imports_nothing_planted_and_finds_only_its_own_site_packages(
        tmp_path, python_without_frameworks, framework, hint):
    # the parent finds layerplan in this environment; the child, isolated, only in the bare one's
    here, env, markers = planted_places(tmp_path)
    site_line = f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})"
    pid, status, out, err = run_parent(python_without_frameworks, ["verify", str(STEM), "-f", framework], here, env,
                                       parent=f"{site_line}; {PARENT}")
    assert markers_of_other_processes(markers, pid) == []
    assert (status, out) == (2, "")
    assert err.startswith(f"layerplan: verify --framework {framework} needs {framework}")
    assert hint in err and "Traceback" not in err
    assert sorted(os.listdir(here)) == sorted([*(f"{n}.py" for n in PLANTED_IN_CWD), "planted.pth",
                                               "planted_by_pth.py"])  # nothing written where it ran


@pytest.mark.framework
@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_verify_works_where_modules_are_planted_and_imports_none_of_them(tmp_path, framework):
    here, env, markers = planted_places(tmp_path)
    pid, status, out, err = run_parent(sys.executable, ["verify", str(STEM), "-f", framework], here, env)
    assert markers_of_other_processes(markers, pid) == []
    assert status == 0, err
    assert out.splitlines()[-1].endswith("all 4 layers agree with the plan")


def test_the_child_runs_isolated_in_an_empty_directory_without_python_variables(monkeypatch):
    from layerplan.verification import child_command, child_environment

    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    monkeypatch.setenv("PYTHONSTARTUP", "/somewhere/startup.py")
    command = child_command()
    assert command[:2] == [sys.executable, "-I"] and command[2].endswith("verify_child.py")
    assert not [key for key in child_environment() if key.upper().startswith("PYTHON")]


# --- memory and time


def spec(tmp_path, framework: str, units: int) -> str:
    path = tmp_path / f"{framework}.yaml"
    path.write_text(f"framework: {framework}\ninput: [8]\nlayers:\n  - dense: {{units: {units}}}\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("units", "limit", "needs"), [
    (100_000_000, [],
     "about 8.08 GiB (weights 6.71 GiB held twice while built, activations 381 MiB, keras itself 1 GiB)"),
    (100_000_000, ["--memory-limit", "8GiB"], "about 8.08 GiB"),
    (10_000_000, ["--memory-limit", "1.5GiB"], "about 1.71 GiB"),
])
def test_a_keras_model_over_the_memory_limit_is_refused_before_it_is_built(tmp_path, units, limit, needs):
    code, out, err = run(["verify", spec(tmp_path, "keras", units), *limit])
    assert (code, out) == (2, "")
    written = limit[1].replace("GiB", " GiB") if limit else "4 GiB"
    said = f"layerplan: {tmp_path / 'keras.yaml'}: not verified: building this model in keras needs {needs}"
    assert err.startswith(said)
    assert err.rstrip().endswith(f"over verify's memory limit of {written}; raise it with --memory-limit SIZE")


@pytest.mark.parametrize(("value", "message"), [("lots", "is not a size"), ("0", "is not a positive size"),
                                                ("-1G", "is not a size")])
def test_a_memory_limit_that_is_not_a_size_is_a_command_line_error(tmp_path, value, message):
    code, out, err = run(["verify", spec(tmp_path, "keras", 4), "--memory-limit", value])
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize(("text", "size"), [("1024", 1024), ("4GiB", 4 * 2**30), ("4G", 4 * 2**30), ("4gb", 4 * 2**30),
                                            ("512MiB", 512 * 2**20), ("1.5GiB", 3 * 2**29), ("2T", 2 * 2**40),
                                            ("64k", 65536), ("none", None), ("unlimited", None)])
def test_memory_sizes(text, size):
    from layerplan.verification import parse_size

    assert parse_size(text) == size


@pytest.mark.parametrize(("layers", "framework", "weights", "activations"), [
    ([{"dense": {"units": 1000}}], "torch", 4 * 9000, 4 * 1008),
    ([{"dense": {"units": 1000}}], "keras", 8 * 9000, 4 * 1008),
    ([{"dense": {"units": 10}}, {"relu": {}}, {"dense": {"units": 2}}], "torch", 4 * (90 + 22), 4 * (8 + 10 + 10 + 2)),
])
def test_the_memory_estimate_counts_weights_and_every_value(layers, framework, weights, activations):
    from layerplan.planner import plan_data
    from layerplan.verification import FRAMEWORK_MEMORY, memory_estimate

    estimate = memory_estimate(plan_data({"input": [8], "layers": layers}), framework)
    assert (estimate.weights, estimate.activations, estimate.framework) == (weights, activations,
                                                                            FRAMEWORK_MEMORY[framework])


def planned(tmp_path, framework: str, units: int):
    import yaml

    from layerplan.planner.export import export_report, plan_for_export

    path = spec(tmp_path, framework, units)
    report = plan_for_export(yaml.safe_load(Path(path).read_text(encoding="utf-8")), framework, path)
    return report, export_report(report)


def tampered(exported, old: str, new: str):
    assert exported.text.count(old) == 1
    exported.text = exported.text.replace(old, new)
    return exported


@pytest.mark.framework
def test_a_torch_model_over_the_limit_runs_on_the_meta_device_which_allocates_nothing(tmp_path):
    code, out, err = run(["verify", spec(tmp_path, "torch", 100_000_000)])
    assert code == 0, err
    assert out.splitlines()[-1].endswith("(meta device): all 1 layers agree with the plan")


@pytest.mark.framework
def test_a_torch_model_over_the_limit_that_needs_the_cpu_is_refused(tmp_path):
    from layerplan.commands.verify import verify_exported
    from layerplan.verification import NotVerified

    report, exported = planned(tmp_path, "torch", 100_000_000)
    exported = tampered(exported, "x = self.dense_1(x)", "assert x.device.type != 'meta'; x = self.dense_1(x)")
    with pytest.raises(NotVerified) as refused:
        verify_exported(report, exported)
    assert str(refused.value).startswith("torch's meta device cannot run this model (AssertionError: ), and building "
                                         "it on the CPU needs about 4.23 GiB (weights 3.35 GiB, activations 381 MiB, "
                                         "torch itself 512 MiB)")
    assert str(refused.value).endswith("over verify's memory limit of 4 GiB; raise it with --memory-limit SIZE")


@pytest.mark.framework
@pytest.mark.parametrize(("framework", "allocation", "limit", "said"), [
    # 8 GiB asked for while running, beyond the 4 GiB default: torch's allocator fails
    ("torch", "x = self.dense_1(x); torch.empty(2**31)", None, "DefaultCPUAllocator: can't allocate memory"),
    ("torch", "x = self.dense_1(x); bytearray(2**33)", None, "MemoryError"),
    ("torch", "x = self.dense_1(x); __import__('os').kill(__import__('os').getpid(), 9)", None,
     "was killed by SIGKILL, most likely for want of memory"),
    # keras builds 90 million real weights (360 MB, twice), beyond 700 MiB with TensorFlow itself
    ("keras", None, 700 * 2**20, "OOM when allocating tensor"),
])
def test_a_child_that_runs_out_of_the_memory_limit_is_not_verified(tmp_path, framework, allocation, limit, said):
    from layerplan.verification import Limits, NotVerified, run_framework

    report, exported = planned(tmp_path, framework, 10_000_000)
    if allocation:
        exported = tampered(exported, "x = self.dense_1(x)", allocation)
    with pytest.raises(NotVerified) as refused:
        run_framework(exported, Limits(memory=limit) if limit else Limits())
    written = "700 MiB" if limit else "4 GiB"
    message = str(refused.value)
    assert message.startswith(f"{framework} ") and f" ran out of verify's memory limit of {written} while " in message
    assert said in message and message.endswith("raise it with --memory-limit SIZE")


@pytest.mark.framework
def test_a_child_over_the_time_limit_is_not_verified(tmp_path):
    from layerplan.commands.verify import verify_exported
    from layerplan.verification import Limits, NotVerified

    report, exported = planned(tmp_path, "torch", 4)
    exported = tampered(exported, "x = self.dense_1(x)", "__import__('time').sleep(3600); x = self.dense_1(x)")
    with pytest.raises(NotVerified) as refused:
        verify_exported(report, exported, limits=Limits(timeout=20))
    assert str(refused.value).endswith("gave no answer within verify's time limit of 20 s; raise it with --timeout "
                                       "SECONDS")
