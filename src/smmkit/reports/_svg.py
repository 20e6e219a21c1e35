"""Inline SVG charts: scalable (``viewBox``, width 100%), no script, every text escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["bars", "cumulative", "heatmap", "line"]

_BLUE, _GREY, _RED, _GREEN = "#2f6fbf", "#9aa5b1", "#c0392b", "#1e7b34"


def _open(width: int, height: int, label: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-label="{escape(label)}">'
    )


def bars(
    items: Sequence[tuple[str, float, str]],
    label: str,
    *,
    second: Sequence[tuple[float, str]] | None = None,
    legend: tuple[str, str] | None = None,
) -> str:
    """Horizontal bars: (label, value, shown value) per row; ``second`` draws a thinner bar per
    row under the first (e.g. planned vs spent). Negative values extend left of the axis."""
    row = 30 if second is None else 40
    width, left, right = 640, 170, 90
    top = 24 if legend else 6
    height = top + row * max(len(items), 1) + 6
    values = [abs(v) for _, v, _ in items] + [abs(v) for v, _ in second or ()]
    peak = max(values, default=0.0) or 1.0
    has_neg = any(v < 0 for _, v, _ in items)
    span = width - left - right
    zero = left + (span / 2 if has_neg else 0)
    scale = (span / 2 if has_neg else span) / peak
    out = [_open(width, height, label)]
    if legend:
        out.append(f'<rect x="{left}" y="6" width="12" height="10" fill="{_BLUE}"/>')
        out.append(f'<text x="{left + 16}" y="15" font-size="11">{escape(legend[0])}</text>')
        out.append(f'<rect x="{left + 200}" y="6" width="12" height="10" fill="{_GREY}"/>')
        out.append(f'<text x="{left + 216}" y="15" font-size="11">{escape(legend[1])}</text>')
    for i, (name, value, shown) in enumerate(items):
        y = top + i * row
        out.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"{escape(name[:24])}</text>"
        )
        w = max(1.5, abs(value) * scale)
        x = zero - w if value < 0 else zero
        fill = _RED if value < 0 else _BLUE
        out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="14" fill="{fill}"/>')
        tx = max(zero, x + w) + 4
        out.append(f'<text x="{tx:.1f}" y="{y + 15}" font-size="11">{escape(shown)}</text>')
        if second is not None and i < len(second):
            v2, shown2 = second[i]
            w2 = max(1.5, abs(v2) * scale)
            out.append(
                f'<rect x="{zero:.1f}" y="{y + 21}" width="{w2:.1f}" height="9" fill="{_GREY}"/>'
            )
            out.append(
                f'<text x="{zero + w2 + 4:.1f}" y="{y + 30}" font-size="10" fill="#555">'
                f"{escape(shown2)}</text>"
            )
    out.append(
        f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{height - 4}" stroke="#555"/>'
    )
    out.append("</svg>")
    return "".join(out)


def line(
    values: Sequence[float], label: str, *, mark: int | None = None, mark_label: str = ""
) -> str:
    """A line over ``values`` with an optional marked point."""
    width, height, pad = 640, 150, 10
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    span = (hi - lo) or 1.0
    n = len(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (i / max(n - 1, 1))
        return x, height - pad - (height - 2 * pad) * ((v - lo) / span)

    out = [_open(width, height, label)]
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
    out.append(f'<polyline fill="none" stroke="{_BLUE}" stroke-width="2" points="{pts}"/>')
    if mark is not None and 0 <= mark < n:
        x, y = xy(mark, values[mark])
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{_RED}">'
            f"<title>{escape(mark_label)}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


def heatmap(
    cells: Mapping[tuple[int, int], float],
    label: str,
    weekdays: Sequence[str],
    shown: Mapping[tuple[int, int], str],
) -> str:
    """Weekday (rows, 0 = Monday) by hour (columns) heat map; darker is better."""
    size, left, top = 22, 44, 16
    width, height = left + 24 * size, top + 7 * size + 2
    vals = list(cells.values())
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    span = (hi - lo) or 1.0
    out = [_open(width, height, label)]
    for hour in range(0, 24, 3):
        out.append(f'<text x="{left + hour * size + 2}" y="11" font-size="10">{hour:02d}</text>')
    for day in range(7):
        y = top + day * size
        out.append(f'<text x="0" y="{y + 15}" font-size="11">{escape(weekdays[day][:4])}</text>')
        for hour in range(24):
            v = cells.get((day, hour))
            if v is None:
                fill = "#f1f3f5"
            else:
                t = (v - lo) / span
                fill = f"rgb({int(230 - 190 * t)},{int(240 - 130 * t)},{int(250 - 60 * t)})"
            title = escape(shown.get((day, hour), ""))
            out.append(
                f'<rect x="{left + hour * size}" y="{y}" width="{size - 2}" height="{size - 2}" '
                f'fill="{fill}"><title>{title}</title></rect>'
            )
    out.append("</svg>")
    return "".join(out)


def cumulative(
    planned: Sequence[float],
    spent: Sequence[float],
    label: str,
    *,
    legend: tuple[str, str],
    ticks: Sequence[tuple[int, str]] = (),
) -> str:
    """Two running totals over the same days: planned (grey, dashed, the whole period) and spent
    (blue, up to the last day with data); ``ticks`` label some days on the x axis."""
    width, height, left, pad, top = 640, 190, 22, 16, 24
    n = max(len(planned), len(spent), 2)
    run_p = _running(planned)
    run_s = _running(spent)
    peak = max([*run_p, *run_s, 0.0]) or 1.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (width - left - pad) * (i / (n - 1))
        return x, height - 22 - (height - 22 - top) * (v / peak)

    out = [_open(width, height, label)]
    out.append(
        f'<line x1="{left}" y1="{height - 22}" x2="{width - pad}" y2="{height - 22}" '
        'stroke="#555"/>'
    )
    for i, text in ticks:
        x, _ = xy(i, 0)
        out.append(
            f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    out.append(f'<rect x="{left}" y="4" width="12" height="10" fill="{_GREY}"/>')
    out.append(f'<text x="{left + 16}" y="13" font-size="11">{escape(legend[0])}</text>')
    out.append(f'<rect x="{left + 200}" y="4" width="12" height="10" fill="{_BLUE}"/>')
    out.append(f'<text x="{left + 216}" y="13" font-size="11">{escape(legend[1])}</text>')
    for values, color, dash in ((run_p, _GREY, ' stroke-dasharray="5 3"'), (run_s, _BLUE, "")):
        if values:
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
            out.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2"{dash} points="{pts}"/>'
            )
    out.append("</svg>")
    return "".join(out)


def _running(values: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for v in values:
        total += v
        out.append(total)
    return out
