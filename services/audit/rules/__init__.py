"""Rule checks over replayed events (``liandong audit check``)."""

from services.audit.rules import handling, timing  # noqa: F401  (registers the rules)
from services.audit.rules.base import RULES, CaseHistory, Rule, RuleContext, RuleFinding
from services.audit.rules.run import check_events, check_history

__all__ = ["RULES", "CaseHistory", "Rule", "RuleContext", "RuleFinding", "check_events", "check_history"]
