"""CSV: one row per scope (county, townships, windows) with every metric; the overdue list apart."""

from __future__ import annotations

import csv
import dataclasses
import io

from services.audit.report.build import QuarterReport
from services.audit.report.metrics import Metrics


def metrics_csv(r: QuarterReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["quarter", "scope", "node_id", "name", *Metrics.names()])
    for s in [r.county, *r.townships, *r.windows]:
        w.writerow([r.quarter.code, s.kind, s.node_id, s.name, *dataclasses.astuple(s.metrics)])
    return buf.getvalue()


def overdue_csv(r: QuarterReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["case_number", "case_id", "item", "handler", "deadline", "closed"])
    for o in r.overdue:
        w.writerow([o.case_number, o.case_id, o.item_name, o.handler, o.deadline, o.closed])
    return buf.getvalue()
