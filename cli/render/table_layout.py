"""A fast layout for the layer table that prints exactly what rich's `Table` prints.

Why it exists: rich's `Table` measures and renders every cell through its general pipeline (Padding,
Text.wrap, line splitting and cropping: about 100 µs a cell, 10-15 ms for a small model), and importing
`rich.table` costs several more milliseconds (fractions, decimal); together a sixth of the start-up
of `layerplan plan`. A layer table is simple: one line per cell, no wrapping, rich's default box.
`LayerTable` lays such a table out itself and yields the same Segments (text and style runs) that
`Table` yields, so the same Console writes the same bytes: plain, or with ANSI styles, NO_COLOR,
FORCE_COLOR, cropping and broken pipes handled as before.

Whenever rich could lay the table out differently, `LayerTable` hands it to rich's `Table`
instead (`rich_table`): the table is wider than the console (rich shrinks and wraps columns), a cell
holds a newline, tab or another character that is not printable (rich splits, expands or strips
those; a non-breaking space counts too), the console is ASCII-only or legacy Windows (rich swaps the
box), or there are no columns. The title is rendered by rich itself in both cases (one Text: cheap).
tests/cli/test_table_layout.py renders tables both ways and checks the output is the same.

`plain_text` gives the same table as text without rich (the title line included), for a Console
without colour that soft-wraps (a pipe): cli/render/plain_table.py writes it without importing rich.
"""

from __future__ import annotations

# rich.box.HEAVY_HEAD, Table's default box (rich.box is not imported: it costs start-up time):
# heavy lines around the header, light ones around the body and the footer.
_TOP = ("┏", "━", "┳", "┓")
_HEAD_RULE = ("┡", "━", "╇", "┩")
_FOOT_RULE = ("├", "─", "┼", "┤")
_BOTTOM = ("└", "─", "┴", "┘")
_HEAD_EDGE = "┃"
_BODY_EDGE = "│"


def _cell_len(text: str):
    """How to measure cells of `text`'s characters: len for printable ASCII (one cell each, as rich
    counts them), else rich's cell_len (wide, combining and emoji characters)."""
    if text.isascii():
        return len
    from rich.cells import cell_len

    return cell_len


class LayerTable:
    """A renderable table of single-line cells, printed as rich's `Table(title=title, show_footer=...,
    header_style="bold", footer_style="bold")` with these columns and rows would print it.

    `headers`: column headings; `right`: per column, right-justified (numbers) or left;
    `footers`: the footer cells, or None for no footer row; `rows`: lists of (text, style) cells.
    """

    def __init__(self, title, headers: list[str], right: list[bool], footers: list[str] | None,
                 rows: list[list[tuple[str, str]]]) -> None:
        self.title = title
        self.headers = headers
        self.right = right
        self.footers = footers
        self.rows = rows

    def rich_table(self):
        """The same table as a rich `Table` (what `LayerTable` falls back to)."""
        from rich.table import Table
        from rich.text import Text

        table = Table(title=self.title, show_footer=self.footers is not None, header_style="bold",
                      footer_style="bold")
        footers = self.footers or [""] * len(self.headers)
        for header, right, footer in zip(self.headers, self.right, footers):
            table.add_column(Text(header), justify="right" if right else "left", footer=Text(footer))
        for row in self.rows:
            table.add_row(*(Text(text, style=style) for text, style in row))
        return table

    def _cell_len(self):
        return _cell_len("".join(self.headers) + "".join(text for row in self.rows for text, _ in row)
                         + "".join(self.footers or ()))

    def content_widths(self, options) -> list[int] | None:
        """Each column's width without padding, or None when rich's Table could print the table
        differently (see the module docstring)."""
        if options.ascii_only or options.legacy_windows:
            return None
        return self.widths(options.max_width)

    def widths(self, max_width: int) -> list[int] | None:
        """Each column's width without padding on a UTF-8 console `max_width` cells wide, or None when
        rich's Table could print the table differently (no columns, a character that is not printable,
        too wide)."""
        if not self.headers:
            return None
        lines = [self.headers, *([text for text, _ in row] for row in self.rows)]
        if self.footers is not None:
            lines.append(self.footers)
        every = "".join("".join(line) for line in lines)
        if not every.isprintable():
            return None
        cell_len = _cell_len(every)
        widths = [max(map(cell_len, column)) for column in zip(*lines)]
        # Each cell has one space of padding either side; the box adds an edge on the left and
        # one line after every column. rich keeps natural widths while they fit (`<=`).
        if sum(widths) + 3 * len(widths) + 1 > max_width:
            return None
        return widths

    def plain_text(self, max_width: int) -> str | None:
        """The title and the table as text, exactly as a rich Console without colour and with soft wrap
        (a pipe: `cli.render.console.make_console`) `max_width` cells wide prints this table, or None when
        that could differ (what `widths` refuses, or a title that is not printable). rich.cells is imported
        only when a cell is not ASCII; the title is not measured: soft wrap prints it whole, not centred."""
        title = str(self.title) if self.title else ""
        if not title.isprintable():
            return None
        widths = self.widths(max_width)
        if widths is None:
            return None
        cell_len = self._cell_len()
        out = [title + "\n"] if title else []

        def rule(chars):
            left, line, cross, right = chars
            out.append(left + cross.join(line * (width + 2) for width in widths) + right + "\n")

        def row(texts, edge):
            parts = []
            for width, right, text in zip(widths, self.right, texts):
                if right:  # as in __rich_console__: right-justified text loses its trailing spaces
                    text = text.rstrip()
                    parts.append(" " + " " * (width - cell_len(text)) + text + " ")
                else:
                    parts.append(" " + text + " " * (width - cell_len(text)) + " ")
            out.append(edge + edge.join(parts) + edge + "\n")

        rule(_TOP)
        row(self.headers, _HEAD_EDGE)
        rule(_HEAD_RULE)
        for cells in self.rows:
            row([text for text, _ in cells], _BODY_EDGE)
        if self.footers is not None:
            rule(_FOOT_RULE)
            row(self.footers, _BODY_EDGE)
        rule(_BOTTOM)
        return "".join(out)

    def __rich_console__(self, console, options):
        widths = self.content_widths(options)
        if widths is None:
            yield self.rich_table()
            return
        from rich.segment import Segment

        cell_len = self._cell_len()
        table_width = sum(widths) + 3 * len(widths) + 1
        if self.title:  # rich's Table renders its title (wrapped and centred on a terminal) itself
            yield from console.render(self.title, options.update(width=table_width, highlight=False, height=None,
                                                                 justify="center"))
        new_line = Segment.line()
        get_style = console.get_style

        def rule(chars):
            left, line, cross, right = chars
            return Segment(left + cross.join(line * (width + 2) for width in widths) + right)

        def row(cells, cell_style, edge):
            yield Segment(edge)
            for index, (width, right, (text, text_style)) in enumerate(zip(widths, self.right, cells)):
                if index:
                    yield Segment(edge)
                if not width:
                    # rich renders a column with nothing in it as one blank run of its padding, in the
                    # row's style only when another column has something (it pads the cell to that height)
                    yield Segment("  ", cell_style if blank_styled else None)
                    continue
                if right:  # rich strips trailing spaces from right-justified text
                    text = text.rstrip()
                    text = " " * (width - cell_len(text)) + text
                else:
                    text = text + " " * (width - cell_len(text))
                yield Segment(" ", cell_style)
                yield Segment(text, cell_style + get_style(text_style) if text_style else cell_style)
                yield Segment(" ", cell_style)
            yield Segment(edge)
            yield new_line

        blank_styled = any(widths)
        bold = get_style("bold")
        null = get_style("")
        yield rule(_TOP)
        yield new_line
        yield from row([(header, "") for header in self.headers], bold, _HEAD_EDGE)
        yield rule(_HEAD_RULE)
        yield new_line
        for cells in self.rows:
            yield from row(cells, null, _BODY_EDGE)
        if self.footers is not None:
            yield rule(_FOOT_RULE)
            yield new_line
            yield from row([(footer, "") for footer in self.footers], bold, _BODY_EDGE)
        yield rule(_BOTTOM)
        yield new_line
