"""Time rules: the clock during suspensions, closing late, rectification and supervision in time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from services.audit.rules.base import CaseHistory, RuleContext, RuleFinding, Step, finding, rule


@rule(
    "clock_ran_while_suspended",
    "中止期间计时未停",
    ["CaseSuspended", "CaseResumed", "DeadlineWarned", "DeadlineMissed"],
)
def clock_ran_while_suspended(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    suspended: Step | None = None
    for s in h.steps:
        payload = s.event.envelope.payload
        if s.type == "CaseSuspended":
            suspended = s
        elif s.type == "CaseResumed" and suspended is not None:
            before = s.before.deadline if s.before else None
            paused = int(payload.get("paused_workdays") or 0)
            if before is not None and payload.get("deadline"):
                expected = ctx.calendar.add_workdays(before, paused).date_value if paused else before
                if date.fromisoformat(payload["deadline"]) != expected:
                    yield finding(
                        "clock_ran_while_suspended",
                        h,
                        [suspended, s],
                        f"resumed after {paused} paused working days but the deadline went from {before} to "
                        f"{payload['deadline']} (expected {expected})",
                    )
            suspended = None
        elif s.type in ("DeadlineWarned", "DeadlineMissed") and suspended and payload.get("target") == "case":
            yield finding(
                "clock_ran_while_suspended",
                h,
                [suspended, s],
                f"{s.type} (黄牌/红牌) while the case was suspended: the clock was not stopped",
            )


@rule("closed_late_without_extension", "超期办结且未延期", ["CaseClosed", "ExtensionGranted"])
def closed_late_without_extension(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    extended = False
    for s in h.steps:
        extended = extended or s.type == "ExtensionGranted"
        if s.type != "CaseClosed" or s.before is None or s.before.item.kind != "promised":
            continue
        deadline = s.before.deadline
        if deadline is not None and s.day > deadline and not extended:
            yield finding(
                "closed_late_without_extension",
                h,
                [s],
                f"promised case closed on {s.day}, after its deadline {deadline}, with no extension granted",
            )


def _late(done: Step | None, due: date, ctx: RuleContext) -> bool:
    return done.day > due if done is not None else ctx.today > due


@rule(
    "low_rating_not_rectified",
    "差评未按期整改",
    ["CaseEvaluated", "RectificationOpened", "RectificationCompleted"],
)
def low_rating_not_rectified(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    for ev in h.of("CaseEvaluated"):
        if int(ev.event.envelope.payload.get("rating", 5)) > 2:
            continue
        later = h.steps[h.steps.index(ev) :]
        opened = next((s for s in later if s.type == "RectificationOpened"), None)
        if opened is None:
            yield finding(
                "low_rating_not_rectified",
                h,
                [ev],
                "a rating of 2 or less but no rectification (整改) was opened",
            )
            continue
        due = date.fromisoformat(opened.event.envelope.payload["due"])
        done = next((s for s in later if s.type == "RectificationCompleted"), None)
        if _late(done, due, ctx):
            when = f"completed on {done.day}" if done else f"still open on {ctx.today}"
            yield finding(
                "low_rating_not_rectified",
                h,
                [ev, opened, *([done] if done else [])],
                f"rectification due {due}, {when}",
            )


@rule("supervision_unanswered", "督办未按期答复", ["SupervisionOrdered", "SupervisionAnswered"])
def supervision_unanswered(h: CaseHistory, ctx: RuleContext) -> Iterator[RuleFinding]:
    for order in h.of("SupervisionOrdered"):
        p = order.event.envelope.payload
        due = date.fromisoformat(p["due"])
        answer = next(
            (
                s
                for s in h.of("SupervisionAnswered")
                if s.event.envelope.payload.get("order_id") == p["order_id"]
            ),
            None,
        )
        if _late(answer, due, ctx):
            when = f"answered on {answer.day}" if answer else f"unanswered on {ctx.today}"
            yield finding(
                "supervision_unanswered",
                h,
                [order, *([answer] if answer else [])],
                f"supervision order {p['order_id']} to {p.get('node_id')} due {due}, {when}",
            )
