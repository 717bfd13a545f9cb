"""The differential suites' fixtures and framework-crash report live in framework_workers.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from framework_workers import (  # noqa: E402,F401
    keras_own_kernels_worker,
    keras_worker,
    isolated,
    keras_workers,
    on_crash,
    pytest_terminal_summary,
    torch_worker,
)
