"""Small server-rendered SVG charts for the problem profile (bars and columns).

Each chart is an accessible image (role="img", a <title> and a <desc>) and every chart sits
beside the table of the same figures, so no one depends on the picture. Presentation
attributes only (no inline styles or scripts), for the strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

BAR = "#1d70b8"
MUTED = "#b1b4b6"
TEXT = "#0b0c0c"


def _num(value: int | str) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _describe(labels: Sequence[str], values: Sequence[int | str]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[int | str], *, width: int = 560
) -> str:
    """Horizontal bars, one per label. A suppressed value (text) is drawn as a grey stub."""
    row = 26
    left = 200
    height = row * len(labels) + 30
    top = max([_num(v) for v in values] + [1.0])
    scale = (width - left - 70) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" class="app-chart">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
        )
        + "</desc>",
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 10 + index * row
        number = _num(value)
        bar = max(number * scale, 2.0)
        fill = BAR if isinstance(value, int | float) else MUTED
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(str(label)[:30])}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{bar:.1f}" height="{row - 8}" fill="{fill}"/>'
        )
        parts.append(
            f'<text x="{left + bar + 6:.1f}" y="{y + 16}" font-size="13" fill="{TEXT}">'
            f"{escape(str(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int | str],
    *,
    width: int = 640,
    height: int = 220,
) -> str:
    """Vertical columns over time (months, hours, weekdays)."""
    bottom = height - 40
    count = max(len(labels), 1)
    step = (width - 60) / count
    top = max([_num(v) for v in values] + [1.0])
    scale = (bottom - 20) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" class="app-chart">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
        )
        + "</desc>",
        f'<line x1="40" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="{TEXT}"/>',
        f'<text x="36" y="{bottom}" text-anchor="end" font-size="11" fill="{TEXT}">0</text>',
        f'<text x="36" y="24" text-anchor="end" font-size="11" fill="{TEXT}">{top:g}</text>',
    ]
    label_every = max(1, count // 12)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = 44 + index * step
        h = _num(value) * scale
        fill = BAR if isinstance(value, int | float) else MUTED
        parts.append(
            f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{max(step - 4, 1):.1f}" '
            f'height="{h:.1f}" fill="{fill}"><title>{escape(f"{label}: {value}")}</title></rect>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{bottom + 16}" text-anchor="middle" '
                f'font-size="11" fill="{TEXT}">{escape(str(label))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
