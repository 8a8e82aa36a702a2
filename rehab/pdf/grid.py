"""A table of plain text cells drawn straight onto the page: wrapped words, shaded cells, a grid.

reportlab's Table styles every cell command by command and draws each line of each cell as its own
text object inside its own saved state; for the booklet's tables of short strings (the effort
scale, what to avoid, the red flags, the weeks, each exercise's rows, the diary) that was a third
of the drawing. `TextTable` measures the words once, draws all the text of a table as one text
object and the rules as one path, and splits between rows across pages, repeating the header.
`layout.table` chooses it when every cell is text the body font can draw, and reportlab's Table
otherwise (flowables in cells, or a name that needs the fallback font).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics

from rehab.pdf.text import WrittenOntoPage, wrap_lines
from rehab.pdf.ttf import FastTTFont, colour_operator, font_operator, lines_operators, show_lines

# The table style commands TextTable understands (all that the booklet's and report's tables use).
SUPPORTED = frozenset({"BACKGROUND", "FONT", "TOPPADDING", "BOTTOMPADDING"})


@dataclass
class GridStyle:
    """How the grid looks: fonts, size, leading, paddings, colours; `cells` are per-cell overrides
    filled from table style commands."""

    regular: str
    bold: str
    size: float
    leading: float
    ink: object
    lines: object
    line_width: float = 0.75
    padding: tuple[float, float, float, float] = (4, 5, 5, 5)  # top, bottom, left, right
    cells: dict = field(default_factory=dict)


# Which item of a cell (grid.TextTable.cells) each command sets.
_CELL_ITEM = {"FONT": 0, "BACKGROUND": 1, "TOPPADDING": 2, "BOTTOMPADDING": 3}


def _bounds(start: int, stop: int, count: int) -> range:
    """The indexes from `start` to `stop` inclusive, counting negative ones from the end, as
    reportlab's table style commands do."""
    first = start if start >= 0 else count + start
    last = stop if stop >= 0 else count + stop
    return range(first, min(last, count - 1) + 1)


class TextTable(WrittenOntoPage):
    """Rows of text cells in fixed column widths (see the module's docstring)."""

    def __init__(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        style: GridStyle,
        *,
        header: bool,
        commands: Sequence[tuple] = (),
        row_heights: Sequence[float | None] | None = None,
    ):
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.widths = list(widths)
        self.style = style
        self.header = header
        self.row_heights = list(row_heights) if row_heights else [None] * len(self.rows)
        count, columns = len(self.rows), len(self.widths)
        # Per cell: [font, background, top padding, bottom padding]
        top, bottom = style.padding[0], style.padding[1]
        self.cells: list[list[list[Any]]] = [
            [[style.regular, None, top, bottom] for _ in range(columns)] for _ in range(count)
        ]
        for name, start, stop, *values in commands:
            item = _CELL_ITEM[name]
            in_columns = _bounds(start[0], stop[0], columns)
            for r in _bounds(start[1], stop[1], count):
                row = self.cells[r]
                for c in in_columns:
                    row[c][item] = values[0]
        self._lines: list[list[list[str]]] = []
        self._heights: list[float] = []

    def _measure(self) -> None:
        if self._heights:
            return
        style = self.style
        left, right = style.padding[2], style.padding[3]
        for row, cells, wanted in zip(self.rows, self.cells, self.row_heights, strict=True):
            lines = [
                wrap_lines(str(value), cell[0], style.size, width - left - right)
                for value, cell, width in zip(row, cells, self.widths, strict=True)
            ]
            height = max(
                len(cell_lines) * style.leading + cell[2] + cell[3]
                for cell_lines, cell in zip(lines, cells, strict=True)
            )
            self._lines.append(lines)
            self._heights.append(max(height, wanted or 0))

    def wrap(self, available_width, available_height):
        self._measure()
        self.width, self.height = sum(self.widths), sum(self._heights)
        return self.width, self.height

    def _part(self, indexes: list[int]) -> TextTable:
        part = TextTable([], self.widths, self.style, header=self.header)
        part.rows = [self.rows[i] for i in indexes]
        part.cells = [self.cells[i] for i in indexes]
        part.row_heights = [self.row_heights[i] for i in indexes]
        part._lines = [self._lines[i] for i in indexes]
        part._heights = [self._heights[i] for i in indexes]
        return part

    def split(self, available_width, available_height):
        self._measure()
        first = 1 if self.header else 0
        used, fits = sum(self._heights[:first]), first
        while fits < len(self._heights) and used + self._heights[fits] <= available_height:
            used += self._heights[fits]
            fits += 1
        if fits <= first or fits >= len(self._heights):
            return []
        head = list(range(first))
        return [self._part(list(range(fits))), self._part(head + list(range(fits, len(self._heights))))]

    def _operators(self, canvas, x: float, y: float) -> str | None:
        self._measure()
        style, doc = self.style, canvas._doc
        letters: dict[str, list[str]] = {}
        for row_lines, cells in zip(self._lines, self.cells, strict=True):
            for cell_lines, cell in zip(row_lines, cells, strict=True):
                letters.setdefault(cell[0], []).extend(cell_lines)
        escapes: dict[str, tuple[FastTTFont, dict[int, str]]] = {}
        for name, texts in letters.items():
            found = pdfmetrics.getFont(name)
            table = found.escapes("".join(texts), doc) if isinstance(found, FastTTFont) else None
            if table is None:
                return None
            escapes[name] = (found, table)
        edges = [x]
        for width in self.widths:
            edges.append(edges[-1] + width)
        tops = [y + self.height]
        for height in self._heights:
            tops.append(tops[-1] - height)
        # Each coordinate formatted once: fp_str(a, b) is fp_str(a) + " " + fp_str(b).
        xs, ys = [fp_str(edge) for edge in edges], [fp_str(top) for top in tops]
        code = ["q"]
        shade = None
        for r, cells in enumerate(self.cells):
            for c, cell in enumerate(cells):
                if cell[1] is not None:
                    if cell[1] is not shade:
                        shade = cell[1]
                        code.append(colour_operator(shade))
                    code.append(f"n {xs[c]} {ys[r + 1]} {fp_str(self.widths[c], self._heights[r])} re f*")
        code += [colour_operator(style.ink), "BT"]
        font, escaped = "", {}
        left = style.padding[2]
        text_xs = [fp_str(edge + left) for edge in edges]
        for r, (lines, cells) in enumerate(zip(self._lines, self.cells, strict=True)):
            for c, (cell_lines, cell) in enumerate(zip(lines, cells, strict=True)):
                if not any(cell_lines):
                    continue
                if cell[0] != font:
                    font = cell[0]
                    code.append(font_operator(escapes[font][0], doc, style.size, style.leading))
                    escaped = escapes[font][1]
                # Lines start one font size under the cell's top padding, as in reportlab's Table.
                code.append(f"1 0 0 1 {text_xs[c]} {fp_str(tops[r] - cell[2] - style.size)} Tm")
                code.append(lines_operators(cell_lines, escaped))
        code.append("ET")
        colour: Any = style.lines
        code.append(f"{fp_str(colour.red, colour.green, colour.blue)} RG {fp_str(style.line_width)} w")
        code.append("n")
        code += [f"{xs[0]} {top} m {xs[-1]} {top} l" for top in ys]
        code += [f"{edge} {ys[0]} m {edge} {ys[-1]} l" for edge in xs]
        code += ["S", "Q"]
        return "\n".join(code)

    def draw(self):
        canvas, style = self.canv, self.style
        self._measure()
        edges = [0.0]
        for width in self.widths:
            edges.append(edges[-1] + width)
        tops = [self.height]
        for height in self._heights:
            tops.append(tops[-1] - height)
        canvas.saveState()
        for r, cells in enumerate(self.cells):
            for c, cell in enumerate(cells):
                if cell[1] is not None:
                    canvas.setFillColor(cell[1])
                    canvas.rect(edges[c], tops[r + 1], self.widths[c], self._heights[r], stroke=0, fill=1)
        canvas.setFillColor(style.ink)
        text = canvas.beginText()
        font = None
        for r, (lines, cells) in enumerate(zip(self._lines, self.cells, strict=True)):
            for c, (cell_lines, cell) in enumerate(zip(lines, cells, strict=True)):
                if not any(cell_lines):
                    continue
                if cell[0] != font:
                    font = cell[0]
                    text.setFont(font, style.size, style.leading)
                # Lines start one font size under the cell's top padding, as in reportlab's Table.
                text.setTextOrigin(edges[c] + style.padding[2], tops[r] - cell[2] - style.size)
                show_lines(text, cell_lines)
        canvas.drawText(text)
        canvas.setStrokeColor(style.lines)
        canvas.setLineWidth(style.line_width)
        rules = [(0, top, edges[-1], top) for top in tops]
        rules += [(x, tops[0], x, tops[-1]) for x in edges]
        canvas.lines(rules)
        canvas.restoreState()
