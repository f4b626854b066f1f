"""Turn a run's columnar records into the output contract's two tables.

requests: one row per care request; stages: one row per request per service visited.
Times are timestamps; durations are minutes. `urgency` is the urgency asked with,
`urgency_final` after any first-line triage. `response_min` runs to the first contact with
any professional (its kind in `first_contact`), `physician_min` to the first physician
contact, `norm_min` to the contact that meets the urgency's norm (norms.py). `warmup` flags
requests that arrived before measuring began: they are kept in the table and left out of
every KPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.scenario.schema import PERIODS
from sim.engine.records import CONTACT_KINDS, STAGE_OUTCOMES
from sim.engine.run import Resource, Run
from sim.scenario.config import Scenario
from sim.scenario.schema import ACUTE_MAX_URGENCY, MODALITIES, URGENCIES
from sim.services.registry import HANDLERS


def _cat(codes: np.ndarray, labels: tuple[str, ...] | list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(labels))


def requests_table(run: Run) -> pd.DataFrame:
    """requests.parquet: one row per care request (the columns are listed in the README's
    output contract): where and when it came from, its urgency and modality, who handled it,
    the times to first contact, to a physician and to the contact its norm counts."""
    req, cal = run.requests, run.calendar
    rec = run.recorder.arrays()
    n = len(req)
    loc_ids = [loc.id for loc in run.scenario.locations]
    is_bg = req.source < 0  # a HAP's general population
    loc_code = np.where(is_bg, -1, req.source)
    return pd.DataFrame({
        "request_id": np.arange(n, dtype=np.int64),
        "replication": np.full(n, run.replication, dtype=np.int32),
        "source": _cat(is_bg.astype(int), ["wlz", "background"]),
        "location_id": _cat(loc_code, loc_ids),
        "client": req.client,
        "arrival": cal.timestamps(req.arrival),
        "period": _cat(cal.period(req.arrival), PERIODS),
        "urgency": _cat(req.urgency - 1, URGENCIES),
        "urgency_final": _cat(run.urgency_final - 1, URGENCIES),
        "acute": req.urgency <= ACUTE_MAX_URGENCY,
        "modality": _cat(req.modality, MODALITIES),
        "handled_by": _cat(rec["handled_by"], HANDLERS),
        "response_min": rec["response"] - req.arrival,
        "first_contact": _cat(rec["first_kind"], CONTACT_KINDS),
        "physician_min": rec["physician"] - req.arrival,
        "norm_min": rec["norm"] - req.arrival,
        "done": cal.timestamps(rec["done"]),
        "referred_seh": rec["referred_seh"],
        "warmup": req.arrival < run.warmup_end,
    })


def stages_table(run: Run) -> pd.DataFrame:
    """stages.parquet: one row per request per service it passed (or still waits at): when
    it entered, was ready (after planning), started and ended, the professional's busy time,
    and the outcome (served, transferred, resolved, passed_on, open)."""
    cal = run.calendar
    col = run.recorder.stage_columns()
    enter, ready, start, end, contact = (col[x] for x in ("enter", "ready", "start", "end", "contact"))
    # resource categories in name order, whatever order the run met them in
    met = run.recorder.resources
    resources = sorted(met) or [""]
    rank = np.array([resources.index(r) for r in met] or [0], dtype=np.int64)
    return pd.DataFrame({
        "request_id": col["request"].astype(np.int64),
        "replication": np.full(len(enter), run.replication, dtype=np.int32),
        "service": _cat(col["service"], HANDLERS),
        "resource": _cat(rank[col["resource"].astype(np.int64)], resources),
        "enter": cal.timestamps(enter),
        "ready": cal.timestamps(ready),
        "start": cal.timestamps(start),
        "end": cal.timestamps(end),
        "contact": cal.timestamps(contact),
        "planning_min": ready - enter,
        "wait_min": start - ready,
        "busy_min": col["busy"].copy(),
        "outcome": _cat(col["outcome"], STAGE_OUTCOMES),
        "preempt": col["preempt"] > 0,
    })


RESOURCE_SCALARS = ("pool", "kind", "category", "handler", "first_line", "phone_line", "fte_hours", "planned_hours",
                    "target_min")
RESOURCE_ARRAYS = ("duty_times", "duty_levels", "free_knots", "free_total", "planned_times", "planned_levels")


def resources_table(run: Run) -> pd.DataFrame:
    """One row per pool of professionals: what it is, its FTE hours and planned work, its
    roster over time (duty_times / duty_levels: from each time on, that many on duty) and
    its free time (free_total accrued by each of free_knots; empty without other work)."""
    return pd.DataFrame({
        "replication": np.full(len(run.resources), run.replication, dtype=np.int32),
        **{c: [getattr(r, c) for r in run.resources] for c in RESOURCE_SCALARS},
        **{c: [np.asarray(getattr(r, c)) for r in run.resources] for c in RESOURCE_ARRAYS},
    })


def resources_of(table: pd.DataFrame) -> list[Resource]:
    """The Resources of one replication's rows of a resources table."""
    out = []
    for row in table.to_dict("records"):
        fields: dict[str, Any] = {c: row[c] for c in RESOURCE_SCALARS}
        fields.update({c: np.asarray(row[c], dtype=np.int64 if c.endswith("levels") else float) for c in RESOURCE_ARRAYS})
        out.append(Resource(**fields))
    return out


@dataclass
class RunTables:
    """One replication as the results folder holds it: everything its KPIs are computed
    from (analysis/metrics.py), so a folder can be analysed again without running."""

    scenario: Scenario
    replication: int
    requests: pd.DataFrame
    stages: pd.DataFrame
    resources: list[Resource]
    prevented: dict[str, int]

    @property
    def warmup_end(self) -> float:
        return self.scenario.region.warmup_end_min

    @property
    def horizon(self) -> float:
        return self.scenario.region.horizon_min


def tables_of(run: Run) -> tuple[RunTables, pd.DataFrame]:
    """A run's tables (and its resources as a table, for the results folder)."""
    stages = stages_table(run)
    requests = requests_table(run)
    return RunTables(run.scenario, run.replication, requests, stages, run.resources,
                     run.prevented_per_location), resources_table(run)
