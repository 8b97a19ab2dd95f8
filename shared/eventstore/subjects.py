"""Subjects: ``case.<origin node code>.<case id>``.

The origin node's short code prefixes every case subject, so a node's cases can be filtered
(``case.T01V03.>``) and, later, a village leaf node writes only under its own prefix.
"""

from __future__ import annotations

import re

CASES_STREAM = "CASES"
CASES_SUBJECTS = "case.>"
DEADLETTER_STREAM = "DEADLETTER"
DEADLETTER_SUBJECTS = "deadletter.>"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def case_subject(origin_code: str, case_id: str) -> str:
    for token in (origin_code, case_id):
        if not _TOKEN.match(token):
            raise ValueError(f"invalid subject token {token!r}")
    return f"case.{origin_code}.{case_id}"


def node_code_of_subject(subject: str) -> str:
    return subject.split(".")[1]


def case_id_of_subject(subject: str) -> str:
    return subject.split(".")[2]


def deadletter_subject(consumer: str) -> str:
    return f"deadletter.{consumer}"
