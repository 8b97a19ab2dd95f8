"""``liandong audit …`` sub-commands: thin wrappers that read settings, call the audit modules and
print. Registered on the main CLI by ``register(audit_app)``."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from services.audit.settings import AuditSettings
from shared.settings import Settings

console = Console(stderr=True)


async def connect(s: Settings, attempts: int = 3) -> Any:
    from shared.messaging import connect_for_command

    return await connect_for_command(s, attempts)


def audit_db(s: Settings) -> Any:
    from shared.db import make_database

    return make_database(s.database_url, "audit", s.data_dir)


def public_pem(s: Settings, pubkey: Path | None = None) -> str | None:
    """The published key: a given PEM file, else the public half of the configured signing key."""
    if pubkey is not None:
        return pubkey.read_text()
    path = AuditSettings().key_path(s.data_dir)
    if not path.exists():
        return None
    from services.audit.signing import load_signer

    return load_signer(path).public_pem()


def pubkey() -> None:
    """Print the Ed25519 public key that signs ledger checkpoints (PEM)."""
    pem = public_pem(Settings())
    if pem is None:
        console.print("[red]no audit signing key yet: start the audit service once[/red]")
        raise typer.Exit(2)
    typer.echo(pem, nl=False)


def prove(
    case: str = typer.Option(..., "--case", help="case id"),
    out: Path = typer.Option(None, "--out", help="proof file (default: proof-<case>.json)"),
) -> None:
    """Write a proof file: the case's events with inclusion proofs against the latest signed checkpoint."""
    from services.audit.proof import ProofUnavailable, build_proof

    s = Settings()
    pem = public_pem(s)
    if pem is None:
        console.print("[red]no audit signing key: nothing can have been signed[/red]")
        raise typer.Exit(2)

    async def run() -> dict[str, Any]:
        db = audit_db(s)
        try:
            return await build_proof(db.engine, case, pem)
        finally:
            await db.dispose()

    try:
        doc = asyncio.run(run())
    except ProofUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    target = out or Path(f"proof-{case}.json")
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(
        f"{len(doc['events'])} event(s) proven against checkpoint {doc['checkpoint']['size']}"
        f" ({len(doc['not_yet_checkpointed'])} not yet checkpointed) → {target}"
    )


def check_proof(
    file: Path = typer.Argument(..., help="proof file written by `liandong audit prove`"),
    pubkey_file: Path = typer.Option(None, "--pubkey", help="trusted public key (PEM) to pin the signer"),
) -> None:
    """Verify a proof file offline (no NATS, no database). Exit 0 valid, 1 invalid."""
    from services.audit.proof import check_proof as check

    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        console.print(f"[red]cannot read {file}: {exc}[/red]")
        raise typer.Exit(1) from None
    result = check(doc, pubkey_file.read_text() if pubkey_file else None)
    if not pubkey_file:
        console.print(
            f"[yellow]signer key {result.key_id} taken from the file; pin it with --pubkey[/yellow]"
        )
    if result.ok:
        typer.echo(
            f"VALID: {result.proven} event(s) of case {result.case_id} are in the signed ledger"
            + (f"; {result.pending} more not yet checkpointed" if result.pending else "")
        )
        return
    typer.echo(f"INVALID: proof for case {result.case_id}")
    for p in result.problems or ["no event is proven"]:
        typer.echo(f"  {p}")
    raise typer.Exit(1)


def verify(
    from_seq: int = typer.Option(1, "--from", min=1, help="start at this stream sequence"),
    stream: str = typer.Option("CASES", "--stream", help="stream to check (e.g. a copy of CASES)"),
    ledger: bool = typer.Option(True, "--ledger/--no-ledger", help="also check the ledger and compare"),
    pubkey_file: Path = typer.Option(None, "--pubkey", help="public key (PEM) for checkpoint signatures"),
    as_json: bool = typer.Option(False, "--json", help="findings as JSON lines on stdout"),
) -> None:
    """Re-check stream and ledger; exit 0 intact, 1 tampering found (first one named), 2 unreadable."""
    from services.audit.verify import verify as run_verify
    from services.audit.verify.output import print_report

    s = Settings()

    async def run() -> int:
        try:
            nc = await connect(s)
        except RuntimeError as exc:
            console.print(f"[red]{exc}[/red]")
            return 2
        db = audit_db(s) if ledger else None
        try:
            report = await run_verify(
                nc,
                db.engine if db else None,
                stream=stream,
                from_seq=from_seq,
                public_pem=public_pem(s, pubkey_file),
            )
        except Exception as exc:
            console.print(f"[red]cannot read the stream or the ledger: {type(exc).__name__}: {exc}[/red]")
            return 2
        finally:
            await nc.close()
            if db:
                await db.dispose()
        print_report(report, as_json)
        return 0 if report.ok else 1

    raise typer.Exit(asyncio.run(run()))


def register(app: typer.Typer) -> None:
    from services.audit.check_cli import check_command
    from services.audit.replay_cli import replay_command
    from services.audit.report_cli import report_command

    app.command("replay")(replay_command)
    app.command("check")(check_command)
    app.command("report")(report_command)
    app.command("pubkey")(pubkey)
    app.command("prove")(prove)
    app.command("check-proof")(check_proof)
    app.command("verify")(verify)


if __name__ == "__main__":  # pragma: no cover - `python -m services.audit.cli`
    standalone = typer.Typer()
    register(standalone)
    standalone(sys.argv[1:])
