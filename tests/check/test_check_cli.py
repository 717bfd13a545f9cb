"""`layerplan check` as CI sees it: exit statuses, one line per diagnostic, summary, discovery, stdin."""

from __future__ import annotations

import re

import pytest

from check_helpers import CASES, ROOT, case, run

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info) (?P<code>LP\d{3}) [a-z-]+: .+$")


@pytest.fixture(autouse=True)
def _from_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(("paths", "extra", "status"), [
    (["good/classifier.yaml"], [], 0),
    (["good/keras_autoencoder.json"], [], 0),
    (["good/warnings_only.yaml"], [], 0),
    (["good/warnings_only.yaml"], ["--strict"], 1),
    (["good"], [], 0),
    (["good"], ["--strict"], 1),
    (["bad/decoder_size.yaml"], [], 1),
    (["bad/budget.yaml"], [], 1),
    (["bad/kernel_too_large.yaml"], [], 1),
    (["bad/typo_option.yaml"], [], 1),
    (["bad/unknown_key.yaml"], [], 1),
    (["bad/layers_mapping.yaml"], [], 1),
    (["unreadable/syntax_error.yaml"], [], 2),
    (["good", "bad", "unreadable"], [], 2),
    (["other"], [], 0),  # nothing in it looks like a spec
    (["missing.yaml"], [], 2),
])
def test_exit_status(paths, extra, status):
    code, out, err = run(["check", "--isolated", *extra, *[case(p) for p in paths]])
    assert code == status, out + err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(("name", "expected"), [
    # (file, [(line, code)]) — each diagnostic on the line that causes it
    ("bad/decoder_size.yaml", [(10, "LP301"), (10, "LP301"), (15, "LP401")]),
    ("bad/budget.yaml", [(7, "LP401"), (9, "LP401"), (10, "LP401")]),
    ("bad/kernel_too_large.yaml", [(4, "LP301"), (4, "LP301"), (5, "LP203")]),
    ("bad/typo_option.yaml", [(4, "LP109"), (4, "LP107")]),
    ("bad/unknown_key.yaml", [(2, "LP105"), (3, "LP101")]),
    ("bad/layers_mapping.yaml", [(4, "LP105")]),
    ("unreadable/syntax_error.yaml", [(3, "LP002")]),
])
def test_one_line_per_diagnostic_at_its_line(name, expected):
    code, out, err = run(["check", "--isolated", case(name)])
    lines = out.splitlines()
    summary = lines.pop()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [(int(m["line"]), m["code"]) for m in matches] == expected
    assert {m["path"] for m in matches} == {case(name)}
    errors = sum(m["severity"] == "error" for m in matches)
    assert summary.startswith(f"1 file checked: {errors} error")


def test_expect_failures_point_at_the_expect_line():
    path = CASES / "bad" / "budget.yaml"
    source = path.read_text().splitlines()
    code, out, _ = run(["check", "--isolated", case("bad/budget.yaml")])
    for line in out.splitlines()[:-1]:
        number = int(LINE.match(line)["line"])
        assert re.match(r"\s*(expect|max_params|max_macs|output):", source[number - 1]), (line, source[number - 1])


def test_summary_counts_files_errors_and_warnings():
    code, out, _ = run(["check", "--isolated", case("good"), case("bad/budget.yaml")])
    assert out.splitlines()[-1] == "4 files checked: 3 errors, 2 warnings (2 files with problems)"


def test_quiet_drops_the_summary():
    code, out, _ = run(["check", "--isolated", "-q", case("good/classifier.yaml")])
    assert (code, out) == (0, "")


def test_directory_walk_finds_specs_and_skips_other_files_and_hidden_directories():
    code, out, err = run(["check", "--isolated", "--format", "json", case("")])
    import json

    files = [report["file"] for report in json.loads(out)]
    assert files == sorted(files)
    assert {f.split("/cases/")[1] for f in files} == {
        "bad/budget.yaml", "bad/decoder_size.yaml", "bad/kernel_too_large.yaml", "bad/layers_mapping.yaml",
        "bad/typo_option.yaml", "bad/unknown_key.yaml", "good/classifier.yaml", "good/keras_autoencoder.json",
        "good/warnings_only.yaml", "unreadable/syntax_error.yaml",
    }


def test_named_files_are_always_checked_but_specs_only_sniffs_them():
    code, out, _ = run(["check", "--isolated", case("other/workflow.yml")])
    assert code == 1 and "LP101" in out
    code, out, _ = run(["check", "--isolated", "--specs-only", case("other/workflow.yml"), case("other/report.json")])
    assert (code, out.splitlines()[-1]) == (0, "0 files checked: 0 errors, 0 warnings")


@pytest.mark.parametrize(("options", "expected"), [
    (["--exclude", "bad"], {"good/classifier.yaml", "good/keras_autoencoder.json", "good/warnings_only.yaml",
                            "unreadable/syntax_error.yaml"}),
    (["--exclude", "*.json", "--exclude", "unreadable/*", "--exclude", "bad/*"],
     {"good/classifier.yaml", "good/warnings_only.yaml"}),
    (["--include", "*.yml"], {"other/workflow.yml"}),  # an include glob is checked without sniffing
    (["--include", "good/*"], {"good/classifier.yaml", "good/keras_autoencoder.json", "good/warnings_only.yaml"}),
])
def test_include_and_exclude_globs(options, expected):
    import json

    code, out, _ = run(["check", "--isolated", "--format", "json", *options, case("")])
    assert {r["file"].split("/cases/")[1] for r in json.loads(out)} == expected


def test_stdin_with_stdin_filename():
    text = (CASES / "bad" / "kernel_too_large.yaml").read_text()
    code, out, _ = run(["check", "--isolated", "-", "--stdin-filename", "models/net.yaml"], stdin=text)
    assert code == 1
    assert out.splitlines()[2].startswith("models/net.yaml:5:39: error LP203 kernel-too-large: ")
    code, out, _ = run(["check", "--isolated", "-"], stdin=text)
    assert out.splitlines()[2].startswith("-:5:39: error LP203 kernel-too-large: ")


def test_stdin_filename_decides_json_parsing():
    text = (CASES / "good" / "keras_autoencoder.json").read_text()
    code, out, _ = run(["check", "--isolated", "-", "--stdin-filename", "a.json"], stdin=text)
    assert (code, out) == (0, "1 file checked: 0 errors, 0 warnings\n")


@pytest.mark.parametrize("args", [
    ["check", "--isolated", "-", "-"],
    ["check", "--isolated", "--stdin-filename", "x.yaml", case("good")],
    ["check", "--isolated", "--format", "xml", case("good")],
])
def test_bad_command_lines_exit_2(args):
    code, out, err = run(args, stdin="")
    assert code == 2 and err and "Traceback" not in err


def test_github_format_is_chosen_when_github_actions_is_set():
    code, out, _ = run(["check", "--isolated", case("bad/kernel_too_large.yaml")], env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::warning file=")
    code, out, _ = run(["check", "--isolated", "--format", "text", case("bad/kernel_too_large.yaml")],
                       env={"GITHUB_ACTIONS": "true"})
    assert out.startswith(case("bad/kernel_too_large.yaml") + ":4:")


def test_machine_formats_keep_the_summary_off_stdout():
    import json

    code, out, err = run(["check", "--isolated", "--format", "json", case("good")])
    assert len(json.loads(out)) == 3 and err.startswith("3 files checked")


def test_output_file(tmp_path):
    target = tmp_path / "out.sarif"
    code, out, err = run(["check", "--isolated", "--format", "sarif", "-o", str(target), case("bad/budget.yaml")])
    assert code == 1 and out == "" and '"version": "2.1.0"' in target.read_text()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parallel_workers_give_the_same_reports_in_order(jobs, tmp_path):
    import json
    import shutil

    for n in range(70):  # above the threshold where workers start
        source = sorted((CASES / "bad").glob("*.yaml"))[n % 6]
        shutil.copy(source, tmp_path / f"{n:03d}_{source.name}")
    serial = run(["check", "--isolated", "--format", "json", "-j", "1", str(tmp_path)])
    parallel = run(["check", "--isolated", "--format", "json", "-j", jobs, str(tmp_path)])
    assert parallel == serial
    assert len(json.loads(serial[1])) == 70
