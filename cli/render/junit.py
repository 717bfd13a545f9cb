"""JUnit XML: one <testsuite> per checked file, one <testcase> per layer plus one for the spec as a whole.

CI dashboards (GitLab, Jenkins, Azure, CircleCI) then list every checked file, and a broken layer shows
as a failed test named after it. Errors are <failure>s; an unreadable file is an <error>; warnings are
failures under --strict and otherwise written to the test case's <system-out>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from layerplan.planner import Diagnostic, Report, Severity

from layerplan.render.text import diagnostic_line, sorted_diagnostics

# characters XML 1.0 cannot carry at all
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case_name(report: Report, layer: int | None) -> str:
    if layer is None:
        return "spec"
    row = next((r for r in report.layers if r.index == layer), None)
    return f"layer {layer}" if row is None else f"layer {layer}: {row.name} ({row.type})"


def _testcase(parent: ET.Element, report: Report, name: str, diagnostics: list[Diagnostic], strict: bool) -> tuple[int, int]:
    case = ET.SubElement(parent, "testcase", name=_clean(name), classname=_clean(report.file))
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    failing = errors + (warnings if strict else [])
    lines = [diagnostic_line(report.file, d) for d in diagnostics]
    if report.read_error:
        first = failing[0]
        element = ET.SubElement(case, "error", message=_clean(f"{first.code} {first.message}"), type=first.code)
        element.text = _clean("\n".join(lines))
        return 0, 1
    if failing:
        first = failing[0]
        element = ET.SubElement(case, "failure", message=_clean(f"{first.code} {first.message}"), type=first.code)
        element.text = _clean("\n".join(diagnostic_line(report.file, d) for d in failing))
    others = [line for d, line in zip(diagnostics, lines) if d not in failing]
    if others:
        ET.SubElement(case, "system-out").text = _clean("\n".join(others))
    return (1 if failing else 0), 0


def render_junit(reports: list[Report], strict: bool = False) -> str:
    root = ET.Element("testsuites", name="layerplan")
    total_tests = total_failures = total_errors = 0
    for report in reports:
        suite = ET.SubElement(root, "testsuite", name=_clean(report.file))
        by_case: dict[int | None, list[Diagnostic]] = {None: []}
        known_layers = {row.index for row in report.layers}
        for row in report.layers:
            by_case[row.index] = []
        for diagnostic in sorted_diagnostics(report):
            key = diagnostic.layer if diagnostic.layer in known_layers else None
            by_case[key].append(diagnostic)
        tests = failures = errors = 0
        for layer, diagnostics in by_case.items():
            failed, errored = _testcase(suite, report, _case_name(report, layer), diagnostics, strict)
            tests, failures, errors = tests + 1, failures + failed, errors + errored
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("skipped", "0")
        total_tests, total_failures, total_errors = total_tests + tests, total_failures + failures, total_errors + errors
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
