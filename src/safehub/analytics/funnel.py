"""Server-rendered SVG charts for the scale comparison: the funnel plot and rates over time.

Each chart carries a <title> and <desc> (read by screen readers, via aria-labelledby), tells
areas apart by shape as well as colour, and is always shown with a table of the same figures
beside it. Text is escaped; the SVG holds only published aggregates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from safehub.analytics.comparators import funnel_curve
from safehub.analytics.scale_selectors import Comparison, SeriesYear

WIDTH, HEIGHT = 720, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 20, 56
BLACK, BLUE, RED, GREY = "#0b0c0c", "#1d70b8", "#d4351c", "#b1b4b6"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _svg(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="safehub-chart" data-testid="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text escaped above


def _marker(shape: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if shape == "diamond":
        points = f"{x},{y - 8} {x + 8},{y} {x},{y + 8} {x - 8},{y}"
        return f'<polygon points="{points}" fill="{colour}" stroke="{BLACK}">{tip}</polygon>'
    if shape == "square":
        return (
            f'<rect x="{x - 5}" y="{y - 5}" width="10" height="10" fill="{colour}" '
            f'stroke="{BLACK}">{tip}</rect>'
        )
    return f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}" fill-opacity="0.6">{tip}</circle>'


def funnel_svg(comparison: Comparison) -> SafeString:
    """Every authority's rate against its child population, with England's rate and the 95%
    and 99.8% control limits. Home is a diamond, neighbours squares, others dots."""
    points = [a for a in comparison.authorities if a.rate is not None]
    target = comparison.target
    label = comparison.factor_label
    title = f"Funnel plot: {label}, year ending March {comparison.year}"
    if target is None or not points:
        return _svg("funnel", title, "No figures to plot for this year.", [])
    smallest = min(a.population or 1 for a in points)
    largest = max(a.population or 1 for a in points)
    curve = funnel_curve(target, smallest, largest)
    # Scaled to the areas, not to the limits of the smallest (which run off the top: clipped).
    y_max = _nice_max(max(max(a.rate or 0 for a in points), target * 2) * 1.05)
    lx, ly = math.log10(smallest), math.log10(largest)

    def x(pop: float) -> float:
        return round(LEFT + (math.log10(pop) - lx) / (ly - lx or 1) * (WIDTH - LEFT - RIGHT), 1)

    def y(value: float) -> float:
        return round(TOP + (1 - min(value, y_max) / y_max) * (HEIGHT - TOP - BOTTOM), 1)

    body = _axes(y_max, "Rate per 10,000 children")
    for pop in _log_ticks(smallest, largest):
        body.append(
            f'<text x="{x(pop)}" y="{HEIGHT - BOTTOM + 18}" font-size="12" '
            f'text-anchor="middle">{pop:,}</text>'
        )
    body.append(
        f'<text x="{(WIDTH + LEFT) / 2}" y="{HEIGHT - 10}" font-size="13" text-anchor="middle">'
        "Children aged 0 to 17 (log scale)</text>"
    )
    for level, dash in ((0.95, "6 4"), (0.998, "2 3")):
        for side in ("low", "high"):
            path = " ".join(f"{x(p.population)},{y(getattr(p.limits[level], side))}" for p in curve)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{BLACK}" '
                f'stroke-dasharray="{dash}" stroke-width="1.5"/>'
            )
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target)}" y2="{y(target)}" '
        f'stroke="{BLACK}" stroke-width="2"/>'
    )
    neighbour_codes = {n.code for n in comparison.neighbours}
    ordered = sorted(
        points, key=lambda a: (a.code == comparison.home.code, a.code in neighbour_codes)
    )
    for area in ordered:
        assert area.population is not None and area.rate is not None
        text = f"{area.name}: {area.rate:.1f} per 10,000 ({area.count:,} of {area.population:,})"
        if area.code == comparison.home.code:
            body.append(_marker("diamond", x(area.population), y(area.rate), RED, text))
        elif area.code in neighbour_codes:
            body.append(_marker("square", x(area.population), y(area.rate), BLUE, text))
        else:
            body.append(_marker("dot", x(area.population), y(area.rate), GREY, text))
    body.append(_legend())
    home = comparison.home
    where = comparison.position(home)
    desc = (
        f"{len(points)} authorities. England's rate {target:.1f} per 10,000 is the centre line; "
        "dashed lines are the 95% limits and dotted lines the 99.8% limits. "
        + (
            f"{home.name} ({home.rate:.1f}) is {_words(where)}."
            if home.rate is not None
            else f"{home.name} has no rate this year ({home.why_no_rate})."
        )
        + " The table below the chart gives every figure."
    )
    return _svg("funnel", title, desc, body)


def _words(position: str) -> str:
    """ "above 99.8%" -> "above the 99.8% limit"; "within" -> "within the limits"."""
    if position in ("", "within"):
        return "within the limits"
    side, level = position.split(" ", 1)
    return f"{side} the {level} limit"


def _legend() -> str:
    items = [
        _marker("diamond", LEFT + 16, TOP + 10, RED, "Home authority")
        + f'<text x="{LEFT + 30}" y="{TOP + 14}" font-size="12">Home</text>',
        _marker("square", LEFT + 86, TOP + 10, BLUE, "Statistical neighbour")
        + f'<text x="{LEFT + 98}" y="{TOP + 14}" font-size="12">Neighbour</text>',
        _marker("dot", LEFT + 176, TOP + 10, GREY, "Other authority")
        + f'<text x="{LEFT + 186}" y="{TOP + 14}" font-size="12">Other</text>',
        f'<line x1="{LEFT + 236}" x2="{LEFT + 262}" y1="{TOP + 10}" y2="{TOP + 10}" '
        f'stroke="{BLACK}" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + 268}" y="{TOP + 14}" font-size="12">95%</text>',
        f'<line x1="{LEFT + 306}" x2="{LEFT + 332}" y1="{TOP + 10}" y2="{TOP + 10}" '
        f'stroke="{BLACK}" stroke-dasharray="2 3"/>'
        f'<text x="{LEFT + 338}" y="{TOP + 14}" font-size="12">99.8%</text>',
    ]
    return '<g aria-hidden="true">' + "".join(items) + "</g>"


def _log_ticks(smallest: int, largest: int) -> list[int]:
    ticks = []
    power = 10 ** math.floor(math.log10(max(smallest, 1)))
    while power <= largest:
        for step in (1, 2, 5):
            value = step * power
            if smallest <= value <= largest:
                ticks.append(value)
        power *= 10
    return ticks


def _axes(y_max: float, y_label: str) -> list[str]:
    body = [
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="{BLACK}"/>',
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" '
        f'stroke="{BLACK}"/>',
        f'<text x="16" y="{(HEIGHT - BOTTOM + TOP) / 2}" font-size="13" text-anchor="middle" '
        f'transform="rotate(-90 16 {(HEIGHT - BOTTOM + TOP) / 2})">{escape(y_label)}</text>',
    ]
    for i in range(6):
        value = y_max * i / 5
        yy = round(TOP + (1 - i / 5) * (HEIGHT - TOP - BOTTOM), 1)
        body.append(
            f'<line x1="{LEFT - 4}" x2="{WIDTH - RIGHT}" y1="{yy}" y2="{yy}" stroke="{GREY}" '
            'stroke-width="0.5"/>'
            f'<text x="{LEFT - 8}" y="{yy + 4}" font-size="12" text-anchor="end">{value:g}</text>'
        )
    return body


def series_svg(rows: Sequence[SeriesYear], factor_label: str, home_name: str) -> SafeString:
    """Rates over the years: home (solid, diamonds), neighbour median (dashed, squares),
    region (dotted) and England (solid grey). A year with no rate breaks the line."""
    title = f"{factor_label}: rate per 10,000 children by reporting year"
    lines: list[tuple[str, str, str, str, list[float | None]]] = [
        (home_name, RED, "", "diamond", [r.home.rate for r in rows]),
        ("Neighbour median", BLUE, "6 4", "square", [r.summary.median for r in rows]),
        ("Region", BLACK, "2 3", "dot", [r.region.rate if r.region else None for r in rows]),
        ("England", "#505a5f", "", "dot", [r.england.rate for r in rows]),
    ]
    known = [v for *_, values in lines for v in values if v is not None]
    if not rows or not known:
        return _svg("series", title, "No rates to plot.", [])
    y_max = _nice_max(max(known) * 1.1)
    step = (WIDTH - LEFT - RIGHT - 40) / max(len(rows) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + 20 + i * step, 1)

    def y(value: float) -> float:
        return round(TOP + (1 - value / y_max) * (HEIGHT - TOP - BOTTOM), 1)

    body = _axes(y_max, "Rate per 10,000 children")
    for i, r in enumerate(rows):
        body.append(
            f'<text x="{x(i)}" y="{HEIGHT - BOTTOM + 18}" font-size="12" text-anchor="middle">'
            f"{r.year - 1}-{str(r.year)[2:]}</text>"
        )
    for name, colour, dash, shape, values in lines:
        segment: list[str] = []
        for i, value in enumerate([*values, None]):
            if value is not None:
                segment.append(f"{x(i)},{y(value)}")
                continue
            if len(segment) > 1:
                body.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="{dash or "none"}"/>'
                )
            segment = []
        for i, value in enumerate(values):
            if value is not None:
                body.append(
                    _marker(shape, x(i), y(value), colour, f"{name} {rows[i].year}: {value:.1f}")
                )
    desc = (
        f"{factor_label} per 10,000 children for {home_name}, the statistical neighbours' "
        "median, the region and England, for each reporting year ending in March. "
        "The table beside the chart gives every figure."
    )
    return _svg("series", title, desc, body)
