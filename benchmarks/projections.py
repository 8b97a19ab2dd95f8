"""Every projection the services run, built as their services build them (for catch-up and
rebuild benchmarks). A projection whose module is not there yet is left out."""

from __future__ import annotations

from collections.abc import Callable

from shared.projections import Projection
from shared.projections.case_states import CaseStateProjection


def _node() -> Projection:
    return CaseStateProjection("node.case_states")


def _audit() -> Projection:
    from services.audit.ledger import LedgerProjection

    return LedgerProjection()  # type: ignore[return-value]


def _routing_clock() -> Projection:
    from services.routing.timers import RoutingClockProjection
    from shared.calendar import WorkCalendar

    return RoutingClockProjection(WorkCalendar.load(None))  # type: ignore[return-value]


def _joint_reviews() -> Projection:
    from services.village_node.reviews import JointReviewTasks

    return JointReviewTasks()  # type: ignore[return-value]


FACTORIES: dict[str, Callable[[], Projection]] = {
    "node.case_states": _node,
    "audit.ledger": _audit,
    "routing.clock": _routing_clock,
    "node.joint_reviews": _joint_reviews,
}


def available() -> dict[str, Callable[[], Projection]]:
    out = {}
    for name, factory in FACTORIES.items():
        try:
            factory()
        except ImportError:
            continue
        out[name] = factory
    return out
