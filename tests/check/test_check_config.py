"""[tool.layerplan] in pyproject.toml: defaults for check, command-line options win, bad settings exit 2."""

from __future__ import annotations

import json
import shutil

import pytest

from check_helpers import CASES, run
from layerplan.config import find_pyproject, load_config


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A repository with specs in specs/ (one with warnings only, one keras spec without framework)."""
    (tmp_path / ".git").mkdir()
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(CASES / "good" / "warnings_only.yaml", specs / "warn.yaml")
    (specs / "channels_last.yaml").write_text("input: [8, 8, 3]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 3}\n"
                                              "expect: {output: [6, 6, 4]}\n")
    monkeypatch.chdir(tmp_path)

    def configure(text: str):
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.layerplan]\n" + text)

    return configure


def test_no_config_checks_the_current_directory(project):
    code, out, _ = run(["check"])
    assert code == 1  # channels_last.yaml is planned channels first (torch) without framework
    assert out.splitlines()[-1].startswith("2 files checked")


def test_defaults_from_pyproject(project):
    project('framework = "keras"\nstrict = true\nformat = "github"\npaths = ["specs"]\nexclude = ["warn.yaml"]\n')
    code, out, _ = run(["check"])
    assert out.splitlines()[-1] == "1 file checked: 0 errors, 0 warnings"
    assert code == 0  # the project's framework applies to specs that do not name one


def test_command_line_wins(project):
    project('framework = "keras"\nstrict = true\nformat = "json"\npaths = ["specs"]\n')
    code, out, _ = run(["check"])
    assert code == 1 and json.loads(out)  # strict: the warnings fail; json from the config
    code, out, _ = run(["check", "--no-strict", "--format", "text", "--framework", "torch", "specs/warn.yaml"])
    assert (code, out.count(": warning LP301 dropped-input:")) == (0, 2)
    code, out, _ = run(["check", "--isolated", "specs"])  # no config at all
    assert code == 1 and "LP401" in out


def test_config_found_from_a_subdirectory(project, monkeypatch):
    project('paths = ["specs"]\nstrict = true\n')
    monkeypatch.chdir("specs")
    assert find_pyproject().name == "pyproject.toml"
    assert load_config().resolve_paths("paths") == ["."]
    code, out, _ = run(["check", "warn.yaml"])
    assert code == 1


@pytest.mark.parametrize(("text", "message"), [
    ('strict = "yes"\n', "strict must be true or false"),
    ('framwork = "torch"\n', "did you mean 'framework'"),
    ('format = "xml"\n', "format must be one of"),
    ('paths = "specs"\n', "paths must be a list of strings"),
    ("strict = \n", "invalid TOML"),
])
def test_bad_settings_exit_2(project, text, message):
    project(text)
    code, out, err = run(["check", "specs"])
    assert code == 2 and message in err and "Traceback" not in err


def test_explicit_config_file(project, tmp_path):
    other = tmp_path / "ci.toml"
    other.write_text('[tool.layerplan]\nstrict = true\n')
    code, _, _ = run(["check", "--config", str(other), "specs/warn.yaml"])
    assert code == 1
    code, _, _ = run(["check", "specs/warn.yaml"])
    assert code == 0
