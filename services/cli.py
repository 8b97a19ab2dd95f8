"""``liandong``: run a service, run the whole system, replay and verify the audit trail."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import typer
from rich.console import Console

from services.accounts_cli import accounts_app
from services.audit import cli as audit_cli
from shared.settings import Settings

app = typer.Typer(
    help="三级联动 Liandong: county–township–village public service network", no_args_is_help=True
)
audit_app = typer.Typer(help="The audit service; with a sub-command: replay, verify, prove, check, report…")
app.add_typer(audit_app, name="audit")
audit_cli.register(audit_app)
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


@app.command()
def run(
    data_dir: Path = typer.Option(Path("var"), help="where NATS and SQLite keep their files"),
    nats_port: int = typer.Option(4223, help="port of the embedded nats-server"),
) -> None:
    """Start everything on this machine: an embedded nats-server and the four services."""
    from services.supervisor import run_all

    raise typer.Exit(run_all(data_dir.resolve(), nats_port))


@app.command()
def streams() -> None:
    """Create or update the CASES and DEADLETTER streams (the provisioner's job in deploy/)."""
    from shared.eventstore import NATS_UNAVAILABLE, ensure_streams
    from shared.messaging import connect_for_command

    async def run() -> None:
        s = Settings()
        nc = await connect_for_command(s, attempts=20)
        try:
            for attempt in range(60):  # a cluster still electing its meta leader answers late
                try:
                    await ensure_streams(nc, replicas=s.stream_replicas)
                    break
                except NATS_UNAVAILABLE as exc:
                    typer.echo(f"JetStream not ready ({type(exc).__name__}); retrying", err=True)
                    await asyncio.sleep(min(0.5 * (attempt + 1), 3.0))
            else:
                raise SystemExit("JetStream did not become ready")
        finally:
            await nc.close()
        typer.echo(f"streams ready (replicas={s.stream_replicas})")

    asyncio.run(run())


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
