"""Static chart images (matplotlib, Agg) with Chinese labels, as deterministic PNG bytes."""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC")


CJK_FILES = ("NotoSansCJK", "wqy-zenhei", "SourceHanSans")


def _known_cjk() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


@functools.cache
def cjk_font() -> str | None:
    """The first installed font that has Chinese glyphs (Debian: fonts-noto-cjk). Matplotlib keeps
    a font list cached per user; when the font was installed after that cache was written, it is
    looked up on disk and added, so the charts never fall back to boxes on a stale cache."""
    found = _known_cjk()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(part in Path(path).name for part in CJK_FILES):
                font_manager.fontManager.addfont(path)
        found = _known_cjk()
    return found


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return buf.getvalue()


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height))
    font = cjk_font()
    if font:
        matplotlib.rcParams["font.family"] = [font, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.hashsalt"] = "liandong"
    return fig


def rates_chart(title: str, names: Sequence[str], series: Mapping[str, Sequence[float]]) -> bytes:
    """Grouped horizontal bars, one group per node, values in percent."""
    fig = _figure(8, 0.45 * max(len(names), 4) + 1.6)
    ax = fig.add_subplot()
    height = 0.8 / max(len(series), 1)
    for i, (label, values) in enumerate(series.items()):
        ax.barh([y + i * height for y in range(len(names))], values, height=height, label=label)
    ax.set_yticks([y + height * (len(series) - 1) / 2 for y in range(len(names))], list(names))
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(series), frameon=False)
    fig.tight_layout()
    return _png(fig)


def ratings_chart(title: str, counts: dict[str, int]) -> bytes:
    fig = _figure(6, 3.2)
    ax = fig.add_subplot()
    ax.bar(list(counts), list(counts.values()), color=["#2e7d32", "#66bb6a", "#fbc02d", "#ef6c00", "#c62828"])
    ax.set_title(title)
    ax.set_ylabel("件")
    fig.tight_layout()
    return _png(fig)
