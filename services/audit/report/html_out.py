"""HTML: the notice itself, in Chinese, with charts embedded as PNG data URIs (one self-contained file)."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from services.audit.report.build import MIN_CLOSED_TO_RANK, QuarterReport, Scope
from services.audit.report.charts import rates_chart, ratings_chart

COLUMNS = [
    ("收件", "received"),
    ("办结", "closed"),
    ("办结率", "completion_rate"),
    ("即办件率", "immediate_rate"),
    ("按时办结率", "on_time_rate"),
    ("提前办结率", "early_rate"),
    ("平均用时", "avg_workdays"),
    ("评议率", "rating_rate"),
    ("满意率", "satisfaction_rate"),
    ("黄牌", "yellow_cards"),
    ("红牌", "red_cards"),
    ("超期", "overdue"),
    ("投诉", "complaints"),
]


def _pct(text: str) -> float:
    return float(text.rstrip("%")) if text.endswith("%") else 0.0


def _table(scopes: Sequence[Scope]) -> Markup:
    head = "".join(f"<th>{h}</th>" for h, _ in COLUMNS)
    rows = "".join(
        f"<tr><td>{Markup.escape(s.name)}</td>"
        + "".join(f'<td class="n">{getattr(s.metrics, k)}</td>' for _, k in COLUMNS)
        + "</tr>\n"
        for s in scopes
    )
    return Markup(f"<table><tr><th>单位</th>{head}</tr>\n{rows}</table>")


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def charts(r: QuarterReport) -> dict[str, str]:
    active = [w for w in r.windows if w.metrics.received or w.metrics.closed]
    series = lambda ss: {  # noqa: E731
        "办结率": [_pct(s.metrics.completion_rate) for s in ss],
        "按时办结率": [_pct(s.metrics.on_time_rate) for s in ss],
        "满意率": [_pct(s.metrics.satisfaction_rate) for s in ss],
    }
    return {
        "townships": _b64(
            rates_chart(
                "各乡镇办结率、按时办结率和满意率", [s.name for s in r.townships], series(r.townships)
            )
        ),
        "windows": _b64(
            rates_chart("各窗口办结率、按时办结率和满意率", [s.name for s in active], series(active))
        ),
        "ratings": _b64(ratings_chart("评价分布", dict(r.ratings))),
    }


def render_html(r: QuarterReport, name: Callable[[str], str]) -> str:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent), autoescape=select_autoescape(["html", "j2"])
    )
    template = env.get_template("quarterly.html.j2")
    return template.render(
        r=r, charts=charts(r), scope_table=_table, name=name, min_closed=MIN_CLOSED_TO_RANK
    )
