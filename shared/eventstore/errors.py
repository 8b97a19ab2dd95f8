from __future__ import annotations


class EventStoreError(Exception):
    pass


class ConcurrencyError(EventStoreError):
    """Someone appended to the case after the writer read it: reload and decide again."""

    def __init__(self, subject: str, expected: int, detail: str = "") -> None:
        super().__init__(f"{subject}: expected last sequence {expected}; {detail}".strip())
        self.subject = subject
        self.expected = expected
