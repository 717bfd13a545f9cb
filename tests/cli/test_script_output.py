"""`layerplan plan` as scripts use it: formats, colour, --quiet, --columns, pipes; plus `layers` and completion."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.render.columns import COLUMNS, default_columns
from layerplan.planner.kinds import KINDS

# These tests start real layerplan processes (seconds in all): `-m "not process"` skips them.
pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
LAYERPLAN = str(Path(sys.executable).parent / "layerplan")
ANSI = re.compile(r"\x1b\[")
GOOD = ["-i", "1x28x28", "conv2d:32,3,p=same", "max_pool2d:2", "flatten", "dense:10"]
INVALID = ["-i", "1x28x28", "conv2d:32,3,s=2,p=same", "max_pool2d:2"]
WARNING = ["-i", "1x28x28", "conv2d:4,3,s=2"]
MACHINE = ["json", "jsonl", "csv", "tsv", "markdown", "shape", "params"]


def run(args, env=None, stdin=None):
    result = CliRunner().invoke(cli, args, env=env, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def shell(command: str, **kwargs):
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
                          **kwargs)


@pytest.mark.parametrize("output_format", MACHINE)
@pytest.mark.parametrize("args", [GOOD, INVALID, WARNING], ids=["good", "invalid", "warning"])
def test_machine_formats_never_contain_ansi_even_when_colour_is_forced(output_format, args):
    code, out, err = run(["plan", *args, "--format", output_format, "--color", "always"], env={"FORCE_COLOR": "1"})
    assert not ANSI.search(out) and not ANSI.search(err)
    assert code == (1 if args is INVALID else 0)


@pytest.mark.parametrize("args, status, shape, params", [
    (GOOD, 0, "10", "63050"), (INVALID, 1, "", ""), (WARNING, 0, "4x13x13", "40"),
])
def test_one_value_formats(args, status, shape, params):
    code, out, err = run(["plan", *args, "--format", "shape"])
    assert (code, out.strip()) == (status, shape)
    assert (err != "") == (args is not GOOD)  # problems on stderr, never mixed into the value
    code, out, _ = run(["plan", *args, "--format", "params"])
    assert (code, out.strip()) == (status, params)


def test_several_specs_label_each_value(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text('{"input": [1, 8, 8], "layers": ["flatten"]}')
    b.write_text('{"input": [2, 4, 4], "layers": ["flatten"]}')
    code, out, _ = run(["plan", str(a), str(b), "--format", "shape"])
    assert (code, out) == (0, f"{a}: 64\n{b}: 32\n")


FAILED_EXPECT = "input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3}\nexpect:\n  output: [8, 28, 28]\n"
EXPECT_PROBLEM = "error LP401 expect-failed: expected the output 8x28x28, planned 8x26x26\n"


@pytest.mark.parametrize("output_format, value", [("shape", "8x26x26"), ("params", "80")])
def test_one_value_formats_print_a_value_computed_before_a_failed_expect(tmp_path, output_format, value):
    spec = tmp_path / "net.yaml"
    spec.write_text(FAILED_EXPECT)
    assert run(["plan", str(spec), "--format", output_format]) == (1, value + "\n", f"{spec}:5:3: {EXPECT_PROBLEM}")


@pytest.mark.parametrize("output_format, value", [("shape", "8x26x26"), ("params", "80")])
def test_several_specs_give_every_file_a_line(tmp_path, output_format, value):
    failing, broken, good = tmp_path / "failing.yaml", tmp_path / "broken.yaml", tmp_path / "good.json"
    failing.write_text(FAILED_EXPECT)
    broken.write_text("input: [1, 4, 4]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 5}\n")
    good.write_text('{"input": [1, 8, 8], "layers": ["flatten"]}')
    code, out, err = run(["plan", str(failing), str(broken), str(good), "--format", output_format])
    good_value = "64" if output_format == "shape" else "0"
    assert (code, out) == (1, f"{failing}: {value}\n{broken}:\n{good}: {good_value}\n")
    assert f"{failing}:5:3: {EXPECT_PROBLEM}" in err and "LP203" in err


def test_csv_and_tsv_are_one_row_per_layer_with_plain_values():
    _, out, _ = run(["plan", *GOOD, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [c.key for c in default_columns()]
    assert [(r["name"], r["output"], r["params"]) for r in rows] == [
        ("conv2d_1", "32x28x28", "320"), ("max_pool2d_1", "32x14x14", "0"), ("flatten_1", "6272", "0"),
        ("dense_1", "10", "62730")]
    _, tsv, _ = run(["plan", *GOOD, "--format", "tsv"])
    assert [line.split("\t") for line in tsv.splitlines()] == list(csv.reader(io.StringIO(out)))


def test_csv_of_an_invalid_plan_leaves_unknown_values_empty():
    code, out, err = run(["plan", *INVALID, "--format", "csv", "-c", "name,output,params,status"])
    assert code == 1 and out.splitlines()[1:] == ["conv2d_1,,,error", "max_pool2d_1,,0,"]
    assert "LP204" in err


def test_markdown_is_a_table_with_totals_and_problems():
    code, out, _ = run(["plan", *INVALID, "--format", "markdown"])
    lines = out.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len({line.count(" | ") for line in table if not line.startswith("|--")}) == 1
    assert table[-1].startswith("|") and "**total**" in table[-1]
    assert any(line.startswith("- ✗ **error** `LP204 same-with-stride`") for line in lines)


def test_markdown_escapes_pipes(tmp_path):
    spec = tmp_path / "s.json"
    spec.write_text('{"input": [4], "layers": [{"dense": {"units": 2, "name": "a|b"}}]}')
    _, out, _ = run(["plan", str(spec), "--format", "markdown", "-c", "name,output"])
    assert "| a\\|b | 2 |" in out


@pytest.mark.parametrize("args, words", [
    (["--color", "always"], True), (["--color", "never"], False), ([], False),
])
def test_table_colour_option(args, words):
    code, out, _ = run(["plan", *INVALID, *args])
    assert bool(ANSI.search(out)) is words and "conv2d_1" in out


@pytest.mark.parametrize("env, colour", [
    ({"FORCE_COLOR": "1"}, True), ({"NO_COLOR": "1"}, False), ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ({"NO_COLOR": ""}, False),
])
def test_table_colour_environment(env, colour):
    _, out, _ = run(["plan", *INVALID], env=env)
    assert bool(ANSI.search(out)) is colour


def test_option_wins_over_no_color():
    _, out, _ = run(["plan", *INVALID, "--color", "always"], env={"NO_COLOR": "1"})
    assert ANSI.search(out)


def test_table_on_a_pipe_keeps_its_natural_width():
    result = shell("layerplan plan -i 1x28x28 conv_transpose2d:3,3 depthwise_conv2d:3 global_avg_pool2d "
                   "--columns all | cat")
    lines = [line for line in result.stdout.splitlines() if line.startswith(("│", "┃"))]
    assert lines and len({len(line) for line in lines}) == 1 and len(lines[0]) > 80
    assert "…" not in result.stdout and not ANSI.search(result.stdout)


@pytest.mark.parametrize("output_format", ["table", "json", "csv", "shape"])
@pytest.mark.parametrize("args, status", [(GOOD, 0), (INVALID, 1), (WARNING, 0)])
def test_quiet_prints_only_problems(output_format, args, status):
    code, out, err = run(["plan", *args, "--format", output_format, "--quiet"])
    assert (code, out) == (status, "")
    assert [line.split(" ")[2] for line in err.splitlines()] == {
        id(GOOD): [], id(INVALID): ["LP204"], id(WARNING): ["LP301", "LP301"]}[id(args)]


@pytest.mark.parametrize("choice, keys", [
    ("name,output,params", ["name", "output", "params"]),
    ("params,name", ["params", "name"]),
    ("+trainable,-status", [c.key for c in default_columns() if c.key != "status"] + ["trainable"]),
    ("all", list(COLUMNS)),
])
def test_columns(choice, keys):
    code, out, _ = run(["plan", *GOOD, "--format", "csv", "--columns", choice])
    assert code == 0 and out.splitlines()[0].split(",") == keys


def test_columns_pick_the_table_headers():
    _, out, _ = run(["plan", *GOOD, "--columns", "name,params"])
    header = next(line for line in out.splitlines() if "name" in line)
    assert "params" in header and "output" not in header and "type" not in header


def test_unknown_column_is_a_usage_error():
    code, _, err = run(["plan", *GOOD, "--columns", "name,outptu"])
    assert code == 2 and "did you mean 'output'" in err


@pytest.mark.parametrize("args, words", [
    (["plan"], "give a spec file"),
    (["plan", "conv2d:3,3"], "need an input shape"),
    (["plan", "-i", "1x0x28", "flatten"], "not a shape"),
    (["plan", "-i", "1x28x28", "flatten", "--format", "yaml"], "'yaml' is not one of"),
])
def test_command_line_errors_exit_2_on_stderr(args, words):
    code, out, err = run(args)
    assert (code, out) == (2, "") and words in err


def test_unknown_layer_argument_exits_1_with_a_suggestion():
    code, out, err = run(["plan", "-i", "1x28x28", "convv2d:8,3", "--format", "shape"])
    assert (code, out) == (1, "") and "did you mean 'conv2d'" in err and "`convv2d:8,3`" in err


def test_spec_plus_layer_arguments_appends(tmp_path):
    spec = tmp_path / "net.yaml"
    spec.write_text("input: [1, 28, 28]\nlayers:\n  - conv2d: {filters: 8, kernel_size: 3, padding: 1}\n")
    code, out, _ = run(["plan", str(spec), "max_pool2d:2", "flatten", "--format", "json"])
    report = json.loads(out)
    assert code == 0 and report["output"] == [8 * 14 * 14] and len(report["layers"]) == 3
    assert report["file"] == str(spec)
    code, out, _ = run(["plan", str(spec), "-i", "3x10x10", "--format", "shape"])
    assert (code, out) == (0, "8x10x10\n")


def test_stdin_spec_plus_layer_arguments():
    code, out, _ = run(["plan", "-", "flatten", "--format", "shape"], stdin='{"input": [2, 3, 3], "layers": []}')
    assert (code, out) == (0, "18\n")


def test_keras_framework_flag():
    code, out, _ = run(["plan", "-i", "28x28x1", "--framework", "keras", "conv2d:32,3,p=same", "BatchNormalization",
                        "--format", "json"])
    report = json.loads(out)
    assert report["framework"] == "keras" and report["output"] == [28, 28, 32]
    assert report["non_trainable_params"] == 64


def big_spec(tmp_path, layers=3000):
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps({"input": [4, 8, 8], "layers": ["relu"] * layers}))
    return spec


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv", "tsv", "markdown"])
def test_head_ends_quietly(tmp_path, output_format):
    spec = big_spec(tmp_path)
    result = shell(f"layerplan plan {spec} --format {output_format} | head -1; echo \"status ${{PIPESTATUS[0]}}\"")
    assert result.stderr == "" and result.stdout.splitlines()[-1] == "status 0"


def test_head_keeps_the_plan_status(tmp_path):
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"input": [4, 8, 8], "layers": ["relu"] * 3000 + [{"conv2d": {"filters": 1,
                                                                                             "kernel_size": 9}}]}))
    result = shell(f"layerplan plan {spec} --format csv | head -1; echo \"status ${{PIPESTATUS[0]}}\"")
    assert result.stderr.count("LP203") == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1] == "status 1"


@pytest.mark.parametrize("command", ["plan {spec}", "plan {spec} --format json", "layers", "layers conv2d"])
def test_closed_stdout_ends_quietly(tmp_path, command):
    spec = big_spec(tmp_path, 50)
    result = shell(f"layerplan {command.format(spec=spec)} >&-; echo \"status $?\"")
    assert result.stderr == "" and result.stdout == "status 0\n"


def test_version():
    result = shell("layerplan --version")
    assert result.returncode == 0 and re.fullmatch(r"layerplan, version \d+\.\d+\.\d+\S*\n", result.stdout)


# --------------------------------------------------------------------------- layers


def test_layers_lists_every_type_from_the_table():
    code, out, _ = run(["layers", "--format", "names"])
    assert code == 0 and out.split() == list(KINDS)
    _, text, _ = run(["layers"])
    listed = [line.split()[0] for line in text.splitlines() if line and not line.startswith(" ")]
    assert listed == list(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_layers_json_matches_the_table(name):
    code, out, _ = run(["layers", name, "--format", "json"])
    doc = json.loads(out)
    kind = KINDS[name]
    assert code == 0 and doc["type"] == name
    assert [o["name"] for o in doc["options"]] == [o.name for o in kind.options]
    # a framework keyword read by its value (torch.split's split_size_or_sections) is listed with each option it sets
    keywords = {o.name: [k for k, meaning in kind.keywords.items() if o.name in (meaning(1), meaning([1]))]
                for o in kind.options}
    assert [a for o in doc["options"] for a in o["aliases"]] == [a for o in kind.options
                                                                 for a in (*o.aliases, *keywords[o.name])]
    assert doc["formulas"] == kind.formulas and doc["positional"] == list(kind.positional)


@pytest.mark.parametrize("alias, name", [("Conv2D", "conv2d"), ("MaxPooling2D", "max_pool2d"), ("Linear", "dense"),
                                         ("upsample", "upsample2d"), ("ConvTranspose2d", "conv_transpose2d")])
def test_layers_accepts_aliases(alias, name):
    code, out, _ = run(["layers", alias])
    assert code == 0 and out.startswith(f"{name} — ")


def test_layers_shows_the_formula_per_framework():
    _, out, _ = run(["layers", "conv2d"])
    for framework, formula in KINDS["conv2d"].formulas.items():
        assert f"{framework:<6} {formula}" in out
    for option in KINDS["conv2d"].options:
        assert option.name in out


def test_layers_aliases_resolve_to_their_type():
    from layerplan.planner.kinds import resolve_type

    _, out, _ = run(["layers", "--format", "json"])
    for doc in json.loads(out):
        for alias in doc["aliases"]:
            assert resolve_type(alias, KINDS[doc["type"]].input_rank or 3).family == doc["family"], alias


def test_layers_unknown_type():
    code, _, err = run(["layers", "convv2d"])
    assert code == 2 and "did you mean 'conv2d'" in err


# --------------------------------------------------------------------------- completion


def complete_in_bash(*words: str) -> list[str]:
    script = (
        'eval "$(layerplan completion bash)"\n'
        'complete -p layerplan >/dev/null || exit 3\n'
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_layerplan_completion layerplan\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = shell(script)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("words, expected", [
    (("layerplan", "pl"), ["plan"]),
    (("layerplan", "la"), ["layers"]),
    (("layerplan", "plan", "--format", "m"), ["markdown", "mermaid"]),
    (("layerplan", "plan", "--color", ""), ["auto", "always", "never"]),
    (("layerplan", "plan", "-i", "1x28x28", "max_p"), ["max_pool1d", "max_pool2d", "max_pool3d"]),
    (("layerplan", "layers", "conv_t"), ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]),
    (("layerplan", "plan", "--columns", "name,o"), ["name,output"]),
    (("layerplan", "completion", ""), ["bash", "zsh", "fish"]),
])
def test_bash_completion(words, expected):
    assert complete_in_bash(*words) == expected


def test_completion_offers_spec_files_next_to_layer_types(tmp_path, monkeypatch):
    from layerplan.completion_candidates import complete_layer_argument, complete_spec_files

    for name in ("net.yaml", "relu.json", "notes.txt"):
        (tmp_path / name).write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert complete_spec_files("") == ["net.yaml", "relu.json"]
    assert complete_spec_files("re") == ["relu.json"]
    assert complete_layer_argument("conv2d:32,3,s") == ["conv2d:32,3,stride=", "conv2d:32,3,spectral_norm=",
                                                             "conv2d:32,3,s="]
    assert complete_layer_argument("dense:") == ["dense:units=", "dense:bias=", "dense:activation=", "dense:weight_norm=",
                                                 "dense:spectral_norm="]


# --------------------------------------------------------------------------- lean imports


@pytest.mark.parametrize("args, absent", [
    (["plan", "{json}", "--format", "json"], {"yaml", "rich"}),
    (["plan", "{json}", "--format", "jsonl"], {"yaml", "rich"}),
    (["plan", "{json}", "--format", "csv"], {"yaml", "rich"}),
    (["plan", "{json}", "--format", "tsv"], {"yaml", "rich"}),
    (["plan", "{json}", "--format", "markdown"], {"yaml", "rich"}),
    (["plan", "{json}", "--format", "params"], {"yaml", "rich"}),
    (["plan", "-i", "1x28x28", "conv2d:8,3", "--format", "shape"], {"yaml", "rich"}),
    (["plan", "{json}"], {"yaml"}),
    (["--version"], {"yaml", "rich", "layerplan.planner"}),
    (["layers"], {"yaml", "rich"}),
])
def test_what_a_run_imports(tmp_path, args, absent):
    spec = tmp_path / "s.json"
    spec.write_text('{"input": [1, 8, 8], "layers": ["flatten"]}')
    code = ("import sys, atexit\n"
            "atexit.register(lambda: sys.stderr.write('MODULES ' + ' '.join(sys.modules) + '\\n'))\n"
            f"sys.argv = ['layerplan'] + {[a.format(json=spec) for a in args]!r}\n"
            "from layerplan.main import main\nmain()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    loaded = result.stderr.split("MODULES ")[-1].split()
    # a package counts as loaded when it or any module inside it is
    found = {name for name in absent for module in loaded if module == name or module.startswith(name + ".")}
    assert result.returncode == 0 and not found, found
