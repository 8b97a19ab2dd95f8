"""``liandong``: run a service, run the whole system, replay and verify the audit trail."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
from rich.console import Console

from services.accounts_cli import accounts_app
from shared.settings import Settings

app = typer.Typer(
    help="三级联动 Liandong: county–township–village public service network", no_args_is_help=True
)
audit_app = typer.Typer(help="The audit service; with a sub-command, replay or verify the stream.")
app.add_typer(audit_app, name="audit")
app.add_typer(accounts_app, name="accounts")
console = Console()


def _serve(service: str, build, port: int, settings: Settings) -> None:
    import uvicorn

    from shared.logging_setup import setup_logging
    from shared.telemetry import setup_tracing

    if service in ("intake", "node", "audit"):
        from shared.web.auth import check_secret

        check_secret(settings.auth_secret)
    setup_logging(service, settings.log_level, settings.log_format)
    setup_tracing(service, settings.trace_exporter)
    uvicorn.run(build(settings), host=settings.host, port=port, log_level="warning", lifespan="on")


@app.command()
def intake() -> None:
    """Run the intake service (一门受理)."""
    from services.intake.app import create_app

    s = Settings()
    _serve("intake", create_app, s.intake_port, s)


@app.command()
def node() -> None:
    """Run the node service (village / township / county-window workbench API)."""
    from services.village_node.app import create_app

    s = Settings()
    _serve("node", create_app, s.node_port, s)


@app.command()
def routing() -> None:
    """Run the routing service (dispatcher)."""
    from services.routing.app import create_app

    s = Settings()
    _serve("routing", create_app, s.routing_port, s)


@audit_app.callback(invoke_without_command=True)
def audit(ctx: typer.Context) -> None:
    """Run the audit service (ledger) when no sub-command is given."""
    if ctx.invoked_subcommand is not None:
        return
    from services.audit.app import create_app

    s = Settings()
    _serve("audit", create_app, s.audit_port, s)


@audit_app.command("replay")
def audit_replay(
    case: str = typer.Option(..., "--case", help="case id, e.g. T01V01-01M8…"),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table"),
) -> None:
    """Print a case's full history, read from the event stream."""
    from services.audit.replay import case_events, print_timeline, timeline_json

    async def run() -> int:
        s = Settings()
        nc = await _connect(s)
        try:
            events = await case_events(nc, case)
        finally:
            await nc.close()
        if as_json:
            for line in timeline_json(events):
                typer.echo(line)
        else:
            from shared.org import OrgTree

            org = OrgTree.load(s.org_path)
            print_timeline(events, lambda n: org.get(n).name if n in org else n, console)
        return 0 if events else 1

    raise typer.Exit(asyncio.run(run()))


@audit_app.command("verify")
def audit_verify(
    ledger: bool = typer.Option(
        True, "--ledger/--no-ledger", help="also compare the audit ledger with the stream"
    ),
) -> None:
    """Re-check every case's hash chain; exit 1 naming the first bad event, 2 if the stream is unreadable."""
    from services.audit.replay import verify_stream
    from shared.db import make_database

    async def run() -> int:
        s = Settings()
        try:
            nc = await _connect(s, attempts=3)
        except Exception as exc:
            console.print(f"[red]cannot reach NATS at {s.nats_url}: {exc}[/red]")
            return 2
        db = make_database(s.database_url, "audit", s.data_dir) if ledger else None
        try:
            report = await verify_stream(nc, db.engine if db else None)
        finally:
            await nc.close()
            if db:
                await db.dispose()
        if report.ok:
            console.print(
                f"[green]OK[/green]: {report.checked} events in {report.cases} cases, every chain intact"
            )
            return 0
        first = report.findings[0]
        console.print(f"[red]FAILED[/red]: {len(report.findings)} problem(s); first: {first.line()}")
        for f in report.findings[1:20]:
            console.print(f"  {f.line()}")
        return 1

    raise typer.Exit(asyncio.run(run()))


async def _connect(s: Settings, attempts: int = 20):
    import nats

    from shared.messaging import nats_auth

    last: Exception | None = None
    for _ in range(attempts):
        try:
            return await nats.connect(
                s.nats_url.split(","), connect_timeout=2, max_reconnect_attempts=0, **nats_auth(s)
            )
        except Exception as exc:
            last = exc
            await asyncio.sleep(0.5)
    raise RuntimeError(str(last))


@app.command()
def run(
    data_dir: Path = typer.Option(Path("var"), help="where NATS and SQLite keep their files"),
    nats_port: int = typer.Option(4223, help="port of the embedded nats-server"),
) -> None:
    """Start everything on this machine: an embedded nats-server and the four services."""
    from services.supervisor import run_all

    raise typer.Exit(run_all(data_dir.resolve(), nats_port))


@app.command("check-config")
def check_config() -> None:
    """Load the catalog, org tree and holiday files and report problems."""
    from shared.bootstrap import load_reference_data

    s = Settings()
    catalog, org, calendar = load_reference_data(s)
    typer.echo(
        json.dumps(
            {"items": len(catalog), "nodes": len(org), "holiday_years": sorted(calendar.known_years())}
        )
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
