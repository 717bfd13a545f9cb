"""SARIF 2.1.0: one run, the catalog codes that occur as rules, one result per diagnostic.

This is what GitHub code scanning (`github/codeql-action/upload-sarif`) and other SARIF viewers read.
Paths are written as given on the command line: relative ones as percent-encoded relative URI
references (RFC 3986, with the base id `%SRCROOT%`: run the check from the repository root; `./`
before a first segment with a colon, so `a:b.yaml` cannot read as a scheme), absolute ones as file:// URIs. Every checked file is listed as an artifact,
so a clean file shows as checked too.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from layerplan.planner import CATALOG, Report, Severity

from layerplan.render.escape import json_text, relative_uri
from layerplan.render.text import sorted_diagnostics

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(file: str) -> dict:
    """A SARIF artifactLocation for a path as given on the command line."""
    if Path(file).is_absolute():
        return {"uri": Path(file).resolve().as_uri()}
    return {"uri": relative_uri(PurePosixPath(*Path(file).parts).as_posix()), "uriBaseId": "%SRCROOT%"}


def _rules(codes) -> list[dict]:
    by_code = {info.code: info for info in CATALOG.values()}
    return [
        {
            "id": code,
            "name": by_code[code].name,
            "shortDescription": {"text": by_code[code].summary},
            "defaultConfiguration": {"level": _LEVELS[by_code[code].severity]},
        }
        for code in sorted(codes)
    ]


def sarif_log(reports: list[Report], version: str) -> dict:
    """The SARIF log object for a set of checked reports (rules: the catalog codes that occur)."""
    rules = _rules({d.code for report in reports for d in report.diagnostics})
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    artifacts, results = [], []
    for index, report in enumerate(reports):
        location = artifact_location(report.file)
        artifacts.append({"location": location})
        names = {row.index: row.name for row in report.layers}
        for diagnostic in sorted_diagnostics(report):
            region = {"startLine": diagnostic.line or 1}
            if diagnostic.column is not None:
                region["startColumn"] = diagnostic.column
            result = {
                "ruleId": diagnostic.code,
                "ruleIndex": rule_index[diagnostic.code],
                "level": _LEVELS[diagnostic.severity],
                "message": {"text": diagnostic.message},
                "locations": [{"physicalLocation": {"artifactLocation": {**location, "index": index},
                                                    "region": region}}],
            }
            if diagnostic.layer is not None:
                result["properties"] = {"layer": diagnostic.layer, "layerName": names.get(diagnostic.layer),
                                        "pointer": diagnostic.pointer}
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "layerplan", "version": version, "semanticVersion": version,
                                "rules": rules}},
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def render_sarif(reports: list[Report], version: str) -> str:
    return json_text(json.dumps(sarif_log(reports, version), indent=2)) + "\n"
