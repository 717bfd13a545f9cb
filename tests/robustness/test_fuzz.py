"""Fuzzing: random documents, random YAML text, mutated example specs, random layer arguments and
random command lines. Every run must end with status 0, 1 or 2, a message on stderr for 1 and 2,
and never a traceback (see fuzzing.assert_well_behaved); `plan` on a valid spec is deterministic.

Runs in-process (click's CliRunner) for speed; tests/robustness/test_terminal.py proves the same on a
real process. Examples per property: LAYERPLAN_FUZZ=ci (default) or nightly; see docs/development.md.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fuzzing import (
    as_json, as_yaml, assert_well_behaved, fuzz_settings, invoke, json_values, layer_tokens, load_examples,
    mutated, shapes_on_command_line, spec_like, yaml_texts,
)

EXAMPLES = load_examples()
documents = st.one_of(json_values(), spec_like())


def plan_formats() -> tuple[str, ...]:
    from layerplan.output import FORMATS

    return FORMATS


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


# --------------------------------------------------------------------------------- the engine alone


@fuzz_settings(weight=3)
@given(documents, st.sampled_from([None, "torch", "keras"]))
def test_engine_plans_any_document_without_raising(data, framework):
    from layerplan.planner import plan_data

    report = plan_data(data, framework, file="fuzz.yaml")
    json.dumps(report.to_dict())  # the report is always serialisable
    assert report.ok == (not report.errors)


@fuzz_settings(weight=3)
@given(st.one_of(yaml_texts, st.text(max_size=200)))
def test_engine_reads_any_text_without_raising(text):
    from layerplan.planner import plan_text

    report = plan_text(text, "fuzz.yaml")
    json.dumps(report.to_dict())
    assert report.read_error == any(d.code.startswith("LP0") for d in report.diagnostics)


# ------------------------------------------------------------------------------------ `plan` itself


@fuzz_settings()
@given(documents, st.sampled_from(["json", "yaml"]), st.sampled_from(["stdin", "file"]), st.data())
def test_plan_any_document(workdir, data, syntax, channel, draw):
    text = as_json(data) if syntax == "json" else as_yaml(data)
    output_format = draw.draw(st.sampled_from(plan_formats()))
    if channel == "stdin":
        code, out, err = invoke(["plan", "-", "--format", output_format], stdin=text)
    else:
        path = workdir / f"doc.{syntax}"
        path.write_text(text, encoding="utf-8")
        code, out, err = invoke(["plan", str(path), "--format", output_format])
    assert_well_behaved(code, out, err, context=text[:500])


@fuzz_settings()
@given(yaml_texts, st.sampled_from(["table", "json"]))
def test_plan_any_yaml_text(text, output_format):
    code, out, err = invoke(["plan", "-", "--format", output_format], stdin=text)
    assert_well_behaved(code, out, err, context=repr(text))


@fuzz_settings(weight=0.5)
@given(st.binary(max_size=300))
def test_plan_any_bytes(raw):
    code, out, err = invoke(["plan", "-", "--format", "json"], stdin=raw)
    assert_well_behaved(code, out, err, context=repr(raw))


@pytest.mark.skipif(not EXAMPLES, reason="no example specs")
@fuzz_settings()
@given(st.sampled_from(EXAMPLES), st.sampled_from(["json", "yaml"]), st.data())
def test_plan_mutated_examples(example, syntax, draw):
    name, document = example
    data = draw.draw(mutated(document))
    text = as_json(data) if syntax == "json" else as_yaml(data)
    output_format = draw.draw(st.sampled_from(plan_formats()))
    first = invoke(["plan", "-", "--stdin-filename", name, "--format", output_format], stdin=text)
    assert_well_behaved(*first, context=text[:800])
    if first[0] == 0:  # a valid spec plans the same way every time
        assert invoke(["plan", "-", "--stdin-filename", name, "--format", output_format], stdin=text) == first


def test_plan_is_deterministic_across_processes():
    """Every example, planned by two processes with different string hashing, prints the same bytes."""
    import os
    import subprocess
    import sys

    from fuzzing import EXAMPLES as PATHS, ROOT

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "COLUMNS": "120"}
        for output_format in ("json", "table"):
            run = subprocess.run([sys.executable, "-m", "layerplan", "plan", "--format", output_format,
                                  *map(str, PATHS)], cwd=ROOT, env=env, capture_output=True, timeout=120)
            assert_well_behaved(run.returncode, run.stdout.decode(), run.stderr.decode(), context=output_format)
            outputs.append((output_format, run.returncode, run.stdout, run.stderr))
    assert outputs[:2] == outputs[2:]


# -------------------------------------------------------------------------- command-line layer tokens


def _tokens_available() -> bool:
    try:
        import layerplan.planner.layer_arguments  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _tokens_available(), reason="planner/layer_arguments.py not there yet")
@fuzz_settings()
@given(shapes_on_command_line, st.lists(layer_tokens, min_size=1, max_size=6), st.sampled_from([None, "keras"]),
       st.sampled_from(["table", "json"]))
def test_plan_layer_tokens(workdir, shape, tokens, framework, output_format):
    assume(not any(t.startswith("-") for t in tokens))  # those are options: covered by the command-line fuzz
    args = ["plan", "-i", shape, "--format", output_format] + (["-f", framework] if framework else []) + tokens
    code, out, err = invoke(args)
    assert_well_behaved(code, out, err, context=repr(args))


@pytest.mark.skipif(not _tokens_available() or not EXAMPLES, reason="planner/layer_arguments.py not there yet")
@fuzz_settings(weight=0.5)
@given(st.sampled_from([str(p) for p in __import__("fuzzing").EXAMPLES]),
       st.lists(layer_tokens, min_size=1, max_size=4))
def test_plan_spec_followed_by_layer_tokens(path, tokens):
    assume(not any(t.startswith("-") for t in tokens))
    code, out, err = invoke(["plan", path, "--format", "json"] + tokens)
    assert_well_behaved(code, out, err, context=repr([path] + tokens))


# ------------------------------------------------------------------------- every command, any options


def _commands() -> dict:
    import click

    from layerplan.main import cli

    context = click.Context(cli)
    return {name: cli.get_command(context, name) for name in cli.list_commands(context)}


ARGUMENT_POOL = ["-", "--format", "json", "jsonl", "table", "text", "--strict", "--quiet", "-q", "--framework",
                 "torch", "keras", "tensorflow", "-f", "-i", "1x28x28", "--input", "0x0", "--columns", "all",
                 "+params", "-status", "nonsense", "--color", "always", "never", "--stdin-filename", "x.yaml",
                 "--help", "--version", "--", "conv2d:32,3", "flatten", "dense:10", "--jobs", "0", "-1", "99",
                 "--output", "--exclude", "**", "--include", "*.txt", "--no-strict", "--path", "--bogus", "",
                 "\u00e9", "@", "--format=sarif", "--format=junit", "--format=github", "--format=csv"]


@pytest.fixture(scope="module")
def inside_workdir(workdir):
    import os

    before = os.getcwd()
    os.chdir(workdir)  # `check` with no path walks the current directory: keep it small
    yield workdir
    os.chdir(before)


@fuzz_settings()
@given(st.data())
def test_any_command_line(inside_workdir, data):
    workdir = inside_workdir
    commands = sorted(_commands())
    command = data.draw(st.sampled_from(commands + ["", "nope"]))
    spec = str(data.draw(st.sampled_from([str(p) for p in __import__("fuzzing").EXAMPLES] or ["missing.yaml"])))
    pool = ARGUMENT_POOL + [spec, str(workdir), str(workdir / "missing.yaml")]
    args = data.draw(st.lists(st.one_of(st.sampled_from(pool), st.text(max_size=8)), max_size=7))
    args = [a for a in args if "\x00" not in a and a != "--output"]  # never write over files by chance
    argv = ([command] if command else []) + args
    stdin = data.draw(st.sampled_from(["", "input: [1, 8, 8]\nlayers: [flatten]\n", "{", "layers: 3"]))
    code, out, err = invoke(argv, stdin=stdin)
    # `check` prints its findings and summary on stdout in its human formats (as linters do): for it a
    # failure needs a message on either stream
    failing_quietly = code and not err.strip() and not out.strip()
    assert_well_behaved(code, out, err, stderr_on_failure=False, context=repr(argv))
    assert not failing_quietly, f"exit {code} with no message at all for {argv!r}"
