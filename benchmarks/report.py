"""Write measured results into docs/performance.md between its results markers (the prose around
them is kept)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness import Result

START, END = "<!-- results:start -->", "<!-- results:end -->"


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def table(results: list[Result]) -> str:
    lines = ["Measured on this machine (2 cores); each section gives when.", ""]
    for r in results:
        lines.append(f"### {r.name}")
        lines.append("")
        lines.append(f"Measured {r.measured_at or stamp()}.")
        lines.append("")
        verdict = "reference" if r.met is None else ("met" if r.met else "missed")
        ratio = f", ratio **{r.ratio:.2f}**" if r.ratio is not None else ""
        lines.append(f"`{r.command}` — target {r.target}: **{verdict}**{ratio}")
        lines.append("")
        lines.append("| figure | value |")
        lines.append("|---|---|")
        for k, v in r.figures.items():
            lines.append(f"| {k} | {v} |")
        for note in r.notes:
            lines.append(f"\n{note}")
        lines.append("")
    return "\n".join(lines)


def write_results(path: Path, results: list[Result]) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{table(results)}\n{END}{tail}", encoding="utf-8")
