"""Charts as SVG drawn on the server: bars and a heat map, each value written out in text.

Pictures never rely on colour alone: every bar and cell carries its number, and each chart
has a title and a description for screen readers. Text is escaped; nothing is fetched.
"""

from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 20
GAP = 6
LABEL_WIDTH = 170
VALUE_WIDTH = 120
CELL = 56
TOP = 28  # room above a heat map for its column names


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # what is written beside the bar; the value by default


def bar_chart(bars: list[Bar], *, title: str, width: int = 560) -> str:
    """Return horizontal bars, longest value full width, each labelled and numbered."""
    if not bars:
        return _empty(title)
    top = max(bar.value for bar in bars) or 1
    room = width - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    rows = []
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = max(1, round(room * bar.value / top)) if bar.value else 0
        text = bar.text or _number(bar.value)
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}">'
            f"<title>{escape(bar.label)}: {escape(text)}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}">{escape(text)}</text>'
        )
    return _svg(title, width, height, "".join(rows))


def heat_map(names: list[str], values: dict[tuple[str, str], float | None], *, title: str) -> str:
    """Return a square table of pair values in [0, 1]: darker is higher, the number in each cell."""
    if len(names) < 2:
        return _empty(title)
    width = LABEL_WIDTH + CELL * len(names)
    height = TOP + CELL * len(names)
    cells = []
    for column, name in enumerate(names):
        x = LABEL_WIDTH + column * CELL + CELL / 2
        cells.append(f'<text x="{x}" y="{TOP - 8}" text-anchor="middle">{escape(name)}</text>')
    for row, first in enumerate(names):
        y = TOP + row * CELL
        cells.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + CELL / 2 + 5}" text-anchor="end">'
            f"{escape(first)}</text>"
        )
        for column, second in enumerate(names):
            x = LABEL_WIDTH + column * CELL
            value = 1.0 if first == second else values.get((first, second))
            shade = "none" if value is None else f"rgba(31, 94, 168, {0.1 + 0.8 * value:.2f})"
            text = "n/a" if value is None else f"{value:.2f}"
            ink = "#fff" if value is not None and value > 0.55 else "#1d2430"
            cells.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{shade}" '
                f'stroke="#8a94a6"><title>{escape(first)} and {escape(second)}: {text}'
                "</title></rect>"
                f'<text x="{x + CELL / 2}" y="{y + CELL / 2 + 5}" text-anchor="middle" '
                f'fill="{ink}">{text}</text>'
            )
    return _svg(title, width, height, "".join(cells))


def _svg(title: str, width: int, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _empty(title: str) -> str:
    return _svg(title, 400, 30, '<text x="0" y="20">Nothing to show yet.</text>')


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
