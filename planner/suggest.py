"""Did-you-mean suggestions for misspelt names."""

from __future__ import annotations

from typing import Iterable


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A '; did you mean X?' suffix, or '' when nothing is close.

    >>> did_you_mean("strid", ["stride", "padding"])
    "; did you mean 'stride'?"
    """
    import difflib  # only when something is misspelt

    matches = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {matches[0]!r}?" if matches else ""
