"""``make bench`` / ``python -m benchmarks [name ...] [--quick]``: run the benchmarks, print each
figure with its raw baseline and ratio, and write the results into docs/performance.md."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from pathlib import Path

from benchmarks.harness import Result
from benchmarks.report import stamp, write_results

ALL = ("append", "catchup", "e2e", "rebuild", "peer", "audit_replay")


async def run_one(name: str, quick: bool) -> list[Result]:
    module = importlib.import_module(f"benchmarks.{name}")
    if name == "audit_replay":  # the audit engineer's benchmark, if present
        out = await module.run(cases=1000 if quick else 10_000)
        return [
            Result(
                "audit_replay",
                "python -m benchmarks audit_replay",
                {k: v for k, v in out.items() if k not in ("name", "ratio", "target_ratio")},
                ratio=out["ratio"],
                target=f">= {out['target_ratio']}x raw ordered consumer",
                met=out["ratio"] >= out["target_ratio"],
            )
        ]
    got = await module.run(**(module.QUICK if quick and hasattr(module, "QUICK") else {}))
    return got if isinstance(got, list) else [got]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", default=list(ALL))
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benchmarks work")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/performance.md")
    args = parser.parse_args()
    results: list[Result] = []
    for name in args.names:
        if name == "audit_replay" and importlib.util.find_spec("benchmarks.audit_replay") is None:
            continue
        print(f"== {name}", flush=True)
        try:
            got = asyncio.run(run_one(name, args.quick))
        except Exception as exc:  # one broken benchmark must not lose the others' figures
            print(f"{name} failed: {type(exc).__name__}: {exc}", flush=True)
            continue
        for result in got:
            print(result.line(), flush=True)
            for note in result.notes:
                print(f"   {note}", flush=True)
            results.append(result)
    if args.quick or args.no_write:
        return 0
    # results of earlier runs of other benchmarks are kept (benchmarks/results.json, committed
    # with the doc), so one benchmark can be re-run alone
    store = Path("benchmarks/results.json")
    now = stamp()
    for r in results:
        r.measured_at = now
    kept = [Result(**r) for r in json.loads(store.read_text())] if store.exists() else []
    fresh = {r.name for r in results}
    merged = [r for r in kept if r.name not in fresh] + results
    order = {n: i for i, n in enumerate(ALL)}
    merged.sort(key=lambda r: order.get(r.command.split()[3] if len(r.command.split()) > 3 else "", 99))
    store.write_text(json.dumps([r.__dict__ for r in merged], indent=2, ensure_ascii=False) + "\n")
    write_results(Path("docs/performance.md"), merged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
