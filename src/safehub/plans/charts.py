"""Charts for progress reports as plain SVG strings: no JavaScript, no style attributes.

Pure functions: counts or points in, markup out. Text is escaped; the caller marks the result
safe. Each chart carries a <title> and a text equivalent is always printed beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

from safehub.plans.rules import RAG_ORDER, Rag

# GOV.UK colours, with text labels so colour is never the only cue.
RAG_FILL = {Rag.RED: "#d4351c", Rag.AMBER: "#f47738", Rag.GREEN: "#00703c", Rag.BLUE: "#1d70b8"}
INK = "#0b0c0c"


def rag_bars(counts: Mapping[Rag, int], *, width: int = 480, bar_height: int = 28) -> str:
    """A horizontal bar per RAG rating, worst first, with its label and count."""
    label_width, gap = 110, 8
    top = max(counts.values(), default=0) or 1
    usable = width - label_width - 50
    height = len(RAG_ORDER) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="rag-bars-title">',
        '<title id="rag-bars-title">Actions by RAG rating</title>',
    ]
    for i, rating in enumerate(RAG_ORDER):
        n = counts.get(rating, 0)
        y = gap + i * (bar_height + gap)
        length = round(usable * n / top)
        text_y = y + bar_height * 0.7
        parts.append(
            f'<text x="0" y="{text_y:.0f}" font-size="16" fill="{INK}">'
            f"{escape(rating.label)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{RAG_FILL[rating]}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{text_y:.0f}" font-size="16" '
            f'fill="{INK}">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_line(
    points: Sequence[tuple[date, float]], *, title: str, width: int = 320, height: int = 120
) -> str:
    """A measure's readings over time as a line with a dot per reading; empty under one point."""
    if not points:
        return ""
    pad = 24
    days = [p[0].toordinal() for p in points]
    values = [p[1] for p in points]
    d_lo, d_hi = min(days), max(days)
    v_lo, v_hi = min(values + [0.0]), max(values)
    d_span = (d_hi - d_lo) or 1
    v_span = (v_hi - v_lo) or 1

    def xy(day: int, value: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (day - d_lo) / d_span
        y = height - pad - (height - 2 * pad) * (value - v_lo) / v_span
        return x, y

    coords = [xy(d, v) for d, v in zip(days, values, strict=True)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        f'stroke="{INK}" stroke-width="1"/>',
        f'<polyline points="{path}" fill="none" stroke="{RAG_FILL[Rag.BLUE]}" stroke-width="3"/>',
    ]
    for x, y in coords:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{RAG_FILL[Rag.BLUE]}"/>')
    first, last = points[0], points[-1]
    parts.append(
        f'<text x="{pad}" y="{height - 6}" font-size="12" fill="{INK}">{first[0]:%d %b %Y}</text>'
    )
    parts.append(
        f'<text x="{width - pad}" y="{height - 6}" font-size="12" fill="{INK}" '
        f'text-anchor="end">{last[0]:%d %b %Y}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
