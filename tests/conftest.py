# The tests import the installed package `layerplan` (`pip install -e '.[test]'`), never the folders
# cli/ and planner/ by their own names: tests/test_boundaries.py checks that no code does.

# Property tests draw the same examples on every run by default (profile "layerplan": a failure is
# reproducible and never flaky). CI runs the quick tests a second time with profile "random"
# (`--hypothesis-profile=random --hypothesis-seed=N`, the seed printed), so new examples are tried on
# every run; tests/robustness/fuzzing.py follows whichever profile is loaded.
try:
    from hypothesis import settings
except ImportError:  # the quick loop without the test extra
    pass
else:
    settings.register_profile("layerplan", derandomize=True, database=None)
    settings.register_profile("random", derandomize=False, database=None, print_blob=True)
    settings.load_profile("layerplan")
