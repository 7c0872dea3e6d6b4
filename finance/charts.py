"""Charts drawn by the product as inline SVG: geometry computed here, markup in
``finance/templates/finance/budget/_bar_chart.svg``. No JavaScript, no external
service; the page shows the same numbers in a table next to the chart."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from documents.formatting import format_amount

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart also by
# their order in each group and the legend.
SERIES_COLOURS = ("#0b4f8a", "#b35900", "#1e6b2f", "#6a3d9a")

LABEL_WIDTH = 170  # room for the group label left of the bars
PLOT_WIDTH = 520
VALUE_WIDTH = 130  # room for the value printed after each bar
BAR_HEIGHT = 14
BAR_GAP = 2
GROUP_GAP = 16
TOP = 36  # room for the legend
AXIS_HEIGHT = 24
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    series: str
    value: str  # formatted amount
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: int
    label: str


@dataclass(frozen=True)
class LegendItem:
    x: int
    colour: str
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_bottom: int
    groups: list[Group]
    ticks: list[Tick]
    legend: list[LegendItem]


def _nice_maximum(value: Decimal) -> Decimal:
    """The axis end: ``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    base = Decimal(10) ** exponent
    for step in (1, 2, 5, 10):
        if value <= step * base:
            return (step * base).quantize(Decimal(1), rounding=ROUND_CEILING)
    return 10 * base  # pragma: no cover - the loop always returns


def grouped_bars(*, groups: list[tuple[str, list[Decimal]]], series: list[str]) -> BarChart | None:
    """Horizontal bars, one group per label with one bar per series; ``None`` when
    there is nothing to draw."""
    if not groups:
        return None
    top_value = max((max(values) for _label, values in groups), default=Decimal(0))
    maximum = _nice_maximum(Decimal(top_value))
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    y = TOP
    drawn = []
    for label, values in groups:
        bars = []
        for i, (name, value) in enumerate(zip(series, values, strict=True)):
            width = int(Decimal(max(value, 0)) * PLOT_WIDTH / maximum)
            bar_y = y + i * (BAR_HEIGHT + BAR_GAP)
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=bar_y,
                    width=width,
                    height=BAR_HEIGHT,
                    colour=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                    series=name,
                    value=format_amount(value),
                    text_x=LABEL_WIDTH + width + 4,
                    text_y=bar_y + BAR_HEIGHT - 3,
                )
            )
        drawn.append(Group(label=label, label_y=y + group_height // 2 + 4, bars=bars))
        y += group_height + GROUP_GAP
    plot_bottom = y - GROUP_GAP + 4
    ticks = [
        Tick(
            x=LABEL_WIDTH + PLOT_WIDTH * i // TICKS,
            label=format_amount(maximum * i / TICKS),
        )
        for i in range(TICKS + 1)
    ]
    legend = [
        LegendItem(x=LABEL_WIDTH + i * 130, colour=colour, label=name)
        for i, (name, colour) in enumerate(zip(series, SERIES_COLOURS, strict=False))
    ]
    return BarChart(
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=plot_bottom + AXIS_HEIGHT,
        plot_left=LABEL_WIDTH,
        plot_top=TOP - 4,
        plot_bottom=plot_bottom,
        groups=drawn,
        ticks=ticks,
        legend=legend,
    )
