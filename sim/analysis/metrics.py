"""KPIs from the output tables: one flat {name: value} per replication, then aggregated.

Flat dotted names (`service.P1.utilisation`) keep comparisons and sweeps simple: every
KPI is one row in a tidy table. Only requests that arrived in the measured window
(after the warm-up) count. A request still waiting at the horizon, or handed over out of
the model (the general population's own GP), is censored there: it counts as slower than
any answered one in percentiles, and in a share within norm it counts as late once the
norm had passed by then and is left out otherwise. A request closed without the contact
its norm counts (a nurse settling a U1-U2) counts as late.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import (
    stdtrit,  # Student t quantile, without importing scipy.stats (slow)
)

from sim.analysis.overload import backlog, growing
from sim.analysis.tables import RunTables
from sim.engine.records import CONTACT_KINDS, DIVERTED, OPEN, PHONE_LINE, RESOLVED, TRANSFERRED
from sim.scenario.schema import URGENCIES, URGENT_MAX_URGENCY
from sim.units import MIN_PER_WEEK

SEED_000 = {  # Het Gastenhuis, kleinschalige woonvorm of ~20 residents, baseline
    "requests_per_20_residents_week": 4.1,
    "telephone_share": 0.59,
    "acute_share": 0.14,
    "weekend_share": 0.09,
}
PERCENTILES = (50, 90, 95)


def _minutes(ts: pd.Series, origin: np.datetime64) -> np.ndarray:
    """Timestamps as minutes since `origin`; NaT (not yet) becomes NaN."""
    t = ts.to_numpy(dtype="datetime64[ms]")
    out = (t - origin).astype("timedelta64[ms]").astype(float) / 60_000
    out[np.isnat(t)] = np.nan
    return out


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


def within_norm(minutes: np.ndarray, observed: np.ndarray, norm: float | np.ndarray) -> float:
    """Share of requests whose contact came within the norm. `minutes`: time to the contact
    (NaN if none); `observed`: how long the request could be followed (to the horizon, to
    a hand-over out of the model, or infinite once it was closed without that contact).
    A request without the contact is judged late once it was followed past the norm and
    left out otherwise."""
    judged = ~np.isnan(minutes) | (observed > norm)
    if not judged.any():
        return float("nan")
    limit = norm[judged] if isinstance(norm, np.ndarray) else norm
    return float(np.mean(minutes[judged] <= limit))


def observed_minutes(done: np.ndarray, left: np.ndarray, arrival: np.ndarray, horizon: float) -> np.ndarray:
    """How long each request could be followed for a norm (minutes after arrival): to the
    horizon while open, to its hand-over when it left the model (own GP), without end once
    it was closed. `done` in minutes since the start (NaN while open)."""
    out = np.where(np.isnan(done), horizon - arrival, np.inf)
    out[left] = done[left] - arrival[left]
    return out


def _response_kpis(out: dict[str, float], prefix: str, df: pd.DataFrame, observed: np.ndarray,
                   norms: dict[str, float]) -> None:
    phone = (df["first_contact"] == CONTACT_KINDS[PHONE_LINE]).to_numpy()
    visit = (df["modality"] == "visit").to_numpy()
    for u in URGENCIES:
        sel = (df["urgency"] == u).to_numpy()
        resp = df["response_min"].to_numpy()[sel]
        phys = df["physician_min"].to_numpy()[sel]
        norm = df["norm_min"].to_numpy()[sel]
        out[f"{prefix}.{u}.n"] = float(sel.sum())
        for q in PERCENTILES:
            out[f"{prefix}.{u}.p{q}_min"] = percentile(resp, q)
        out[f"{prefix}.{u}.physician_p90_min"] = percentile(phys[~np.isnan(phys) | np.isnan(resp)], 90)
        # as for a physician: requests closed without that contact are left out here (they
        # count as late in within_norm, and as without_physician_share)
        out[f"{prefix}.{u}.norm_p90_min"] = percentile(norm[~np.isnan(norm) | ~np.isinf(observed[sel])], 90)
        out[f"{prefix}.{u}.within_norm"] = within_norm(norm, observed[sel], norms[u])
        # the old measure: first contact, against the phone-answer norm when a phone line answered first
        urgent = URGENCIES.index(u) + 1 <= URGENT_MAX_URGENCY
        answer = (norms["phone_urgent_s"] if urgent else norms["phone_other_s"]) / 60
        first_norm = np.where(phone[sel], answer, norms[u])
        out[f"{prefix}.{u}.first_contact_within_norm"] = within_norm(resp, observed[sel], first_norm)
        if URGENCIES.index(u) + 1 <= URGENT_MAX_URGENCY:
            v = visit[sel]
            # urgent visits: on site within the norm, the ambulance included
            out[f"{prefix}.{u}.visit_within_norm"] = within_norm(norm[v], observed[sel][v], norms[u])
            # the figure HAPs report (Giesen 2007): the physician on site, of the visits a physician made
            # (not those the ambulance took alone)
            made = v & ~(np.isinf(observed[sel]) & np.isnan(phys))
            out[f"{prefix}.{u}.physician_visit_within_norm"] = within_norm(phys[made], observed[sel][made], norms[u])
        closed = np.isinf(observed[sel])
        out[f"{prefix}.{u}.without_physician_share"] = float(np.isnan(phys[closed]).mean()) if closed.any() \
            else math.nan


def replication_kpis(run: RunTables) -> dict[str, float]:
    """Every KPI of one replication, from its tables alone (a results folder holds the same):
    demand and calibration, who handled the Wlz requests, response times per urgency, and
    load per service. Flat names, e.g. `service.P1.utilisation`."""
    sc, requests, stages = run.scenario, run.requests, run.stages
    origin = np.datetime64(sc.region.start, "ms")
    w0, w1 = run.warmup_end, run.horizon
    weeks = (w1 - w0) / MIN_PER_WEEK
    out: dict[str, float] = {}

    req = requests[~requests["warmup"].to_numpy()]
    arrival = _minutes(req["arrival"], origin)
    observed = observed_minutes(_minutes(req["done"], origin), (req["handled_by"] == "own_gp").to_numpy(), arrival, w1)
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

    handled = _counts(wlz["handled_by"])  # handler -> Wlz requests it handled (not yet handled: left out)
    for h in sorted(handled):
        out[f"handled.{h}.wlz_per_week"] = float(handled[h]) / weeks
    out["wlz.open_at_horizon"] = float(wlz["done"].isna().sum())
    answered = sum(handled.values())
    out["wlz.hap_share"] = float(handled.get("hap", 0) / answered) if answered else math.nan
    hap_all = (req["handled_by"] == "hap").to_numpy()
    out["hap.wlz_share_of_contacts"] = float(hap_all[wlz_mask].sum() / hap_all.sum()) if hap_all.any() else math.nan
    top = max(1, int(round(0.1 * sum(residents.values()))))
    out["wlz.top10pct_clients_request_share"] = float(_top_clients(wlz_loc, wlz["client"].to_numpy(), top)
                                                      / max(1, len(wlz)))

    referred = wlz["referred_seh"].to_numpy()
    out["seh.wlz_per_week"] = float(referred.sum()) / weeks
    direct = (wlz["handled_by"] == "seh").to_numpy()
    if direct.any():
        out["seh.direct_per_week"] = float(direct.sum()) / weeks
        out["seh.direct_response_p90_min"] = percentile(wlz["response_min"].to_numpy()[direct], 90)
    out["prevented.wlz_per_week"] = sum(run.prevented.values()) / (w1 / MIN_PER_WEEK)
    _ambulance_kpis(out, req, stages, wlz_mask, weeks)

    norms = sc.norms.model_dump()
    _response_kpis(out, "response.wlz", wlz, observed[wlz_mask], norms)
    _response_kpis(out, "response.background", bg, observed[~wlz_mask], norms)
    out["background.to_own_gp_per_week"] = float((bg["handled_by"] == "own_gp").sum()) / weeks
    urgency_of = requests["urgency"].cat.codes.to_numpy() + 1  # request_id is the row number
    _service_kpis(out, run, stages, origin, w0, w1, weeks, urgency_of)
    return out


def _ambulance_kpis(out: dict[str, float], req: pd.DataFrame, stages: pd.DataFrame, wlz_mask: np.ndarray,
                    weeks: float) -> None:
    """A1 rides for U1 (services/ambulance.py): per week, the share of U1 requests with one, and
    the share on site within 15 minutes of the 112 call (the A1 norm: 95%)."""
    rides = stages[(stages["resource"] == "ambulance").to_numpy()]
    ride_ids = rides["request_id"].to_numpy()
    req_ids = req["request_id"].to_numpy()
    size = int(max(req_ids.max(initial=-1), ride_ids.max(initial=-1))) + 1
    whose = np.full(size, -1, dtype=np.int8)  # by request_id: 0 Wlz, 1 background, -1 not measured (warm-up)
    whose[req_ids[wlz_mask]], whose[req_ids[~wlz_mask]] = 0, 1
    rode = np.zeros(size, dtype=bool)
    rode[ride_ids] = True
    u1 = (req["urgency"] == "U1").to_numpy()
    for code, who in enumerate(("wlz", "background")):
        mine = req_ids[(whose[req_ids] == code) & u1]
        out[f"ambulance.{who}_rides_per_week"] = float((whose[ride_ids] == code).sum()) / weeks
        out[f"response.{who}.U1.ambulance_share"] = float(rode[mine].mean()) if len(mine) else math.nan
    rides = rides[whose[ride_ids] >= 0]
    if len(rides):
        response = (rides["contact"] - rides["enter"]).dt.total_seconds().to_numpy() / 60
        out["ambulance.within_15_min"] = float(np.mean(response <= 15))


def _service_kpis(out: dict[str, float], run: RunTables, stages: pd.DataFrame, origin, w0: float, w1: float,
                  weeks: float, urgency_of: np.ndarray) -> None:
    """Per pool: handled, hours and FTE, capacity and utilisation, waits and planning,
    hand-overs, backlog; and the hours per kind and per workload category."""
    enter = _minutes(stages["enter"], origin)
    ready = _minutes(stages["ready"], origin)
    start = _minutes(stages["start"], origin)
    busy_min = stages["busy_min"].to_numpy()
    # time the professional was held inside the window (work in progress at the horizon too)
    busy = np.nan_to_num(np.clip(start + busy_min, w0, w1) - np.clip(start, w0, w1))
    outcome = stages["outcome"].cat.codes.to_numpy()
    # the professional saw the patient (not handed on unseen, not still open, not taken off it on the way)
    seen = (outcome != TRANSFERRED) & (outcome != OPEN) & (outcome != DIVERTED)
    resolved = outcome == RESOLVED
    in_window = (start >= w0) & (start < w1)
    asked_in_window = (ready >= w0) & (ready < w1) & (outcome != TRANSFERRED)  # offered here, moved or not
    out["gp.transfers_to_hap_per_week"] = 0.0
    waits_all = stages["wait_min"].to_numpy()
    planning_all = stages["planning_min"].to_numpy()
    preempt = stages["preempt"].to_numpy()
    reach = _minutes(stages["contact"], origin) - enter
    urgent = urgency_of[stages["request_id"].to_numpy()] <= URGENT_MAX_URGENCY
    norms = run.scenario.norms
    by_kind: dict[str, float] = {}
    category: dict[str, str] = {}
    n_weeks = max(1, int(round(weeks)))
    week_of = np.clip(((start - w0) // MIN_PER_WEEK), 0, n_weeks - 1)
    week_of = np.nan_to_num(week_of).astype(int)
    rows_of = rows_by_category(stages["resource"])
    pool_code = stages["resource"].cat.codes.to_numpy()
    pool_number = {name: k for k, name in enumerate(stages["resource"].cat.categories)}
    waiting_in = backlog(pool_code, len(pool_number), ready, start, w0 + MIN_PER_WEEK * np.arange(1, n_weeks + 1))
    nothing = np.zeros(0, dtype=np.int64)
    for pool in run.resources:
        rows = rows_of.get(pool.pool, nothing)
        windowed = rows[in_window[rows]]
        counted = windowed[seen[windowed]]  # seen in the measured window
        asked = rows[asked_in_window[rows]]
        minutes = float(busy[rows].sum())
        urgent_minutes = float(busy[rows][preempt[rows]].sum())
        capacity = pool.capacity(w0, w1)
        kind = pool.kind
        key = f"service.{pool.pool}"
        out[f"{key}.handled_per_week"] = float(counted.size) / weeks
        weekly = np.bincount(week_of[counted], minlength=n_weeks)
        weekly_hours = np.bincount(week_of[counted], weights=busy[counted], minlength=n_weeks) / 60
        out[f"{key}.handled_week_p90"] = float(np.quantile(weekly, 0.9))  # the busiest weeks
        out[f"{key}.hours_week_p90"] = float(np.quantile(weekly_hours, 0.9))
        if pool.first_line or kind == "hap":  # services that settle requests themselves
            out[f"{key}.resolved_share"] = _share(resolved[windowed])
        out[f"{key}.hours_per_week"] = minutes / 60 / weeks
        out[f"{key}.fte"] = minutes / 60 / weeks / pool.fte_hours
        out[f"{key}.capacity_hours_per_week"] = capacity / 60 / weeks
        # urgent work takes professionals off other work: that time counts as capacity too,
        # so utilisation stays at most 1 while the free time is never overspent
        out[f"{key}.utilisation"] = minutes / (capacity + urgent_minutes) if capacity + urgent_minutes > 0 else math.nan
        if pool.has_free_time:
            out[f"{key}.urgent_hours_per_week"] = urgent_minutes / 60 / weeks
        out[f"{key}.wait_p90_min"] = percentile(waits_all[asked], 90)  # still waiting at the horizon: open
        planned = asked[planning_all[asked] > 0]
        if planned.size:
            out[f"{key}.planning_p90_min"] = percentile(planning_all[planned], 90)
        moved = rows[(outcome[rows] == TRANSFERRED) & (ready[rows] >= w0) & (ready[rows] < w1)]
        out[f"{key}.transferred_per_week"] = float(moved.size) / weeks
        if kind == "practice":
            out["gp.transfers_to_hap_per_week"] += float(moved.size) / weeks
        waiting = waiting_in[pool_number[pool.pool]] if pool.pool in pool_number else np.zeros(n_weeks, dtype=np.int64)
        out[f"{key}.waiting_at_horizon"] = float(waiting[-1]) if waiting.size else 0.0
        out[f"{key}.backlog_growing"] = float(growing(waiting))
        # what was offered to the staff on duty, seen or not: the work seen, plus what waited
        # here and was handed on unseen at closing or is still waiting at the end, each at the
        # mean time of the work seen
        handed_on = moved[ready[moved] < start[moved] - 1e-9]  # waited in the queue first
        still = asked[outcome[asked] == OPEN]
        unseen = handed_on.size + int(np.isnan(start[still]).sum())
        mean_job = float(busy_min[counted].mean()) if counted.size else 0.0
        offered = minutes + unseen * mean_job
        out[f"{key}.offered_load"] = offered / (capacity + urgent_minutes) if capacity + urgent_minutes > 0 \
            else (math.inf if offered > 0 else math.nan)
        out[f"{key}.handed_on_per_week"] = float(handed_on.size) / weeks
        out[f"{key}.handed_on_share"] = _share(np.r_[np.zeros(counted.size), np.ones(handed_on.size)])
        if pool.planned_times.size:
            out[f"{key}.unstaffed_hours_per_week"] = pool.unstaffed(w0, w1) / 60 / weeks
        by_kind[kind] = by_kind.get(kind, 0.0) + minutes / 60 / weeks
        category[kind] = pool.category
        if not math.isnan(pool.planned_hours):  # weekly rounds: planned workload on top
            out[f"{key}.planned_hours_per_week"] = pool.planned_hours
            by_kind[kind] += pool.planned_hours
        if pool.phone_line:
            limit = np.where(urgent[counted], norms.phone_urgent_s, norms.phone_other_s) / 60
            answered = waits_all[counted] <= limit
            out[f"{key}.answered_within_phone_norm"] = _share(answered)
            # each line against its own norm and target (urgent 90% within 30 s, others 75% within 2 min)
            out[f"{key}.urgent_line_within_norm"] = _share(answered[urgent[counted]])
            out[f"{key}.other_line_within_norm"] = _share(answered[~urgent[counted]])
        if not math.isnan(pool.target_min):  # on location within its target (aanrijdteam)
            out[f"{key}.within_target"] = _share(reach[counted] <= pool.target_min)
    for kind, hours in by_kind.items():
        out[f"hours.{kind}_per_week"] = hours
    out["hours.nurse_per_week"] = sum(h for k, h in by_kind.items() if category[k] == "nurse")
    out["hours.physician_per_week"] = sum(h for k, h in by_kind.items() if category[k] == "physician")


def _counts(col: pd.Series) -> dict[str, int]:
    """Rows per category of a categorical column, for the categories that occur (missing
    values, e.g. not yet handled, are left out)."""
    codes = col.cat.codes.to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(col.cat.categories))
    return {str(name): int(n) for name, n in zip(col.cat.categories, counts) if n}


def _top_clients(location: np.ndarray, client: np.ndarray, top: int) -> int:
    """Requests of the `top` clients who asked most (a client is a location and a number)."""
    key = location.astype(np.int64) * (int(client.max(initial=0)) + 1) + client.astype(np.int64)
    counts = np.unique(key, return_counts=True)[1]
    return int(np.sort(counts)[::-1][:top].sum())


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
        with np.errstate(invalid="ignore"):  # +inf and -inf together (a change in an open percentile): NaN
            mean = float(x.mean()) if n else math.nan
        # a percentile still open at the horizon is infinite: it has a mean (inf) but no spread
        sd = float(x.std(ddof=1)) if n > 1 and np.isfinite(x).all() else math.nan
        if n > 1 and np.isfinite(x).all():
            half = float(stdtrit(n - 1, 0.5 + confidence / 2) * sd / math.sqrt(n))
        else:
            half = math.nan
        result[name] = {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half, "n": n}
    return result
