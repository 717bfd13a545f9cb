"""Reading specs named on the command line: files, '-' for standard input, and model code
(`model.py` or `model.py::NAME`, read statically by planner/model_code)."""

from __future__ import annotations

import os
import sys

from layerplan.planner import Diagnostic, Report, SpecReadError, plan_document, unreadable_report
from layerplan.planner.spec_text import MAX_SPEC_BYTES, Document, decode, load_text


def unreadable(path: str, exc: OSError) -> SpecReadError:
    """The read error for a spec file the system would not open or read."""
    if isinstance(exc, FileNotFoundError):
        message = f"no such file: {path}"
    elif isinstance(exc, PermissionError):
        message = f"permission denied: {path}"
    else:
        message = f"cannot read {path}: {exc.strerror}"
    return SpecReadError(Diagnostic.make("unreadable-file", message))


def too_large(size: int) -> SpecReadError:
    """The read error for a spec file over the size limit."""
    return SpecReadError(Diagnostic.make(
        "too-large", f"{size:,} bytes is over the {MAX_SPEC_BYTES:,}-byte limit for a spec file"))


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
            size = os.path.getsize(path)
            if size > MAX_SPEC_BYTES:
                raise too_large(size)
            with open(path, "rb") as handle:
                data = handle.read(MAX_SPEC_BYTES + 1)
        except OSError as exc:
            raise unreadable(path, exc) from None
    return data


def report_name(path: str, display_name: str | None = None) -> str:
    """The file a report names: the path as given, without a model file's `::NAME`."""
    from layerplan.planner.model_code import split_model_path

    return display_name or split_model_path(path)[0]


def load_document(path: str, display_name: str | None = None, framework: str | None = None,
                  settings: dict | None = None, input_shape: list[int] | None = None) -> Document:
    """The document of a spec file, standard input ('-') or model code (`model.py[::NAME]`: read without
    running it; `settings`: the values of `--set NAME=VALUE`; its sizes computed for `input_shape` when
    given: `-i`); raises SpecReadError when it cannot be read. Every command reads its specs here."""
    from layerplan.planner.model_code import is_model_path, split_model_path

    name = report_name(path, display_name)
    if path != "-" and is_model_path(path):
        from layerplan.planner.model_code.reader import read_model

        file, model = split_model_path(path)
        shape = tuple(input_shape) if input_shape is not None else None
        return read_model(decode(read_bytes(file), name), name, model, framework, input_shape=shape,
                          settings=settings, path=file)
    return load_text(decode(read_bytes(path), name), name)


def document_or_exit(path: str, framework: str | None = None, settings: dict | None = None,
                     input_shape: list[int] | None = None) -> Document:
    """The document of the one spec a command works on (solve, diff, port, export, import): when it
    cannot be read, or is not a mapping, one diagnostic line on standard error and exit status 2."""
    from layerplan.output import EXIT_UNREADABLE, say
    from layerplan.render.common import diagnostic_line

    try:
        document = load_document(path, framework=framework, settings=settings, input_shape=input_shape)
    except SpecReadError as exc:
        say(f"layerplan: {diagnostic_line(exc.diagnostic, report_name(path))}")
        sys.exit(EXIT_UNREADABLE)
    if not isinstance(document.data, dict):
        say(f"layerplan: {report_name(path)}: a spec is a mapping with input and layers")
        sys.exit(EXIT_UNREADABLE)
    return document


def plan_path(path: str, display_name: str | None = None, framework: str | None = None,
              settings: dict | None = None) -> Report:
    """Plan the spec at `path` ('-' for standard input); unreadable input gives a read-error report."""
    try:
        document = load_document(path, display_name, framework, settings)
    except SpecReadError as exc:
        return unreadable_report(report_name(path, display_name), exc.diagnostic, framework)
    return plan_document(document, framework)
