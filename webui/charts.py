"""Server-side SVG charts (no script, so they pass the pages' content security policy and print well).

>>> svg = bar_chart(["2026-11-02", "2026-11-09"], {"tv": [3, 5]})
>>> svg.startswith("<svg") and "tv" in svg
True
>>> import re; re.findall(r'class="axis">(\\d+)<', bar_chart(["2026-11-02"], {"tv": [1]}))
['0', '1']
"""

from markupsafe import escape

PALETTE = ["#0b5cad", "#e07a1f", "#2e8540", "#a23b72", "#5f6b7a", "#c9a227", "#3a9bdc", "#8c564b"]


def bar_chart(weeks, series, highlight=None, width=720, height=220, title="chart"):
    """Stacked weekly bars, one colour per series; ``highlight`` is a week index drawn with a red outline."""
    n = max(len(weeks), 1)
    totals = [sum(s[i] for s in series.values()) for i in range(len(weeks))] or [0]
    top = max(max(totals), 1)
    left, bottom, bar_gap = 36, 28, 6
    bar_w = (width - left - 10) / n - bar_gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20 * ((len(series) + 3) // 4)}" '
             f'role="img" aria-label="{escape(title)}" class="chart">']
    for tick in sorted({0, top // 2, top}):  # whole numbers, each once (a top of 1 has no half-way tick)
        y = height - bottom - tick / top * (height - bottom - 10)
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">{tick}</text>')
    for i, week in enumerate(weeks):
        x, y = left + i * (bar_w + bar_gap) + bar_gap / 2, height - bottom
        for k, (name, values) in enumerate(series.items()):
            h = values[i] / top * (height - bottom - 10)
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                         f'<title>{escape(name)} {escape(week)}: {values[i]}</title></rect>')
        if highlight == i:
            parts.append(f'<rect x="{x - 2:.1f}" y="{y - 2:.1f}" width="{bar_w + 4:.1f}" height="{height - bottom - y + 2:.1f}" '
                         f'class="spike-mark"/>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" text-anchor="middle" class="axis">{escape(week[5:])}</text>')
    for k, name in enumerate(series):
        x, y = left + (k % 4) * 170, height + 8 + 20 * (k // 4)
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>'
                     f'<text x="{x + 14}" y="{y + 9}" class="legend">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
