"""`layerplan check`: validate spec files like a linter, for CI and pre-commit.

Paths may be files, directories (walked for spec files) and `-` (standard input, named with
--stdin-filename). Defaults come from [tool.layerplan] in the nearest pyproject.toml (cli/config.py);
command-line options win.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass
from pathlib import PurePosixPath

import click

from layerplan.output import EXIT_UNREADABLE, exit_status, reader_may_leave, say, summary_lines, write_output_file
from layerplan.walk import Unreadable, read_walked_file, walk_files

CHECK_FORMATS = ("text", "github", "sarif", "junit", "json", "jsonl")
#: files a directory walk considers (each must also look like a spec, unless --include is given)
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
#: directories a walk never enters (plus every hidden directory and virtual environment), .gitignore or not
SKIPPED_DIRECTORIES = {"node_modules", "__pycache__", "site-packages", "venv", "build", "dist"}

_SCHEMA_COMMENT = re.compile(r"\$schema=\S*(?:spec\.schema\.json|layerplan)")
_TOP_LEVEL_ANCHOR = re.compile(r"^[\"']?(?:layers|input(?:_shape)?)[\"']?[ \t]*:", re.M)
#: a walked file with one of these top-level keys may be a spec
_ANCHORS = ("layers", "input", "inputs", "input_shape")


def looks_like_spec(data, text: str) -> bool:
    """Does a file found by walking a directory look like a spec?

    Yes when it names layerplan's schema in its first lines, or when it is a mapping with a `layers`
    or `input` key whose keys are mostly spec keys (so a typo in one key still gets the file checked,
    while layerplan's own JSON reports, workflows and other configuration are left alone).
    """
    from layerplan.planner.spec import TOP_LEVEL_KEYS

    if _SCHEMA_COMMENT.search(text, 0, 2000):
        return True
    if not isinstance(data, dict) or not any(key in data for key in _ANCHORS):
        return False
    keys = [str(key) for key in data]
    known = sum(key in TOP_LEVEL_KEYS or key.startswith("x-") for key in keys)
    return 2 * known >= len(keys)


@dataclass(frozen=True)
class Target:
    path: str  # as opened ('-' for standard input)
    name: str  # as reported
    sniff: bool  # skip it quietly when it does not look like a spec
    walked: bool = False  # found by walking a directory: read only while it is a regular file
    problems: tuple = ()  # what the walk could not read here (Diagnostics): reported, never planned


def _matches(path: str, patterns) -> bool:
    posix = path.replace(os.sep, "/")
    if posix.startswith("./"):
        posix = posix[2:]
    pure = PurePosixPath(posix)
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        for variant in {pattern, pattern.replace("**/", "")}:
            if fnmatch.fnmatch(posix, variant) or pure.match(variant) or fnmatch.fnmatch(posix, variant + "/*"):
                return True
    return False


def discover(paths, *, include=(), exclude=(), specs_only=False, stdin_filename=None,
             respect_gitignore=True) -> list[Target]:
    """The files to check, in command-line order, each directory walked in sorted order (cli/walk.py).

    Directories yield *.yaml, *.yml and *.json files that look like specs, or with `include` every
    file matching one of its globs; only regular files, never what .gitignore rules leave out (unless
    `respect_gitignore` is false), hidden directories or SKIPPED_DIRECTORIES. `exclude` globs skip files
    and whole directories while walking (and named files too with `specs_only`, which also sniffs named
    files: the pre-commit mode). A file named in `paths` is read as given, whatever it is. What a walk
    could not read (a directory it cannot list; a FIFO, socket or broken symlink with a name that would
    be checked; a .gitignore with problems) is a target with `problems`.
    """
    targets: list[Target] = []
    seen: set[str] = set()

    def add(path: str, sniff: bool, walked: bool = False, problems: tuple = ()) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            targets.append(Target(path, path, sniff, walked, problems))

    def wanted(file: str) -> bool:
        """Is a file found by a walk checked (by its name)?"""
        if _matches(file, exclude):
            return False
        return _matches(file, include) if include else os.path.basename(file).lower().endswith(SPEC_SUFFIXES)

    for path in paths:
        if path == "-":
            targets.append(Target("-", stdin_filename or "-", False))
        elif os.path.isdir(path):
            def skip_directory(directory: str) -> bool:
                name = os.path.basename(directory)
                return (name.startswith(".") or name in SKIPPED_DIRECTORIES
                        or os.path.exists(os.path.join(directory, "pyvenv.cfg")) or _matches(directory, exclude))

            for found in walk_files(path, skip_directory, respect_gitignore=respect_gitignore):
                if isinstance(found, Unreadable):
                    if not found.candidate or wanted(found.path):
                        add(found.path, sniff=False, walked=True, problems=found.diagnostics)
                elif wanted(found):
                    add(found, sniff=not include, walked=True)
        elif specs_only:
            if _matches(path, exclude):
                continue
            if include:
                if _matches(path, include):
                    add(path, sniff=False)
            elif path.lower().endswith(SPEC_SUFFIXES):
                add(path, sniff=True)
        else:
            add(path, sniff=False)
    return targets


#: what a diagnostic about a walked file adds: how to leave the file out
_LEAVE_OUT = "; add it to .gitignore or --exclude to leave it out"


def check_target(target: Target, framework: str | None = None, default_framework: str | None = None):
    """Plan one target; None when it was walked into and does not look like a spec.

    A walked file that cannot be read (denied, over the size limit, replaced by a FIFO) is reported,
    whatever its name: the walk fails closed. One that can be read but is not text, or does not look
    like a spec, is passed over.
    """
    from layerplan.inputs import read_bytes
    from layerplan.planner import Report, SpecReadError, load_text, plan_document, unreadable_report
    from layerplan.planner.model_code import is_model_path
    from layerplan.planner.spec_text import decode

    if target.problems:
        problems = [d.replace(message=d.message + _LEAVE_OUT) if d.is_error else d for d in target.problems]
        return Report(file=target.name, framework=framework or "torch", input=None, diagnostics=problems,
                      read_error=any(d.is_error for d in problems))

    if target.path != "-" and is_model_path(target.path):  # model code: read statically, never run
        from layerplan.inputs import load_document, report_name

        try:
            document = load_document(target.path, framework=framework)
        except SpecReadError as exc:
            return unreadable_report(report_name(target.path), exc.diagnostic, framework)
        return plan_document(document, framework)
    try:
        data = read_walked_file(target.path) if target.walked else read_bytes(target.path)
    except SpecReadError as exc:
        diagnostic = exc.diagnostic
        if target.walked:
            diagnostic = diagnostic.replace(message=diagnostic.message + _LEAVE_OUT)
        return unreadable_report(target.name, diagnostic, framework)
    try:
        text = decode(data, target.name)
    except SpecReadError as exc:
        return None if target.sniff else unreadable_report(target.name, exc.diagnostic, framework)
    try:
        document = load_text(text, target.name)
    except SpecReadError as exc:
        # unparsable: a spec only if a top-level `layers:` / `input:` line says so
        if target.sniff and not (_SCHEMA_COMMENT.search(text, 0, 2000) or _TOP_LEVEL_ANCHOR.search(text)):
            return None
        return unreadable_report(target.name, exc.diagnostic, framework)
    if target.sniff and not looks_like_spec(document.data, text):
        return None
    if framework is None and default_framework and not (isinstance(document.data, dict) and "framework" in document.data):
        framework = default_framework  # the project's default, for specs that do not say
    return plan_document(document, framework)


#: below this many files a single process is faster than starting workers
PARALLEL_THRESHOLD = 64


def check_all(targets: list[Target], framework: str | None, default_framework: str | None, jobs: int):
    """Plan every target, in order; many files are spread over worker processes (jobs 0: one per CPU)."""
    import functools

    work = functools.partial(check_target, framework=framework, default_framework=default_framework)
    if jobs == 0:
        jobs = min(os.cpu_count() or 1, 8) if len(targets) >= PARALLEL_THRESHOLD else 1
    jobs = min(jobs, len(targets))
    if jobs <= 1 or any(t.path == "-" for t in targets) or sys.platform == "win32":
        return [work(target) for target in targets]
    from layerplan.workers import map_in_workers

    return map_in_workers(work, targets, jobs, functools.partial(dead_worker_report, framework=framework))


def dead_worker_report(target: Target, how: str, framework: str | None = None):
    """The report of a file whose worker process died while checking it (the system's out-of-memory
    killer, a signal): the file is not checked, and says so (exit status 2)."""
    from layerplan.planner import unreadable_report
    from layerplan.planner.diagnostics import Diagnostic

    message = (f"not checked: the worker process checking it was {how}" if how.startswith("killed") else
               f"not checked: the worker process checking it {how}")
    return unreadable_report(target.name, Diagnostic.make("unreadable-file", message), framework)


def render(reports, output_format: str, strict: bool) -> str:
    if output_format == "github":
        from layerplan.render.github import render_github

        return render_github(reports)
    if output_format == "sarif":
        from layerplan.main import _version
        from layerplan.render.sarif import render_sarif

        return render_sarif(reports, _version())
    if output_format == "junit":
        from layerplan.render.junit import render_junit

        return render_junit(reports, strict)
    if output_format == "json":
        from layerplan.render.json_format import render_json

        return render_json(reports, single=False)
    if output_format == "jsonl":
        from layerplan.render.json_format import render_jsonl

        return render_jsonl(reports)
    from layerplan.render.text import render_text

    return render_text(reports)


def _fail(message: str) -> None:
    say(f"layerplan: {message}")
    sys.exit(EXIT_UNREADABLE)


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--format", "output_format", type=click.Choice(CHECK_FORMATS), default=None,
              help="Output format [default: github when GITHUB_ACTIONS is set, else text].")
@click.option("--strict/--no-strict", default=None, help="Exit with status 1 on warnings too.")
@click.option("--framework", "-f", type=click.Choice(["torch", "keras"]), default=None,
              help="Plan every spec with this framework's rules (overrides the specs' framework).")
@click.option("--stdin-filename", default=None, help="Name to report for a spec read from standard input ('-').")
@click.option("--include", multiple=True, metavar="GLOB",
              help="In directories, check the files matching GLOB (instead of *.yaml/*.yml/*.json that look like "
                   "specs). Repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files and directories matching GLOB. Repeatable.")
@click.option("--gitignore/--no-gitignore", "respect_gitignore", default=True, show_default=True,
              help="In directories, skip what .gitignore files (and git's other exclude files) ignore.")
@click.option("--specs-only", is_flag=True,
              help="Treat named files like walked ones: skip those that do not look like specs or are excluded "
                   "(for pre-commit).")
@click.option("--output-file", "-o", metavar="FILE", default=None,
              help="Write the report to this file instead of standard output (never to a checked file).")
@click.option("--quiet", "-q", is_flag=True,
              help="No summary line (a failing spec still gets its one line on standard error).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes for many files (0: one per CPU when there are many files).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Read [tool.layerplan] from this file instead of the nearest pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore [tool.layerplan] settings.")
def check(paths, output_format, strict, framework, stdin_filename, include, exclude, respect_gitignore, specs_only,
          output_file, quiet, jobs, config_path, isolated) -> None:
    """Check spec files (and directories of them) for errors, like a linter.

    Prints one 'path:line:col: CODE severity: message' line per problem and a summary. Exit status:
    0 no errors (warnings allowed unless --strict), 1 an invalid spec, 2 an unreadable spec or a
    wrong command line. '-' reads a spec from standard input.
    """
    from pathlib import Path

    from layerplan.config import Config, ConfigError, load_config

    try:
        config = Config() if isolated else load_config(Path(config_path) if config_path else None)
    except ConfigError as exc:
        _fail(str(exc))
    if output_format is None:
        output_format = config.get("format") or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
        if output_format not in CHECK_FORMATS:
            _fail(f"{config.path}: [tool.layerplan] format must be one of {', '.join(CHECK_FORMATS)}, "
                  f"got {output_format!r}")
    if strict is None:
        strict = bool(config.get("strict", False))
    default_framework = config.get("framework")
    if not paths:
        paths = tuple(config.resolve_paths("paths")) or (".",)
    include = include or tuple(config.get("include", ()))
    exclude = exclude or tuple(config.get("exclude", ()))
    if paths.count("-") > 1:
        _fail("'-' (standard input) can be given only once")
    if stdin_filename and "-" not in paths:
        _fail("--stdin-filename needs '-' among the paths")

    targets = discover(paths, include=include, exclude=exclude, specs_only=specs_only, stdin_filename=stdin_filename,
                       respect_gitignore=respect_gitignore)
    results = check_all(targets, framework, default_framework, jobs)
    reports = [r for r in results if r is not None]
    text = render(reports, output_format, strict)
    summary = None if quiet else _summary(reports, paths, specs_only)
    to_stdout = output_format in ("text", "github") and not output_file
    if output_file:
        checked = [target.path for target, result in zip(targets, results) if result is not None]
        write_output_file(output_file, text, inputs=checked)
    else:
        with reader_may_leave():
            sys.stdout.write(text)
            if summary is not None and to_stdout:
                sys.stdout.write(summary + "\n")
    if summary is not None and not to_stdout:
        say(summary)
    # The findings stay in the report; standard error says why the status is 1, even with --quiet.
    from layerplan.planner.diagnostics import FAILS_CHECK

    for line in summary_lines(reports, strict, FAILS_CHECK):
        say(line)
    sys.exit(exit_status(reports, strict, FAILS_CHECK))


def _summary(reports, paths, specs_only: bool) -> str:
    from layerplan.render.escape import terminal
    from layerplan.render.text import summary_line

    summary = summary_line(reports)
    if not reports and not specs_only:
        summary += f" (no spec files found in {', '.join(paths)})"
    return terminal(summary)
