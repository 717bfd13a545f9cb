"""The measurement corpus (tests/model_code/corpus): published model files, planned the way a person
types the command, must never be planned wrong.

Each file is `exact`, `refused` or, worst, `wrong` / `shortened` (exit 0 with numbers the framework
does not compute). A wrong or shortened plan fails here, except the ones known today (the manifest's
`known_wrong`, expected to fail: strictly, so that the fix shows). A file planned exactly stays exact.
Refusals are allowed, recorded in the manifest and counted by measure.py.
"""

import os
import shlex
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
from measure import (  # noqa: E402
    OUTCOMES,
    Outcome,
    classify,
    command_text,
    entry_id,
    load_manifest,
    locate,
    plan,
    render_table,
    table_rows,
    worker_environment,
)

ENTRIES = load_manifest()


def _case(entry):
    marks = []
    if "known_wrong" in entry:
        marks.append(pytest.mark.xfail(strict=True, reason=f"known wrong today: {entry['known_wrong']}"))
    return pytest.param(entry, id=entry_id(entry), marks=marks)


@pytest.mark.parametrize("entry", [_case(entry) for entry in ENTRIES])
def test_a_published_model_file_is_never_planned_wrong(entry):
    path, _, why = locate(entry)
    if path is None:
        pytest.skip(why)
    outcome = classify(entry, plan(entry, path))
    assert outcome.kind not in ("wrong", "shortened"), f"{command_text(entry)}: {outcome.kind}: {outcome.detail}"
    if entry["today"]["outcome"] == "exact":
        assert outcome.kind == "exact", f"{command_text(entry)} was planned exactly, now {outcome}"


def test_the_corpus_has_sixty_files_or_more_from_several_frameworks():
    files = {(entry["source"], entry["origin"]["path"]) for entry in ENTRIES}
    runners = Counter(entry["truth_recipe"]["framework"] for entry in ENTRIES)
    assert len(files) >= 60
    assert set(runners) == {"torch", "keras", "tf1"}


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_every_entry_says_where_it_is_published_and_what_its_framework_computes(entry):
    origin = entry["origin"]
    assert ("package" in origin) != ("repository" in origin)
    assert len(origin["sha256"]) == 64 and origin["licence"]
    assert ("version" in origin) if "package" in origin else len(origin["commit"]) == 40
    truth = entry["truth"]
    assert truth["params"] == truth["trainable"] + truth["non_trainable"]
    assert truth["outputs"] is None or all(isinstance(size, int) for shape in truth["outputs"] for size in shape)
    assert entry["today"]["outcome"] in OUTCOMES
    assert ("known_wrong" in entry) == (entry["today"]["outcome"] in ("wrong", "shortened"))
    selector = f"{Path(origin['path']).name}::{entry['select']}"  # NAME(ARGS) is quoted for the shell
    assert command_text(entry).startswith(shlex.join(["layerplan", "plan", selector]))


TRUTH = {"outputs": [[10]], "params": 100, "trainable": 90, "non_trainable": 10}


def _planned(exit_status=0, output=(10,), counts=(100, 90, 10), errors=()):
    report = {"outputs": {"fc": list(output)}, "output": list(output), "total_params": counts[0],
              "trainable_params": counts[1], "non_trainable_params": counts[2],
              "diagnostics": [{"severity": "error", "code": code, "message": "m"} for code in errors]}
    return {"exit": exit_status, "report": report, "stderr": ""}


@pytest.mark.parametrize(("planned", "kind", "code"), [
    (_planned(), "exact", ""),
    (_planned(exit_status=2, errors=["LP007"]), "refused", "LP007"),
    (_planned(exit_status=1, errors=["LP221"]), "refused", "LP221"),
    ({"exit": 2, "report": None, "stderr": "layerplan: internal error: KeyError. report it\n"}, "refused",
     "internal-error"),
    (_planned(output=(5,)), "wrong", ""),
    (_planned(counts=(100, 100, 0)), "wrong", ""),
    (_planned(counts=(60, 50, 10)), "shortened", ""),
])
def test_a_plan_is_classified_against_the_truth(planned, kind, code):
    outcome = classify({"truth": TRUTH}, planned)
    assert (outcome.kind, outcome.code) == (kind, code)


def test_the_table_counts_each_source_and_the_whole():
    entries = [{"source": "a"}, {"source": "a"}, {"source": "b"}, {"source": "b"}]
    outcomes = [Outcome("exact"), Outcome("refused", "LP007"), Outcome("refused", "LP007"), None]
    text = render_table(table_rows(entries, outcomes), markdown=True)
    assert "| a | 2 | 2 | 1 | 1 (LP007 ×1) | 0 | 0 |" in text
    assert "| b | 2 | 1 | 0 | 1 (LP007 ×1) | 0 | 0 |" in text
    assert "| all | 4 | 3 | 1 | 2 (LP007 ×2) | 0 | 0 |" in text
    assert text.endswith("planned exactly: 1/3 = 33% of the files measured")


@pytest.mark.parametrize(("recipe", "folder", "expected"), [
    ({"framework": "torch"}, None, {}),
    ({"framework": "torch", "packages": ["einops==0.8.2"]}, None, None),
    ({"framework": "torch", "packages": ["einops==0.8.2"]}, "/extra", {"PYTHONPATH": "/extra"}),
    ({"framework": "tf1", "legacy_keras": True}, "/extra", {"PYTHONPATH": "/extra", "TF_USE_LEGACY_KERAS": "1"}),
])
def test_a_truth_that_needs_more_packages_gets_their_folder_or_says_why_not(recipe, folder, expected, monkeypatch):
    if folder is None:
        monkeypatch.delenv("LAYERPLAN_CORPUS_PACKAGES", raising=False)
    else:
        monkeypatch.setenv("LAYERPLAN_CORPUS_PACKAGES", folder)
    env, why = worker_environment(recipe)
    if expected is None:
        assert env is None and "LAYERPLAN_CORPUS_PACKAGES" in why
        return
    if "PYTHONPATH" in expected:  # the worker's own folders come first
        assert env.pop("PYTHONPATH").split(os.pathsep)[-1] == expected.pop("PYTHONPATH")
    assert env == expected and why == ""
