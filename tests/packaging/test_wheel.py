"""The built distribution: one import package, `layerplan`, that lives beside any other `cli` or `planner`.

The wheel is built from the checkout once per run; the install test puts it into a fresh virtual
environment next to a distribution that ships its own top-level `cli` and `planner` packages (common
names), and runs the command both ways. Runtime dependencies come from this test run's environment
(a path file), so the test needs no network.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "resnet18.yaml"



def test_pyproject_lists_every_package_folder():
    """The package list is written out (the folders map into `layerplan`, which find cannot do): a new
    subpackage must be added to it, or the wheel ships without it."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(("layerplan", *path.parent.relative_to(ROOT / "cli").parts))
               for path in (ROOT / "cli").rglob("__init__.py")}
    folders |= {".".join(("layerplan.planner", *path.parent.relative_to(ROOT / "planner").parts))
                for path in (ROOT / "planner").rglob("__init__.py")}
    assert listed == folders


def _build_wheel(source: Path, into: Path) -> Path:
    # --no-build-isolation: build with this environment's setuptools instead of downloading one
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(into),
                    str(source)], check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = into.glob("*.whl")
    return wheel


def _clean_checkout(into: Path) -> Path:
    """The repository's files as a fresh clone would have them (tracked and new, nothing ignored)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True, timeout=60).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            (into / name).write_bytes(source.read_bytes())
    return into


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    checkout = _clean_checkout(tmp_path_factory.mktemp("checkout"))
    into = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(into)!r})"],
                   cwd=checkout, check=True, capture_output=True, text=True, timeout=300)
    (archive,) = into.glob("layerplan-*.tar.gz")
    return archive


@pytest.fixture(scope="module")
def wheel(sdist, tmp_path_factory) -> Path:
    """The wheel built from the sdist, as pip builds it when a user installs from source."""
    import tarfile

    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (source,) = unpacked.iterdir()
    return _build_wheel(source, tmp_path_factory.mktemp("wheel"))


@pytest.mark.process
def test_the_sdist_holds_the_sources_and_the_schema(sdist):
    import tarfile

    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "cli/__init__.py", "cli/py.typed", "planner/spec.schema.json",
            "planner/kinds/base.py"} <= names


def _top_level_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name.split("/")[0] for name in archive.namelist()}


@pytest.mark.process
def test_the_wheel_holds_one_import_package(wheel):
    names = _top_level_names(wheel)
    assert {name for name in names if not name.endswith(".dist-info")} == {"layerplan"}
    with zipfile.ZipFile(wheel) as archive:
        files = set(archive.namelist())
        top_level = next(name for name in files if name.endswith(".dist-info/top_level.txt"))
        assert archive.read(top_level).decode().split() == ["layerplan"]
    assert {"layerplan/__main__.py", "layerplan/py.typed", "layerplan/planner/spec.schema.json",
            "layerplan/planner/kinds/base.py", "layerplan/render/table.py", "layerplan/commands/plan.py"} <= files


def _dummy_distribution(folder: Path) -> Path:
    """A project that ships its own top-level `cli` and `planner` packages."""
    (folder / "cli").mkdir(parents=True)
    (folder / "planner").mkdir()
    (folder / "cli" / "__init__.py").write_text("OWNER = 'somebody-else'\n")
    (folder / "planner" / "__init__.py").write_text("OWNER = 'somebody-else'\n")
    (folder / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=64"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "somebody-elses-tools"
        version = "1.0"

        [tool.setuptools]
        packages = ["cli", "planner"]
        """))
    return folder


@pytest.mark.process
def test_installs_beside_other_cli_and_planner_packages(wheel, tmp_path):
    dummy = _build_wheel(_dummy_distribution(tmp_path / "dummy"), tmp_path / "dummy-wheel")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    # click, rich and pyyaml from this environment: a plain directory on the path, so that
    # nothing of this environment's own (editable) layerplan install comes along
    dependencies = {Path(sysconfig.get_paths()["purelib"]), *map(Path, site.getsitepackages())}
    (purelib / "zz_dependencies.pth").write_text("".join(f"{path}\n" for path in sorted(dependencies)))
    for archive in (dummy, wheel):
        subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                        str(archive)], check=True, capture_output=True, text=True, timeout=300)
    installed = {path.name for path in purelib.iterdir()} - {"zz_dependencies.pth", "__pycache__"}
    assert {name for name in installed if not name.endswith((".dist-info", ".pth"))} == {"cli", "planner", "layerplan"}

    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    for command in ([str(venv / "bin" / "layerplan")], [str(python), "-m", "layerplan"]):
        run = subprocess.run([*command, "plan", "--format", "shape", str(EXAMPLE)], capture_output=True, text=True,
                             env=env, cwd=tmp_path, timeout=120)
        assert (run.returncode, run.stderr) == (0, ""), command
        assert run.stdout.strip()
        version = subprocess.run([*command, "--version"], capture_output=True, text=True, env=env, cwd=tmp_path,
                                 timeout=60)
        assert version.stdout.strip().endswith(_version())
    probe = ("import cli, planner, layerplan, layerplan.planner; "
             "print(cli.OWNER, planner.OWNER, layerplan.__file__, layerplan.planner.__file__, "
             "layerplan.plan({'input': [1, 28, 28], 'layers': ['flatten']}).output)")
    run = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    owner_cli, owner_planner, package, engine, output = run.stdout.split()
    assert (owner_cli, owner_planner, output) == ("somebody-else", "somebody-else", "(784,)")
    assert Path(package).is_relative_to(purelib / "layerplan") and Path(engine).is_relative_to(purelib / "layerplan")


def _version() -> str:
    import layerplan

    return layerplan.__version__
