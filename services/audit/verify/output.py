"""Printing a verify report: a verdict line naming the first bad event, or JSON lines."""

from __future__ import annotations

import dataclasses
import json

import typer
from rich.console import Console

from services.audit.verify.run import VerifyReport


def print_report(report: VerifyReport, as_json: bool) -> None:
    """The verdict goes to stdout, or to stderr when stdout carries the findings as JSON lines."""
    console = Console(stderr=as_json, highlight=False, soft_wrap=True)
    if as_json:
        for f in report.findings:
            typer.echo(json.dumps(dataclasses.asdict(f), ensure_ascii=False))
    summary = (
        f"{report.checked} stream events in {report.cases} cases; {report.ledger_entries} ledger entries, "
        f"{report.checkpoints_ok} signed checkpoints verified"
        + (f"; {report.pending} events not yet in the ledger" if report.pending else "")
    )
    if report.ok:
        console.print(f"[green]OK[/green]: {summary}; every chain intact")
        return
    first = report.findings[0]
    console.print(f"[red]FAILED[/red]: {len(report.findings)} problem(s) in {summary}")
    console.print(f"first bad event: {first.line()}")
    for f in report.findings[1:20]:
        console.print(f"  {f.line()}")
    if len(report.findings) > 20:
        console.print(f"  … and {len(report.findings) - 20} more")
