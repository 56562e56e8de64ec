"""Self-contained HTML reports: tables and bar charts (inline SVG, no plotting dependency).

Every stage that produces numbers people compare (verification batches now; generation,
scoring and comparisons later) renders them through these few helpers so the reports look
alike and open anywhere without a server or a network.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from ..artifacts import atomic_write
from .browse import SCRIPT as BROWSE_SCRIPT
from .browse import STYLE as BROWSE_STYLE
from .browse import DataTable, render_data_table

__all__ = ["BarChart", "DataTable", "Figures", "Report", "Table", "Text", "bar_svg"]

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f7f7f7;padding:.5em;overflow-x:auto;font-size:90%}.muted{color:#777}
"""


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[object]]


@dataclass
class BarChart:
    title: str
    bars: list[tuple[str, float]]
    unit: str = ""


@dataclass
class Text:
    title: str
    body: str
    preformatted: bool = False


@dataclass
class Figures:
    """Pictures (paths relative to the report, or data: URIs) with captions."""

    title: str
    images: list[tuple[str, str]]  # (src, caption)


@dataclass
class Report:
    title: str
    sections: list[object] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def add(self, section) -> "Report":
        self.sections.append(section)
        return self

    def render(self) -> str:
        browsable = any(isinstance(s, DataTable) for s in self.sections)
        style = _STYLE + (BROWSE_STYLE if browsable else "")
        parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(self.title)}</title>"
                 f"<style>{style}</style></head><body><h1>{_e(self.title)}</h1>"]
        if self.meta:
            parts.append("<p class='muted'>" + " · ".join(f"{_e(k)}: {_e(v)}" for k, v in self.meta.items()) + "</p>")
        for i, s in enumerate(self.sections):
            parts.append(render_data_table(s, i) if isinstance(s, DataTable) else _render(s))
        if browsable:
            parts.append(f"<script>{BROWSE_SCRIPT}</script>")
        parts.append("</body></html>")
        return "\n".join(parts)

    def write(self, path: str | Path) -> Path:
        return atomic_write(path, self.render())  # never leave a half-written report behind


def _e(v: object) -> str:
    return html.escape(str(v))


def _render(s) -> str:
    if isinstance(s, Table):
        head = "".join(f"<th>{_e(c)}</th>" for c in s.columns)
        body = "".join("<tr>" + "".join(
            f"<td class='num'>{_e(v)}</td>" if isinstance(v, (int, float)) else f"<td>{_e(v)}</td>" for v in row)
            + "</tr>" for row in s.rows)
        return f"<h2>{_e(s.title)}</h2><table><tr>{head}</tr>{body}</table>"
    if isinstance(s, BarChart):
        return f"<h2>{_e(s.title)}</h2>" + bar_svg(s.bars, s.unit)
    if isinstance(s, Text):
        inner = f"<pre>{_e(s.body)}</pre>" if s.preformatted else f"<p>{_e(s.body)}</p>"
        return f"<h2>{_e(s.title)}</h2>{inner}"
    if isinstance(s, Figures):
        figs = "".join(f"<figure style='display:inline-block;margin:.5em'><img src='{_e(src)}' alt='{_e(cap)}' "
                       f"style='max-width:100%'><figcaption>{_e(cap)}</figcaption></figure>" for src, cap in s.images)
        return f"<h2>{_e(s.title)}</h2>" + (figs or "<p class='muted'>none</p>")
    raise TypeError(f"cannot render {type(s).__name__}")


def bar_svg(bars: list[tuple[str, float]], unit: str = "", width: int = 560) -> str:
    """Horizontal bars with labels and values."""
    if not bars:
        return "<p class='muted'>no data</p>"
    top = max(v for _, v in bars) or 1
    row, label_w = 26, 220
    h = row * len(bars) + 10
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{h}' role='img'>"]
    for i, (label, v) in enumerate(bars):
        y = 5 + i * row
        w = (width - label_w - 80) * (v / top)
        out.append(f"<text x='{label_w - 6}' y='{y + 16}' text-anchor='end' font-size='13'>{_e(label)}</text>")
        out.append(f"<rect x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{row - 8}' fill='#4a7fb5'/>")
        out.append(f"<text x='{label_w + w + 5:.1f}' y='{y + 16}' font-size='12'>{_e(_num(v))}{_e(unit)}</text>")
    out.append("</svg>")
    return "".join(out)


def _num(v: float) -> str:
    return f"{v:.3g}" if isinstance(v, float) and not v.is_integer() else f"{int(v)}"
