"""Report charts draw Chinese with a CJK font (fonts-noto-cjk); without it every label is a box."""

from __future__ import annotations

import warnings

from services.audit.report.charts import cjk_font, rates_chart, ratings_chart
from services.audit.report.period import Quarter
from tests.conftest import require


def test_charts_render_chinese_with_a_cjk_font() -> None:
    require(
        cjk_font() is not None,
        "no CJK font installed (apt-get install fonts-noto-cjk): charts would show boxes",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" for each box
        png = rates_chart("各窗口办结率", ["民政局", "统计局"], {"办结率": [98.5, 100.0]})
        ratings_chart("评价分布", {"非常满意": 3, "满意": 1, "基本满意": 0, "不满意": 0, "非常不满意": 1})
    assert png.startswith(b"\x89PNG")
    assert png == rates_chart(
        "各窗口办结率", ["民政局", "统计局"], {"办结率": [98.5, 100.0]}
    )  # deterministic


def test_quarters() -> None:
    q = Quarter.parse("2026q4")
    assert (q.start.isoformat(), q.end.isoformat(), q.label) == ("2026-10-01", "2027-01-01", "2026年第四季度")
    assert q.last_day.isoformat() == "2026-12-31" and Quarter.parse("2026-Q1").code == "2026Q1"
