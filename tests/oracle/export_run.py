"""Run layerplan's exported code in a framework worker (isolation.py) and return what the framework
said about each layer: the same child-side code `layerplan verify` runs (layerplan/verify_child.py)."""

from __future__ import annotations


def run_exported(job: dict) -> list[dict]:
    from layerplan.verify_child import run_keras, run_torch

    events: list[dict] = []
    runner = run_torch if job["framework"] == "torch" else run_keras
    runner(job, lambda **event: events.append(event))
    return events
