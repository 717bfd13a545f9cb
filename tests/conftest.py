import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Property tests draw the same examples on every run (a CI failure is reproducible and never
# flaky); tests/robustness/fuzzing.py has its own profiles, including a randomised nightly one.
try:
    from hypothesis import settings
except ImportError:  # the quick loop without the test extra
    pass
else:
    settings.register_profile("layerplan", derandomize=True, database=None)
    settings.load_profile("layerplan")
