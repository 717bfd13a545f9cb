"""The measurement corpus' truth is what the frameworks compute today.

Each published file of tests/model_code/corpus/manifest.json is built by its real framework in a
worker process (corpus_truth.py: torch, keras, and TensorFlow 1 in TensorFlow 2's v1 mode, each in its
own worker) and run on a batch of zeros; the output shapes and the total, trainable and non-trainable
parameters must equal the manifest's (the heaviest models, `heavy` in their recipe, are built and
counted but not run, so that the suite takes minutes on two cores). A framework crash skips the entry
and is listed at the end. An entry whose truth needs packages the test extra does not install (measure.py:
`packages`, `legacy_keras`) is skipped unless LAYERPLAN_CORPUS_PACKAGES names a folder holding them.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "model_code" / "corpus"))
from isolation import Worker  # noqa: E402
from measure import entry_id, load_manifest, locate, worker_environment  # noqa: E402

from framework_workers import _start  # noqa: E402

pytestmark = pytest.mark.framework

ENTRIES = load_manifest()


@pytest.fixture(scope="module")
def corpus_workers():
    """One worker per runner, started on first use: TensorFlow 1's graph mode is process-wide."""
    workers: dict[tuple, Worker] = {}

    def worker(runner, env):
        key = (runner, tuple(sorted(env.items())))
        if key not in workers:
            workers[key] = _start(Worker("torch" if runner == "torch" else "keras", env=env,
                                         modules=("corpus_truth",)))
        return workers[key]

    yield worker
    for started in workers.values():
        started.close()


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_the_manifest_holds_what_the_framework_computes(entry, corpus_workers, isolated):
    path, root, why = locate(entry)
    if path is None:
        pytest.skip(why)
    recipe = entry["truth_recipe"]
    env, why = worker_environment(recipe)
    if env is None:
        pytest.skip(why)
    if recipe.get("heavy"):  # built and counted, not run: its outputs are checked by measure.py --truth
        recipe = {**recipe, "run": False}
    truth = isolated(corpus_workers(recipe["framework"], env), "corpus_truth:truth", recipe["framework"], recipe,
                     str(root), str(path))
    expected = entry["truth"] if not recipe.get("heavy") else {**entry["truth"], "outputs": None}
    assert truth == expected
