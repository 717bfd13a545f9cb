"""Escaping for each place output goes: one function per output context.

Paths, spec and layer names, and messages that quote a spec's values are user-controlled strings.
Every renderer and every line written to standard error passes them through the function for where
they go, so a file name or a layer name can never add a line, move the cursor, start a GitHub Actions
workflow command, open an HTML tag, split a table cell or become a spreadsheet formula:

- `terminal`: a line for a terminal, a log or standard error (text, shape, table, stderr lines);
- `github_data`, `github_property`: a workflow command's message and its properties;
- `markdown`: text in a GitHub-flavoured Markdown table cell or list item;
- `json_text`: JSON output (plan, check, sarif, explain, diff, solve) as a CI log shows it;
- `spreadsheet`: a text cell of CSV or TSV;
- `relative_uri`: a relative path as a URI reference (SARIF's artifactLocation).
"""

from __future__ import annotations

import re

# C0 and C1 control characters and DEL, and the Unicode characters that end a line or reorder how a
# line is shown (bidirectional overrides and isolates: text that reads differently from what it is).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# What the GitHub Actions runner reads as a command in any line of a step's output: `::name ...::`
# at the start of a line (after blanks), and the older `##[name]` anywhere in it.
_WORKFLOW_COMMAND_START = re.compile(r"^(\s*):")
_LEGACY_COMMAND = "##["


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text) -> str:
    r"""One line of plain text as it may be printed: control characters and line or direction
    marks are shown as escapes (`\x1b`, `\n`-free), and nothing in it reads as a GitHub Actions
    workflow command (a leading `::` shows its first colon as `\x3a`, `##[` shows as `##\x5b`).

    >>> terminal("net\x1b[2J.yaml: 1 error")
    'net\\x1b[2J.yaml: 1 error'
    >>> terminal("a\nb\r")
    'a\\x0ab\\x0d'
    >>> terminal("::error::hi.yaml:3:1: error"), terminal("see ##[error]x")
    ('\\x3a:error::hi.yaml:3:1: error', 'see ##\\x5berror]x')
    """
    text = _UNSAFE.sub(_shown, str(text)).replace(_LEGACY_COMMAND, "##\\x5b")
    if text.lstrip().startswith("::"):
        text = _WORKFLOW_COMMAND_START.sub(lambda m: m.group(1) + "\\x3a", text, count=1)
    return text


def github_data(text) -> str:
    """A workflow command's message, escaped as the Actions toolkit escapes it: % CR LF.

    >>> github_data("50% of\\nit")
    '50%25 of%0Ait'
    """
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text) -> str:
    """A workflow command's property value (file, title): as `github_data`, and : and , too.

    >>> github_property("a:b,c.yaml")
    'a%3Ab%2Cc.yaml'
    """
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def json_text(text: str) -> str:
    r"""JSON text (as json.dumps writes it: ASCII, control characters escaped) made safe to show in a CI
    log: `##[`, which the Actions runner reads as a command anywhere in a line, is written `##[`
    (the same string to every JSON reader). Outside strings JSON has no `#`, so only strings change.

    >>> json_text('{"name": "##[error]x"}')
    '{"name": "##\\u005berror]x"}'
    """
    return text.replace(_LEGACY_COMMAND, "##\\u005b")


_MARKDOWN = {"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "&": "&amp;", "`": "\\`"}
_MARKDOWN_SPECIAL = re.compile(r"[\\|<>&`]")


def markdown(text) -> str:
    r"""Text inside a Markdown table cell or list item: a `|` cannot end the cell, `<` and `&` open no
    HTML tag or entity, a backtick opens no code span, and the text stays on one line (a line break
    becomes a space; other control characters show as escapes).

    >>> markdown("a|b <script> & `x`")
    'a\\|b &lt;script&gt; &amp; \\`x\\`'
    """
    text = " ".join(str(text).splitlines())
    text = _UNSAFE.sub(_shown, _MARKDOWN_SPECIAL.sub(lambda m: _MARKDOWN[m.group()], text))
    return text.replace(_LEGACY_COMMAND, "##\\[")  # renders as ##[, and no CI log reads it as a command


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet(text) -> str:
    """A text cell of CSV or TSV: one a spreadsheet would read as a formula (it starts with =, +, -,
    @, a tab or a carriage return) gets a leading apostrophe, so it shows as text. Only for text:
    numbers are written as they are.

    >>> spreadsheet("=HYPERLINK(1)"), spreadsheet("-x"), spreadsheet("conv2d_1")
    ("'=HYPERLINK(1)", "'-x", 'conv2d_1')
    """
    text = str(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def relative_uri(path: str) -> str:
    """A relative path (with / between its parts) as a relative URI reference (RFC 3986): every
    character but the unreserved ones and / percent-encoded, and `./` before a first segment that
    holds a colon, so it cannot read as a scheme (`javascript:x`).

    >>> relative_uri("specs/q?x=1&y#f.yaml"), relative_uri("javascript:alert(1).yaml")
    ('specs/q%3Fx%3D1%26y%23f.yaml', './javascript%3Aalert%281%29.yaml')
    """
    from urllib.parse import quote

    uri = quote(path, safe="/")
    first = path.split("/", 1)[0]
    return "./" + uri if ":" in first else uri
