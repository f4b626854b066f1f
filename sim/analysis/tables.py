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

import numpy as np
import pandas as pd

from sim.engine.calendar import PERIODS
from sim.engine.records import CONTACT_KINDS, HANDLERS, STAGE_OUTCOMES
from sim.engine.run import Run
from sim.scenario.config import ACUTE_MAX_URGENCY, MODALITIES, URGENCIES


def _cat(codes: np.ndarray, labels: tuple[str, ...] | list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(labels))


def requests_table(run: Run) -> pd.DataFrame:
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
