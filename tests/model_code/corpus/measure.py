"""How many real model files layerplan's model-code reader plans exactly: the measurement corpus.

The corpus is manifest.json beside this file: model files published by others, unmodified, each with
its origin, the plan command a person would type for it, and the truth (what the framework computes
when the model is built and run on a batch of zeros). The files themselves are not part of this
repository: each entry is read where it is published,

- `"package"` entries from the installed distribution at the pinned version (the test extra installs
  torchvision, keras and tf-slim), at the path the distribution's record lists;
- `"repository"` entries from a folder of repository snapshots named by LAYERPLAN_CORPUS_DIR, laid
  out as `<owner>/<name>/<path>` at the commit the entry names (without it they are not measured).

A file whose SHA-256 differs from the manifest's is never measured (it is not the file the truth was
computed for).

    python tests/model_code/corpus/measure.py             # the table, per source
    python tests/model_code/corpus/measure.py --markdown  # the same, for docs/model-code.md
    python tests/model_code/corpus/measure.py --cases     # every entry's outcome and first diagnostic
    python tests/model_code/corpus/measure.py --record    # write today's outcomes into the manifest
    python tests/model_code/corpus/measure.py --truth     # recompute the truth (runs the frameworks)
    python tests/model_code/corpus/measure.py --truth --new  # only for entries that have none yet

A truth recipe may need what the test extra does not install: `"packages"` names the pure-Python
packages the file imports (einops...), looked up in the folder named by LAYERPLAN_CORPUS_PACKAGES
(`pip install --no-deps --target FOLDER NAME==VERSION`), and `"legacy_keras": true` runs the
TensorFlow 1 worker with TF_USE_LEGACY_KERAS=1 (TensorFlow's `tf.compat.v1.layers` are served by
tf_keras, which must then be in that folder).

Each planned entry is one of: `exact` (every output shape and the total, trainable and
non-trainable parameters equal the framework's), `refused` (a non-zero exit status or an error
diagnostic: layerplan says it cannot read the model), `shortened` (exit 0, but fewer parameters than
the framework counts: part of the model was not read) or `wrong` (exit 0 with other numbers).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shlex
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.json"
CORPUS_DIR_VARIABLE = "LAYERPLAN_CORPUS_DIR"
PACKAGES_VARIABLE = "LAYERPLAN_CORPUS_PACKAGES"
OUTCOMES = ("exact", "refused", "shortened", "wrong")


def load_manifest(path: Path = MANIFEST) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def entry_id(entry: dict) -> str:
    return f"{entry['source']}:{entry['origin']['path']}::{entry['select']}"


def locate(entry: dict) -> tuple[Path | None, Path | None, str]:
    """(the file, the folder its module imports from, "") or (None, None, why it is not here)."""
    origin = entry["origin"]
    if "package" in origin:
        try:
            distribution = importlib.metadata.distribution(origin["package"])
        except importlib.metadata.PackageNotFoundError:
            return None, None, f"{origin['package']} is not installed (pip install -e '.[test]')"
        if distribution.version != origin["version"]:
            return None, None, f"{origin['package']} {distribution.version} is installed, the corpus has " \
                               f"{origin['version']}"
        root = Path(distribution.locate_file(""))
    else:
        folder = os.environ.get(CORPUS_DIR_VARIABLE)
        if not folder:
            return None, None, f"{origin['repository']} is read from ${CORPUS_DIR_VARIABLE}, which is not set"
        root = Path(folder) / origin["repository"]
    path = root / origin["path"]
    if not path.is_file():
        return None, None, f"{path} is missing"
    if hashlib.sha256(path.read_bytes()).hexdigest() != origin["sha256"]:
        return None, None, f"{path} is not the file of the corpus (its SHA-256 differs)"
    return path, root, ""


def command_arguments(entry: dict, path: Path) -> list[str]:
    """The plan command's arguments, as a person types them, for the file at `path`."""
    return [f"{path}::{entry['select']}", *shlex.split(entry.get("arguments", ""))]


def command_text(entry: dict) -> str:
    """The command as the docs show it: `layerplan plan FILE.py::NAME -i SHAPE`."""
    return shlex.join(["layerplan", "plan", *command_arguments(entry, Path(Path(entry["origin"]["path"]).name))])


@dataclass
class Outcome:
    kind: str  # exact, refused, shortened, wrong
    code: str = ""  # the first error's code (refused), or what differs (wrong, shortened)
    detail: str = ""


def plan(entry: dict, path: Path) -> dict:
    """layerplan's plan of an entry: the command run in this process, its exit status and JSON report."""
    from click.testing import CliRunner

    from layerplan.main import cli

    result = CliRunner().invoke(cli, ["plan", *command_arguments(entry, path), "--format", "json"])
    report = None
    try:
        report = json.loads(result.stdout)
    except ValueError:
        pass
    return {"exit": result.exit_code, "report": report, "stderr": result.stderr}


def classify(entry: dict, planned: dict) -> Outcome:
    report = planned["report"]
    errors = [d for d in (report or {}).get("diagnostics", []) if d["severity"] == "error"]
    if planned["exit"] != 0 or errors or report is None:
        if errors:
            first = errors[0]
            return Outcome("refused", first["code"], first["message"])
        said = planned["stderr"].strip().splitlines()
        code = re.search(r"\bLP\d{3}\b", planned["stderr"])
        return Outcome("refused", code.group(0) if code else "internal-error" if "internal error" in
                       planned["stderr"] else f"exit {planned['exit']}", said[-1] if said else "")
    truth = entry["truth"]
    outputs = [list(shape) for shape in report["outputs"].values()] if report["outputs"] else [report["output"]]
    counts = (report["total_params"], report["trainable_params"], report["non_trainable_params"])
    expected = (truth["params"], truth["trainable"], truth["non_trainable"])
    differs = []
    if truth["outputs"] is not None and outputs != truth["outputs"]:
        differs.append(f"outputs {outputs} (framework: {truth['outputs']})")
    if counts != expected:
        differs.append(f"params {counts[0]}/{counts[1]}/{counts[2]} (framework: "
                       f"{expected[0]}/{expected[1]}/{expected[2]}, total/trainable/non-trainable)")
    if not differs:
        return Outcome("exact")
    kind = "shortened" if counts[0] < expected[0] else "wrong"
    return Outcome(kind, "", "; ".join(differs))


def measure(entry: dict) -> Outcome | None:
    """The outcome of planning one entry, or None when its file is not here."""
    path, _, _ = locate(entry)
    return None if path is None else classify(entry, plan(entry, path))


# ------------------------------------------------------------------------------------------ the table

def table_rows(entries: list[dict], outcomes: list[Outcome | None]) -> list[dict]:
    rows: dict[str, dict] = {}
    for entry, outcome in zip(entries, outcomes):
        row = rows.setdefault(entry["source"], {"source": entry["source"], "files": 0, "measured": 0,
                                                **{kind: 0 for kind in OUTCOMES}, "refusals": Counter()})
        row["files"] += 1
        if outcome is None:
            continue
        row["measured"] += 1
        row[outcome.kind] += 1
        if outcome.kind == "refused":
            row["refusals"][outcome.code] += 1
    return list(rows.values())


def render_table(rows: list[dict], markdown: bool) -> str:
    header = ["source", "files", "measured", "exact", "refused (most common code)", "shortened", "wrong"]
    lines = []
    total = {key: sum(row[key] for row in rows) for key in ("files", "measured", *OUTCOMES)}
    refusals = sum((row["refusals"] for row in rows), Counter())
    for row in [*rows, {**total, "source": "all", "refusals": refusals}]:
        common = ", ".join(f"{code} ×{count}" for code, count in row["refusals"].most_common(2))
        lines.append([row["source"], str(row["files"]), str(row["measured"]), str(row["exact"]),
                      f"{row['refused']}" + (f" ({common})" if common else ""), str(row["shortened"]),
                      str(row["wrong"])])
    if markdown:
        text = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        text += ["| " + " | ".join(line) + " |" for line in lines]
    else:
        widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
        text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)) for line in [header, *lines]]
    measured = total["measured"]
    share = f"{total['exact']}/{measured} = {total['exact'] / measured:.0%}" if measured else "nothing measured"
    text.append("")
    text.append(f"planned exactly: {share} of the files measured")
    return "\n".join(text)


# ------------------------------------------------------------------------------------------- truth

def compute_truth(entries: list[dict]) -> list[dict | str]:
    """The framework's numbers for each entry whose file is here (a worker process per framework;
    a crash or an error gives its text)."""
    sys.path.insert(0, str(HERE.parents[1] / "oracle"))
    from isolation import Crash, CallFailed, Worker

    workers: dict[tuple, Worker] = {}
    results: list[dict | str] = []
    try:
        for entry in entries:
            path, root, why = locate(entry)
            if path is None:
                results.append(why)
                continue
            recipe = entry["truth_recipe"]
            runner = recipe["framework"]
            env, why = worker_environment(recipe)
            if env is None:
                results.append(why)
                continue
            key = (runner, tuple(sorted(env.items())))
            if key not in workers:
                workers[key] = Worker("torch" if runner == "torch" else "keras", env=env, modules=("corpus_truth",))
            try:
                result = workers[key].call("corpus_truth:truth", runner, recipe, str(root), str(path))
            except CallFailed as exc:
                result = str(exc).strip().splitlines()[-1]
            results.append(str(result) if isinstance(result, Crash) else result)
    finally:
        for worker in workers.values():
            worker.close()
    return results


def worker_environment(recipe: dict) -> tuple[dict[str, str] | None, str]:
    """The environment a recipe's worker needs (its extra packages' folder, legacy Keras), or None and
    why it cannot be had here."""
    if not recipe.get("packages") and not recipe.get("legacy_keras"):
        return {}, ""
    folder = os.environ.get(PACKAGES_VARIABLE)
    if not folder:
        return None, f"the truth needs {', '.join(recipe.get('packages', ['tf_keras']))} from ${PACKAGES_VARIABLE}, " \
                     f"which is not set"
    paths = [str(HERE.parents[1] / "oracle"), str(HERE.parents[2]), folder]
    env = {"PYTHONPATH": os.pathsep.join(paths)}
    if recipe.get("legacy_keras"):
        env["TF_USE_LEGACY_KERAS"] = "1"
    return env, ""


def _write(entries: list[dict]) -> None:
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    data["entries"] = entries
    MANIFEST.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    entries = load_manifest()
    if "--truth" in argv:
        chosen = [entry for entry in entries if "--new" not in argv or "truth" not in entry]
        for entry, result in zip(chosen, compute_truth(chosen)):
            if isinstance(result, dict):
                entry["truth"] = result
            print(entry_id(entry), result if isinstance(result, str) else "ok", file=sys.stderr)
        _write(entries)
        return 0
    outcomes = [measure(entry) for entry in entries]
    if "--record" in argv:
        for entry, outcome in zip(entries, outcomes):
            if outcome is not None:
                entry["today"] = {"outcome": outcome.kind, **({"code": outcome.code} if outcome.code else {})}
        _write(entries)
    if "--cases" in argv:
        for entry, outcome in zip(entries, outcomes):
            said = "not here" if outcome is None else f"{outcome.kind} {outcome.code} {outcome.detail}".strip()
            print(f"{entry_id(entry)}: {said}")
        print()
    print(render_table(table_rows(entries, outcomes), "--markdown" in argv))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[2]))
    raise SystemExit(main(sys.argv[1:]))
