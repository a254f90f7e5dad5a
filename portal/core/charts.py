"""Charts drawn on the server as accessible SVG, with the same numbers as a table below.

A chart is data (`Chart`) that renders itself: `svg()` gives the picture, `table()` the figures
that templates/components/charts.html lays out under it. The SVG is an image with a <title> and
a <desc>, needs no JavaScript, scales by its viewBox, and uses presentation attributes only,
because the site's CSP forbids inline styles. Series differ by pattern, line dash and marker
shape as well as colour, and every bar carries its value as text, so a chart survives a
black-and-white printer and colour blindness.

A cell whose value is None draws nothing. Give it a `shown` text ("< 5" for a suppressed small
count) and that text stands in for the number, in the picture and in the table: a suppressed
count must never reach the page, not even as the length of a bar. In a line chart such a cell
breaks its line into segments; its category is hatched and labelled with the text, a key under
the picture explains the hatching, and the description names the categories not drawn, so the
gap reads as "too few to show", never as zero or as missing data.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

SUPPRESSED = "< 5"
SMALL_COUNT = 5
DEFAULT_LOCALE = "vi"  # the site's default; used when no request chose a language
ID_PATTERN = re.compile(r"[a-z][a-z0-9-]*\Z")

# Geometry in viewBox units. The box is narrow so that text stays legible when a phone scales
# the picture down; portal.css caps its width on large screens.
WIDTH = 400
PAD = 4
FONT = 16
LINE = 21
BAR = 22
BAR_GAP = 4
GROUP_GAP = 14
PLOT_HEIGHT = 200
INK = "#1b1b1b"
MUTED = "#4a4a4a"
GRID = "#b1b4b6"
GAP_FONT = 13


@dataclass(frozen=True)
class Look:
    """How one series is told apart: colour, bar fill pattern, line dash and marker shape."""

    colour: str
    pattern: str
    dash: str
    marker: str


# Colours are dark enough for 3:1 against white (WCAG 1.4.11); patterns keep them apart in grey.
LOOKS = (
    Look("#1d4f91", "solid", "", "circle"),
    Look("#8b1a1a", "hatch", "7 4", "square"),
    Look("#00703c", "dots", "2 3", "triangle"),
    Look("#4c2c92", "cross", "9 3 2 3", "diamond"),
    Look("#6b4a00", "lines", "4 2", "circle"),
)


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category; `shown` overrides how a cell is displayed."""

    name: str
    values: Sequence[int | float | Decimal | None]
    shown: Sequence[str | None] | None = None

    def __post_init__(self):
        values = tuple(self.values)
        for value in values:
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
                raise TypeError(f"chart values must be numbers or None, not {type(value)!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError("chart values must be finite and not negative")
        object.__setattr__(self, "values", values)
        if self.shown is not None:
            shown = tuple(self.shown)
            if len(shown) != len(values):
                raise ValueError("shown must have one entry per value")
            object.__setattr__(self, "shown", shown)

    @classmethod
    def counts(
        cls, name: str, counts: Sequence[int | None], *, threshold: int = SMALL_COUNT
    ) -> Series:
        """Build a series of counts with those from 1 to threshold - 1 suppressed as "< 5".

        Zero is kept: it identifies nobody, and a month with no cases is worth seeing.
        """
        values, shown = [], []
        for count in counts:
            small = count is not None and 0 < count < threshold
            values.append(None if small else count)
            shown.append(f"< {threshold}" if small else None)
        return cls(name, values, shown)


@dataclass(frozen=True)
class Row:
    category: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """The chart's figures as display strings: the table under the picture, or a CSV."""

    caption: str
    headers: tuple[str, ...]  # the category heading, then one per series
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Chart:
    """A bar or line chart; build it with bar_chart() or line_chart()."""

    id: str
    kind: Literal["bar", "line"]
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    description: str | None = None
    unit: str = ""
    category_label: str | None = None
    scale_max: float | None = None
    number_format: str = "#,##0.#"

    def __post_init__(self):
        if not ID_PATTERN.match(self.id):
            raise ValueError("chart id must be lower-case letters, digits and hyphens")
        if self.kind not in ("bar", "line"):
            raise ValueError(f"unknown chart kind {self.kind!r}")
        categories = tuple(str(c) for c in self.categories)
        series = tuple(self.series)
        if not series:
            raise ValueError("a chart needs at least one series")
        for one in series:
            if len(one.values) != len(categories):
                raise ValueError(f"series {one.name!r} needs one value per category")
        object.__setattr__(self, "categories", categories)
        object.__setattr__(self, "series", series)

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"

    def number(self, value) -> str:
        """Format a number for the current language: 1.234.567,5 in Vietnamese."""
        locale = get_locale() or DEFAULT_LOCALE
        return format_decimal(value, format=self.number_format, locale=locale)

    def with_unit(self, text: str) -> str:
        if not self.unit:
            return text
        # "87,5%" but "3,5 ngày"; a no-break space keeps the unit beside its number.
        return f"{text}\u00a0{self.unit}" if self.unit[0].isalnum() else f"{text}{self.unit}"

    def cell(self, series: Series, index: int, *, unit: bool = False) -> str:
        """Display text of one cell: its `shown` text, the number, or "No data"."""
        if series.shown is not None and series.shown[index] is not None:
            return series.shown[index]
        value = series.values[index]
        if value is None:
            return gettext("No data")
        text = self.number(value)
        return self.with_unit(text) if unit else text

    @staticmethod
    def cell_has_data(series: Series, index: int) -> bool:
        """True when the cell has a number or a text standing in for one ("< 5")."""
        shown = series.shown is not None and series.shown[index] is not None
        return shown or series.values[index] is not None

    @property
    def summary(self) -> str:
        """The description given, or one written from the data (suppressed cells left out)."""
        if self.description:
            return self.description
        parts = []
        for one in self.series[:3]:
            known = [(v, i) for i, v in enumerate(one.values) if v is not None]
            if not known:
                continue
            high = max(known, key=lambda pair: pair[0])[1]
            low = min(known, key=lambda pair: pair[0])[1]
            parts.append(
                gettext(
                    "%(series)s: highest %(high_category)s (%(high)s), lowest %(low_category)s (%(low)s).",
                    series=one.name,
                    high_category=self.categories[high],
                    high=self.cell(one, high, unit=True),
                    low_category=self.categories[low],
                    low=self.cell(one, low, unit=True),
                )
            )
        if not parts:
            parts.append(gettext("No data"))
        parts.extend(self.gap_notes())
        parts.append(gettext("The figures are in the table below."))
        return " ".join(parts)

    def gaps(self, series: Series) -> list[int]:
        """The indexes of a line chart's cells not drawn because their count is hidden."""
        if self.kind != "line" or series.shown is None:
            return []
        return [
            i
            for i, (value, shown) in enumerate(zip(series.values, series.shown, strict=True))
            if value is None and shown is not None
        ]

    def gap_notes(self) -> list[str]:
        """One sentence per series of a line chart with hidden cells: where its line breaks."""
        notes = []
        for one in self.series:
            gaps = self.gaps(one)
            if gaps:
                shown = sorted({one.shown[i] for i in gaps})
                notes.append(
                    gettext(
                        "%(series)s: no point is drawn for %(categories)s (%(shown)s: too few to show).",
                        series=one.name,
                        categories=", ".join(self.categories[i] for i in gaps),
                        shown=", ".join(shown),
                    )
                )
        return notes

    def table(self) -> Table:
        unit = f" ({self.unit})" if self.unit else ""
        series = (f"{one.name}{unit}" for one in self.series)
        headers = (self.category_label or gettext("Category"), *series)
        rows = tuple(
            Row(category, tuple(self.cell(one, i) for one in self.series))
            for i, category in enumerate(self.categories)
        )
        caption = gettext("Figures for the chart: %(title)s", title=self.title)
        return Table(caption, headers, rows)

    def svg(self) -> Markup:
        """The picture as inline SVG markup; every text in it is escaped."""
        canvas = Canvas(self)
        if not any(self.cell_has_data(s, i) for s in self.series for i in range(len(s.values))):
            canvas.text(WIDTH / 2, LINE + PAD, gettext("No data"), anchor="middle", fill=MUTED)
            return canvas.render(LINE * 2)
        height = _draw_bars(self, canvas) if self.kind == "bar" else _draw_lines(self, canvas)
        return canvas.render(height)


def bar_chart(
    id: str, title: str, categories: Sequence[str], series: Sequence[Series], **options
) -> Chart:
    """Horizontal bars, one group per category; long category labels get their own line."""
    return Chart(id, "bar", title, categories, series, **options)


def line_chart(
    id: str, title: str, categories: Sequence[str], series: Sequence[Series], **options
) -> Chart:
    """Lines over ordered categories (months, quarters); a None value breaks the line."""
    return Chart(id, "line", title, categories, series, **options)


# --- drawing ---------------------------------------------------------------------------------


def _n(number: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, size: float = FONT) -> float:
    """Estimate the rendered width of text; generous, so labels never run into each other."""
    width = 0.0
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.combining(char):
            continue
        if char in "iljtfr.,:;'|! ()[]":
            width += 0.32
        elif char in "mwMW" or char.isupper():
            width += 0.75
        else:
            width += 0.54
    return width * size


def fit_lines(text: str, width: float, max_lines: int = 2) -> tuple[list[str], bool]:
    """Wrap text into at most max_lines lines of width; True when something was cut off."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if text_width(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    cut = len(lines) > max_lines
    lines = lines[:max_lines]
    if lines and (cut or text_width(lines[-1]) > width):
        last = lines[-1]
        while last and text_width(last + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
        cut = True
    return lines, cut


class Canvas:
    """Collects SVG elements; only numbers and validated ids ever go into attributes."""

    def __init__(self, chart: Chart):
        self.chart = chart
        self.parts: list[str] = []
        self.defs: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(self, x, y, text, *, anchor="start", fill=INK, size=FONT, full=None) -> None:
        # A cut-off label keeps its full text as a tooltip; the table has it too.
        tip = f"<title>{escape(full)}</title>" if full else ""
        self.add(
            f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}">{tip}{escape(text)}</text>'
        )

    def fill(self, index: int) -> str:
        """The fill of series index: a colour, or a pattern defined once in <defs>."""
        look = LOOKS[index % len(LOOKS)]
        if look.pattern == "solid":
            return look.colour
        pattern_id = f"{self.chart.id}-fill-{index}"
        if not any(pattern_id in d for d in self.defs):
            c = look.colour
            body = {
                "hatch": f'<path d="M0 0V6" stroke="{c}" stroke-width="3"/>',
                "dots": f'<circle cx="3" cy="3" r="1.8" fill="{c}"/>',
                "cross": f'<path d="M0 0V6M0 3H6" stroke="{c}" stroke-width="1.6"/>',
                "lines": f'<path d="M0 3H6" stroke="{c}" stroke-width="2.4"/>',
            }[look.pattern]
            rotate = ' patternTransform="rotate(45)"' if look.pattern in ("hatch", "cross") else ""
            self.defs.append(
                f'<pattern id="{pattern_id}" width="6" height="6" '
                f'patternUnits="userSpaceOnUse"{rotate}>'
                f'<rect width="6" height="6" fill="#fff"/>{body}</pattern>'
            )
        return f"url(#{pattern_id})"

    def gap_fill(self) -> str:
        """The hatching of a line chart's hidden cells, defined once in <defs>."""
        pattern_id = f"{self.chart.id}-gap"
        if not any(f'id="{pattern_id}"' in d for d in self.defs):
            # Thin dark lines (3:1 against white, WCAG 1.4.11) on a clear ground, so the grid
            # and the axis still show through.
            self.defs.append(
                f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)">'
                f'<path d="M0 0V8" stroke="{MUTED}" stroke-width="1"/></pattern>'
            )
        return f"url(#{pattern_id})"

    def marker(self, index: int, x: float, y: float) -> None:
        look = LOOKS[index % len(LOOKS)]
        c, s = look.colour, 4.5
        shapes = {
            "circle": f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{s}" fill="{c}"/>',
            "square": f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{2 * s}" '
            f'height="{2 * s}" fill="{c}"/>',
            "triangle": f'<path d="M{_n(x)} {_n(y - s - 1)}L{_n(x + s + 1)} {_n(y + s)}'
            f'H{_n(x - s - 1)}Z" fill="{c}"/>',
            "diamond": f'<path d="M{_n(x)} {_n(y - s - 1)}L{_n(x + s + 1)} {_n(y)}'
            f'L{_n(x)} {_n(y + s + 1)}L{_n(x - s - 1)} {_n(y)}Z" fill="{c}"/>',
        }
        self.add(shapes[look.marker])

    def legend(self, y: float, *, line: bool) -> float:
        """Draw the series names with their swatches from y; return the y below them."""
        if len(self.chart.series) < 2:
            return y
        x = PAD
        for index, one in enumerate(self.chart.series):
            swatch = 30 if line else 16
            label, _ = fit_lines(one.name, WIDTH - 2 * PAD - swatch - 6, max_lines=1)
            width = swatch + 6 + text_width(label[0]) + 16
            if x > PAD and x + width > WIDTH - PAD:
                x, y = PAD, y + LINE + 4
            middle = y + LINE / 2
            if line:
                look = LOOKS[index % len(LOOKS)]
                dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
                self.add(
                    f'<path d="M{_n(x)} {_n(middle)}H{_n(x + swatch)}" stroke="{look.colour}" '
                    f'stroke-width="2.5" fill="none"{dash}/>'
                )
                self.marker(index, x + swatch / 2, middle)
            else:
                self.add(
                    f'<rect x="{_n(x)}" y="{_n(middle - 7)}" width="14" height="14" '
                    f'fill="{self.fill(index)}" stroke="{LOOKS[index % len(LOOKS)].colour}" '
                    f'stroke-width="1.5"/>'
                )
            full = one.name if label[0] != one.name else None
            self.text(x + swatch + 6, middle + FONT * 0.35, label[0], full=full)
            x += width
        return y + LINE + 10

    def render(self, height: float) -> Markup:
        chart = self.chart
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return Markup(  # noqa: S704 - every text was escaped above; attributes are numbers and ids
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" role="img" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" '
            f'aria-labelledby="{chart.title_id}" aria-describedby="{chart.desc_id}">'
            f'<title id="{chart.title_id}">{escape(chart.title)}</title>'
            f'<desc id="{chart.desc_id}">{escape(chart.summary)}</desc>'
            f"{defs}{''.join(self.parts)}</svg>"
        )


def _scale_top(chart: Chart) -> float:
    known = [float(v) for s in chart.series for v in s.values if v is not None]
    top = max(known, default=0.0)
    if chart.scale_max is not None:
        top = max(top, float(chart.scale_max))
    return top


def _draw_bars(chart: Chart, canvas: Canvas) -> float:
    """Bars grow right from one baseline; the value is written at the end of each bar."""
    y = canvas.legend(PAD, line=False)
    labels = [
        [chart.cell(s, i, unit=True) for i in range(len(chart.categories))] for s in chart.series
    ]
    value_space = max(text_width(t) for row in labels for t in row) + 8
    room = max(WIDTH - 2 * PAD - value_space, WIDTH / 2)
    top = _scale_top(chart)
    first_bar = None
    for i, category in enumerate(chart.categories):
        lines, cut = fit_lines(category, WIDTH - 2 * PAD)
        for line in lines:
            y += LINE
            canvas.text(PAD, y - 4, line, full=category if cut else None)
        y += 4
        first_bar = y if first_bar is None else first_bar
        for s, one in enumerate(chart.series):
            value = one.values[i]
            length = 0.0
            if value is not None and top > 0:
                length = room * float(value) / top
            if length > 0:
                look = LOOKS[s % len(LOOKS)]
                canvas.add(
                    f'<rect class="chart__bar" x="{PAD}" y="{_n(y)}" width="{_n(length)}" '
                    f'height="{BAR}" fill="{canvas.fill(s)}" stroke="{look.colour}" '
                    f'stroke-width="1.5"/>'
                )
            canvas.text(
                PAD + length + 6,
                y + BAR / 2 + FONT * 0.35,
                labels[s][i],
                fill=INK if chart.cell_has_data(one, i) else MUTED,
            )
            y += BAR + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    if first_bar is not None:
        canvas.add(
            f'<path d="M{PAD} {_n(first_bar - 2)}V{_n(y - GROUP_GAP + 2)}" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
    return y - GROUP_GAP + PAD + 4


def nice_ticks(top: float, *, integers: bool, target: int = 4) -> list[float]:
    """Round tick values from 0 to at least top: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        top = 1.0
    raw = top / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integers:
        step = max(step, 1)
    count = math.ceil(top / step - 1e-9)
    return [step * k for k in range(count + 1)]


def _draw_lines(chart: Chart, canvas: Canvas) -> float:
    """One line per series over evenly spaced categories, ticks on a rounded value axis."""
    y = canvas.legend(PAD, line=True)
    integers = all(isinstance(v, int) for s in chart.series for v in s.values if v is not None)
    ticks = nice_ticks(_scale_top(chart), integers=integers)
    tick_labels = [chart.number(t) for t in ticks]
    left = PAD + max(text_width(t) for t in tick_labels) + 8
    plot_top = y + LINE  # room for the labels above the highest points
    bottom = plot_top + PLOT_HEIGHT
    width = WIDTH - left - PAD

    def to_y(value) -> float:
        return bottom - PLOT_HEIGHT * float(value) / ticks[-1]

    for tick, label in zip(ticks, tick_labels, strict=True):
        colour = INK if tick == 0 else GRID
        canvas.add(
            f'<path d="M{_n(left)} {_n(to_y(tick))}H{_n(WIDTH - PAD)}" stroke="{colour}" '
            f'stroke-width="1"/>'
        )
        canvas.text(left - 6, to_y(tick) + FONT * 0.35, label, anchor="end")

    count = len(chart.categories)
    slot = width / count

    def to_x(index: int) -> float:
        return left + slot * (index + 0.5)

    gap_labels = _gap_labels(chart)
    for i, label in gap_labels.items():
        # Hatch the category's slot from the axis up, and write what stands in for the number
        # above it: the line is broken there because the count is hidden, not because it is 0.
        canvas.add(
            f'<rect class="chart__gap" x="{_n(to_x(i) - slot / 2 + 1)}" y="{_n(plot_top)}" '
            f'width="{_n(max(slot - 2, 1))}" height="{PLOT_HEIGHT}" fill="{canvas.gap_fill()}"/>'
        )
        if text_width(label, GAP_FONT) <= slot:
            canvas.text(to_x(i), plot_top - 5, label, anchor="middle", fill=MUTED, size=GAP_FONT)

    # Label every step-th category so that the labels never overlap; the table has them all.
    widest = max(text_width(c) for c in chart.categories)
    step = max(1, math.ceil((min(widest, 110) + 8) / slot))
    for i in range(0, count, step):
        lines, cut = fit_lines(chart.categories[i], slot * step - 4, max_lines=1)
        full = chart.categories[i] if cut else None
        canvas.text(to_x(i), bottom + LINE, lines[0], anchor="middle", full=full)

    single = len(chart.series) == 1
    for s, one in enumerate(chart.series):
        look = LOOKS[s % len(LOOKS)]
        dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
        runs: list[list[str]] = [[]]
        for i, value in enumerate(one.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{_n(to_x(i))},{_n(to_y(value))}")
        for run in runs:
            if len(run) > 1:
                canvas.add(
                    f'<polyline class="chart__line" points="{" ".join(run)}" fill="none" '
                    f'stroke="{look.colour}" stroke-width="2.5"{dash}/>'
                )
        for i, value in enumerate(one.values):
            if value is not None:
                canvas.marker(s, to_x(i), to_y(value))
            # With one series there is room to write each value by its point (a hidden one is
            # written above its hatched slot already).
            label = chart.cell(one, i, unit=True)
            if single and value is not None and text_width(label) <= slot - 2:
                canvas.text(to_x(i), to_y(value) - 9, label, anchor="middle")
    y = bottom + LINE + 8
    if gap_labels:
        y = _gap_key(chart, canvas, y, sorted(set(gap_labels.values())))
    return y


def _gap_labels(chart: Chart) -> dict[int, str]:
    """The categories where some series is not drawn because its count is hidden, each with
    the text standing in for it ("< 5")."""
    labels: dict[int, str] = {}
    for one in chart.series:
        for i in chart.gaps(one):
            labels.setdefault(i, one.shown[i])
    return dict(sorted(labels.items()))


def _gap_key(chart: Chart, canvas: Canvas, y: float, shown: list[str]) -> float:
    """Explain the hatching under the picture; return the y below the key."""
    swatch = 16
    text = gettext("Hatched: too few to show (%(shown)s), no point drawn.", shown=", ".join(shown))
    lines, cut = fit_lines(text, WIDTH - 2 * PAD - swatch - 6)
    canvas.add(
        f'<rect x="{PAD}" y="{_n(y + LINE / 2 - 7)}" width="14" height="14" '
        f'fill="{canvas.gap_fill()}" stroke="{MUTED}" stroke-width="1"/>'
    )
    for line in lines:
        y += LINE
        canvas.text(PAD + swatch + 6, y - 4, line, fill=MUTED, full=text if cut else None)
    return y + PAD + 4
