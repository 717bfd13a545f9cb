"""Reading specs named on the command line: files, '-' for standard input."""

from __future__ import annotations

import os
import sys

from planner import Diagnostic, Report, SpecReadError, plan_text, unreadable_report
from planner.spec_text import MAX_SPEC_BYTES, decode


def read_bytes(path: str) -> bytes:
    """The bytes of a spec file or of standard input ('-'), within the size limit."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        if stream is None:  # started with `<&-`
            raise SpecReadError(Diagnostic.make("unreadable-file", "standard input is closed"))
        try:
            data = stream.read(MAX_SPEC_BYTES + 1)
        except OSError as exc:
            raise SpecReadError(Diagnostic.make("unreadable-file", f"cannot read standard input: {exc.strerror}")) \
                from None
        if isinstance(data, str):  # a text stream without a binary buffer (embedding, tests)
            data = data.encode("utf-8", "surrogateescape")
    else:
        if os.path.isdir(path):
            raise SpecReadError(Diagnostic.make("unreadable-file", f"{path} is a directory, not a spec file"))
        try:
            if os.path.getsize(path) > MAX_SPEC_BYTES:
                raise SpecReadError(Diagnostic.make(
                    "too-large", f"{os.path.getsize(path):,} bytes is over the {MAX_SPEC_BYTES:,}-byte limit "
                    "for a spec file"))
            with open(path, "rb") as handle:
                data = handle.read(MAX_SPEC_BYTES + 1)
        except FileNotFoundError:
            raise SpecReadError(Diagnostic.make("unreadable-file", f"no such file: {path}")) from None
        except PermissionError:
            raise SpecReadError(Diagnostic.make("unreadable-file", f"permission denied: {path}")) from None
        except OSError as exc:
            raise SpecReadError(Diagnostic.make("unreadable-file", f"cannot read {path}: {exc.strerror}")) from None
    return data


def plan_path(path: str, display_name: str | None = None, framework: str | None = None) -> Report:
    """Plan the spec at `path` ('-' for standard input); unreadable input gives a read-error report."""
    name = display_name or path
    try:
        text = decode(read_bytes(path), name)
    except SpecReadError as exc:
        return unreadable_report(name, exc.diagnostic, framework)
    return plan_text(text, name, framework)
