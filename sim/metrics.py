"""KPIs from the output tables: one flat {name: value} per replication, then aggregated.

Flat dotted names (`service.P1.utilisation`) keep comparisons and sweeps simple: every
KPI is one row in a tidy table. Only requests that arrived in the measured window
(after the warm-up) count; requests still unanswered at the horizon are censored: they
count as slower than any answered one in percentiles, and are left out of the share
within norm only when the norm had not yet passed at the horizon.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import (
    stdtrit,  # Student t quantile, without importing scipy.stats (slow)
)

from .config import URGENCIES
from .model import Run
from .records import STAGE_OUTCOMES

WEEK_MIN = 7 * 24 * 60
SEED_000 = {  # Het Gastenhuis, kleinschalige woonvorm of ~20 residents, baseline
    "requests_per_20_residents_week": 4.1,
    "telephone_share": 0.59,
    "acute_share": 0.14,
    "weekend_share": 0.09,
}
PERCENTILES = (50, 90, 95)
NURSE_KINDS = ("voorwacht", "triage", "regionale_triage", "behandelteam", "aanrijdteam")
PHYSICIAN_KINDS = ("practice", "behandeldienst", "achterwacht", "gzc", "artsen")
PHONE_KINDS = ("voorwacht", "triage", "regionale_triage")


def _minutes(ts: pd.Series, origin: np.datetime64) -> np.ndarray:
    return (ts.to_numpy(dtype="datetime64[ms]") - origin).astype("timedelta64[ms]").astype(float) / 60_000


def labels(col: pd.Series) -> np.ndarray:
    """A categorical column as plain strings, '' where missing (e.g. not yet handled)."""
    return col.astype(object).where(col.notna(), "").to_numpy(dtype=str)


def rows_by_category(col: pd.Series) -> dict[str, np.ndarray]:
    """Row numbers per category of a categorical column, in row order: one sort instead
    of a string comparison over the whole table per category."""
    codes = col.cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(col.cat.categories) + 1))
    return {name: order[bounds[k]:bounds[k + 1]] for k, name in enumerate(col.cat.categories)}


def percentile(values: np.ndarray, q: float) -> float:
    """Percentile without interpolation; NaN (still waiting) counts as +inf."""
    if values.size == 0:
        return float("nan")
    return float(np.quantile(np.where(np.isnan(values), np.inf, values), q / 100, method="inverted_cdf"))


def within_norm(response: np.ndarray, waited_to_horizon: np.ndarray, norm: float) -> float:
    judged = ~np.isnan(response) | (waited_to_horizon > norm)
    if not judged.any():
        return float("nan")
    return float(np.mean(response[judged] <= norm))


def _response_kpis(out: dict[str, float], prefix: str, df: pd.DataFrame, to_horizon: np.ndarray, norms: dict[str, float]) -> None:
    for u in URGENCIES:
        sel = (df["urgency"] == u).to_numpy()
        resp = df["response_min"].to_numpy()[sel]
        phys = df["physician_min"].to_numpy()[sel]
        out[f"{prefix}.{u}.n"] = float(sel.sum())
        for q in PERCENTILES:
            out[f"{prefix}.{u}.p{q}_min"] = percentile(resp, q)
        out[f"{prefix}.{u}.physician_p90_min"] = percentile(phys[~np.isnan(phys) | np.isnan(resp)], 90)
        out[f"{prefix}.{u}.within_norm"] = within_norm(resp, to_horizon[sel], norms[u])


def replication_kpis(run: Run, requests: pd.DataFrame, stages: pd.DataFrame) -> dict[str, float]:
    sc = run.scenario
    origin = np.datetime64(sc.region.start, "ms")
    w0, w1 = run.warmup_end, run.horizon
    weeks = (w1 - w0) / WEEK_MIN
    out: dict[str, float] = {}

    req = requests[~requests["warmup"].to_numpy()]
    arrival = _minutes(req["arrival"], origin)
    to_horizon = w1 - arrival
    wlz_mask = (req["source"] == "wlz").to_numpy()
    wlz, bg = req[wlz_mask], req[~wlz_mask]
    out["demand.wlz_requests_per_week"] = len(wlz) / weeks
    out["demand.background_requests_per_week"] = len(bg) / weeks

    # Calibration against seed 000, per kind of location (counted at arrival).
    residents = {loc.id: loc.residents for loc in sc.locations}
    kinds = {loc.id: (loc.kind, loc.behandeling) for loc in sc.locations}
    position = {loc_id: k for k, loc_id in enumerate(wlz["location_id"].cat.categories)}
    wlz_loc = wlz["location_id"].cat.codes.to_numpy()  # a location's position
    weekend = (wlz["arrival"].dt.day_of_week >= 5).to_numpy()
    telephone = (wlz["modality"] == "telephone").to_numpy()
    acute = wlz["acute"].to_numpy()
    for kind in sorted({k for k, _ in kinds.values()}):
        for behandeling in (False, True):
            ids = [i for i, kb in kinds.items() if kb == (kind, behandeling)]
            if not ids:
                continue
            name = f"calibration.{kind}{'_met_behandeling' if behandeling else ''}"
            sel = np.isin(wlz_loc, [position[i] for i in ids])
            n = int(sel.sum())
            out[f"{name}.requests_per_20_residents_week"] = n / weeks / sum(residents[i] for i in ids) * 20
            out[f"{name}.telephone_share"] = float(telephone[sel].mean()) if n else math.nan
            out[f"{name}.acute_share"] = float(acute[sel].mean()) if n else math.nan
            out[f"{name}.weekend_share"] = float(weekend[sel].mean()) if n else math.nan

    counts = np.bincount(wlz_loc[wlz_loc >= 0], minlength=len(position))
    for loc in sc.locations:
        out[f"location.{loc.id}.requests_per_week"] = counts[position[loc.id]] / weeks

    handled = labels(wlz["handled_by"])
    for h in sorted(set(handled) - {""}):
        out[f"handled.{h}.wlz_per_week"] = float((handled == h).sum()) / weeks
    out["wlz.open_at_horizon"] = float(wlz["done"].isna().sum())
    answered = (handled != "").sum()
    out["wlz.hap_share"] = float((handled == "hap").sum() / answered) if answered else math.nan
    hap_all = (req["handled_by"] == "hap").to_numpy()
    out["hap.wlz_share_of_contacts"] = float(hap_all[wlz_mask].sum() / hap_all.sum()) if hap_all.any() else math.nan
    per_client = wlz.groupby(["location_id", "client"], observed=True).size().sort_values(ascending=False)
    top = max(1, int(round(0.1 * sum(residents.values()))))
    out["wlz.top10pct_clients_request_share"] = float(per_client.iloc[:top].sum() / max(1, len(wlz)))

    referred = wlz["referred_seh"].to_numpy()
    out["seh.wlz_per_week"] = float(referred.sum()) / weeks
    direct = handled == "seh"
    if direct.any():
        out["seh.direct_per_week"] = float(direct.sum()) / weeks
        out["seh.direct_response_p90_min"] = percentile(wlz["response_min"].to_numpy()[direct], 90)
    out["prevented.wlz_per_week"] = sum(run.prevented_per_location.values()) / (w1 / WEEK_MIN)

    norms = sc.norms.model_dump()
    _response_kpis(out, "response.wlz", wlz, to_horizon[wlz_mask], norms)
    _response_kpis(out, "response.background", bg, to_horizon[~wlz_mask], norms)
    urgency_of = requests["urgency"].cat.codes.to_numpy() + 1  # request_id is the row number
    _service_kpis(out, run, stages, origin, w0, w1, weeks, urgency_of)
    return out


def _service_kpis(out: dict[str, float], run: Run, stages: pd.DataFrame, origin, w0: float, w1: float,
                  weeks: float, urgency_of: np.ndarray) -> None:
    start = _minutes(stages["start"], origin)
    end = _minutes(stages["end"], origin)
    busy = np.clip(np.minimum(end, start + stages["busy_min"].to_numpy()), w0, w1) - np.clip(start, w0, w1)
    outcome = stages["outcome"].cat.codes.to_numpy()
    seen = outcome != STAGE_OUTCOMES.index("transferred")  # the professional saw the patient
    resolved = outcome == STAGE_OUTCOMES.index("resolved")
    in_window = (start >= w0) & (start < w1)
    out["gp.transfers_to_hap_per_week"] = float((~seen & in_window).sum()) / weeks
    waits_all = stages["wait_min"].to_numpy()
    reach = (_minutes(stages["contact"], origin) - _minutes(stages["enter"], origin))
    urgent = urgency_of[stages["request_id"].to_numpy()] <= 2
    norms = run.scenario.norms
    by_kind: dict[str, float] = {}
    n_weeks = max(1, int(round(weeks)))
    week_of = np.clip(((start - w0) // WEEK_MIN).astype(int), 0, n_weeks - 1)
    rows_of = rows_by_category(stages["resource"])
    nothing = np.zeros(0, dtype=np.int64)
    for pool in run.pools:
        rows = rows_of.get(pool.name, nothing)
        windowed = rows[in_window[rows]]
        counted = windowed[seen[windowed]]  # seen in the measured window
        minutes = float(busy[rows].sum())
        capacity = pool.capacity.integral(w0, w1)
        key = f"service.{pool.name}"
        out[f"{key}.handled_per_week"] = float(counted.size) / weeks
        weekly = np.bincount(week_of[counted], minlength=n_weeks)
        weekly_hours = np.bincount(week_of[counted], weights=busy[counted], minlength=n_weeks) / 60
        out[f"{key}.handled_week_p90"] = float(np.quantile(weekly, 0.9))  # the busiest weeks
        out[f"{key}.hours_week_p90"] = float(np.quantile(weekly_hours, 0.9))
        if run.kinds.get(pool.name) not in ("practice", "behandeldienst", "gzc", "artsen"):
            out[f"{key}.resolved_share"] = _share(resolved[windowed])
        out[f"{key}.hours_per_week"] = minutes / 60 / weeks
        out[f"{key}.fte"] = minutes / 60 / weeks / run.fte_hours[pool.name]
        out[f"{key}.capacity_hours_per_week"] = capacity / 60 / weeks
        out[f"{key}.utilisation"] = minutes / capacity if capacity > 0 else math.nan
        out[f"{key}.wait_p90_min"] = percentile(waits_all[counted], 90)
        kind = run.kinds.get(pool.name, "")
        by_kind[kind] = by_kind.get(kind, 0.0) + minutes / 60 / weeks
        if pool.name in run.planned_hours:  # weekly rounds: planned workload on top
            out[f"{key}.planned_hours_per_week"] = run.planned_hours[pool.name]
            by_kind[kind] += run.planned_hours[pool.name]
        if kind in PHONE_KINDS or (kind == "hap" and pool.name.endswith(":triage")):
            limit = np.where(urgent[counted], norms.phone_urgent_s, norms.phone_other_s) / 60
            out[f"{key}.answered_within_phone_norm"] = _share(waits_all[counted] <= limit)
        if kind == "aanrijdteam":
            target = next(s.target_min for s in run.scenario.services if s.id == pool.name)
            out[f"{key}.within_target"] = _share(reach[counted] <= target)
    for kind, hours in by_kind.items():
        out[f"hours.{kind}_per_week"] = hours
    out["hours.nurse_per_week"] = sum(h for k, h in by_kind.items() if k in NURSE_KINDS)
    out["hours.physician_per_week"] = sum(h for k, h in by_kind.items() if k in PHYSICIAN_KINDS)


def _share(flags: np.ndarray) -> float:
    return float(flags.mean()) if flags.size else math.nan


def paired_differences(a: list[dict[str, float]], b: list[dict[str, float]], names: list[str],
                       confidence: float = 0.95) -> dict[str, dict[str, float]]:
    """b minus a, replication by replication (common random numbers), with a t-interval."""
    diffs = [{n: rb.get(n, 0.0) - ra.get(n, 0.0) for n in names} for ra, rb in zip(a, b)]
    return aggregate(diffs, confidence)


def aggregate(per_replication: list[dict[str, float]], confidence: float = 0.95) -> dict[str, dict[str, float]]:
    """Mean, standard deviation and t-interval of every KPI across replications."""
    names = sorted({k for rep in per_replication for k in rep})
    result = {}
    for name in names:
        x = np.array([rep.get(name, math.nan) for rep in per_replication], dtype=float)
        x = x[~np.isnan(x)]
        n = x.size
        mean = float(x.mean()) if n else math.nan
        sd = float(x.std(ddof=1)) if n > 1 else math.nan
        if n > 1 and np.isfinite(x).all():
            half = float(stdtrit(n - 1, 0.5 + confidence / 2) * sd / math.sqrt(n))
        else:
            half = math.nan
        result[name] = {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half, "n": n}
    return result
