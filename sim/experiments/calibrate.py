"""Fit the demand parameters from a region's own consult export.

Input: a CSV with one row per consult and the columns
    timestamp  (ISO date-time), type (telephone / consult / visit; Dutch telefonisch /
    consult / visite also work), urgency (U1-U5) or acute (yes/no), location (id),
    residents (the location's number of residents), and optionally client (an id, for
    the per-resident dispersion).
Output: a `demand:` block for a scenario (rate per resident per week, urgency and
modality mix, hour-of-week profile, frailty shape) with 95% intervals, which a scenario
can use as it is (`--base` writes a complete scenario that extends a base scenario).
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.errors import ScenarioError
from sim.reading import read_bytes
from sim.scenario import plain_yaml
from sim.scenario.demand import LocationDemand
from sim.scenario.schema import FRAILTY_SHAPE_MIN, KINDS, MODALITIES, URGENCIES

TYPE_WORDS = {"telephone": "telephone", "telefonisch": "telephone", "telefoon": "telephone", "phone": "telephone",
              "consult": "consult", "spreekuur": "consult", "visit": "visit", "visite": "visit", "huisbezoek": "visit"}
YES = {"1", "true", "yes", "ja", "j", "y"}
NO = {"0", "false", "no", "nee", "n"}
REQUIRED = ("timestamp", "type", "location", "residents")
MAX_EXPORT_BYTES = 512 * 1024**2  # ~8 million consults: every Dutch Wlz client's for a year, several times


def _row_error(path: Path, row: int, column: str, value: Any, allowed: str) -> ScenarioError:
    # row numbers as a spreadsheet shows them: the header is row 1
    return ScenarioError(f"{path}, row {row + 2}: column '{column}': {value!r} is not valid; {allowed}")


def read_export(path: Path) -> pd.DataFrame:
    data = read_bytes(path, "consult export (CSV)", MAX_EXPORT_BYTES, str(path))  # a regular file, bounded
    try:
        df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    except pd.errors.EmptyDataError:
        raise ScenarioError(f"{path}: the file is empty") from None
    df.columns = [c.strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if not ("urgency" in df.columns or "acute" in df.columns):
        missing.append("urgency or acute")
    if missing:
        raise ScenarioError(f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(df.columns)})")
    if df.empty:
        raise ScenarioError(f"{path}: no rows")
    out = pd.DataFrame(index=df.index)
    ts = pd.to_datetime(df["timestamp"].str.strip(), errors="coerce")
    bad = ts.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise _row_error(path, i, "timestamp", df["timestamp"].iloc[i], "use an ISO date-time like 2025-03-04 10:15")
    out["timestamp"] = ts
    kind = df["type"].str.strip().str.lower().map(TYPE_WORDS)
    if kind.isna().any():
        i = int(np.flatnonzero(kind.isna().to_numpy())[0])
        raise _row_error(path, i, "type", df["type"].iloc[i], "allowed: telephone, consult, visit "
                                                             "(or telefonisch, consult, visite)")
    out["type"] = kind
    if "urgency" in df.columns and (df["urgency"].str.strip() != "").all():
        urg = df["urgency"].str.strip().str.upper()
        bad = ~urg.isin(URGENCIES)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise _row_error(path, i, "urgency", df["urgency"].iloc[i], "allowed: U1, U2, U3, U4, U5")
        out["urgency"] = urg
        out["acute"] = urg.isin(URGENCIES[:3])
    else:
        if "acute" not in df.columns:
            raise ScenarioError(f"{path}: the urgency column has empty cells and there is no acute column")
        flag = df["acute"].str.strip().str.lower()
        bad = ~flag.isin(YES | NO)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise _row_error(path, i, "acute", df["acute"].iloc[i], "allowed: yes/no, ja/nee, true/false, 1/0")
        out["acute"] = flag.isin(YES)
    out["location"] = df["location"].str.strip()
    if (out["location"] == "").any():
        i = int(np.flatnonzero((out["location"] == "").to_numpy())[0])
        raise _row_error(path, i, "location", "", "give the location's id")
    res = pd.to_numeric(df["residents"], errors="coerce")
    bad = res.isna() | (res <= 0) | (res != res.round())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise _row_error(path, i, "residents", df["residents"].iloc[i], "a whole number above 0")
    out["residents"] = res.astype(int)
    if out.groupby("location")["residents"].nunique().max() > 1:
        loc = out.groupby("location")["residents"].nunique().idxmax()
        raise ScenarioError(f"{path}: location '{loc}' has different residents counts on different rows; "
                            "give each location one number")
    if "client" in df.columns:
        out["client"] = df["client"].str.strip()
    return out


def _poisson_ci(count: int, exposure: float) -> tuple[float, float]:
    lo = stats.chi2.ppf(0.025, 2 * count) / 2 if count > 0 else 0.0
    hi = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return lo / exposure, hi / exposure


def _share_ci(k: int, n: int) -> tuple[float, float]:
    """Wilson score interval."""
    if n == 0:
        return (math.nan, math.nan)
    p, z = k / n, 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def fit(df: pd.DataFrame, kind: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    """Fit the demand block. The observation period defaults to whole weeks: from the
    Monday before the first consult to the Sunday after the last (an export of a quarter
    or a year usually covers whole weeks); give start/end (dates) when it does not."""
    lo, hi = df["timestamp"].min().normalize(), df["timestamp"].max().normalize()
    first = pd.Timestamp(start) if start else lo - pd.Timedelta(days=lo.day_of_week)
    last = pd.Timestamp(end) if end else hi + pd.Timedelta(days=6 - hi.day_of_week)
    if first > lo or last < hi:
        raise ScenarioError(f"the export has consults from {lo.date()} to {hi.date()}, outside the period "
                            f"{first.date()} to {last.date()}")
    days = (last - first).days + 1
    weeks = days / 7
    residents = int(df.groupby("location")["residents"].first().sum())
    n = len(df)
    rate = n / (residents * weeks)
    report: dict[str, Any] = {"rows": n, "locations": int(df["location"].nunique()), "residents": residents,
                              "weeks": weeks, "from": str(first.date()), "to": str(last.date())}
    report["rate_per_resident_week"] = {"value": rate, "ci95": _poisson_ci(n, residents * weeks)}
    mix = df["type"].value_counts()
    report["modality"] = {m: {"share": mix.get(m, 0) / n, "ci95": _share_ci(int(mix.get(m, 0)), n)} for m in MODALITIES}
    acute = int(df["acute"].sum())
    report["acute_share"] = {"value": acute / n, "ci95": _share_ci(acute, n)}
    weekend = int((df["timestamp"].dt.day_of_week >= 5).sum())
    report["weekend_share"] = {"value": weekend / n, "ci95": _share_ci(weekend, n)}

    default = LocationDemand()
    if "urgency" in df.columns:
        counts = df["urgency"].value_counts()
        urgency_mix = {u: float(counts.get(u, 0) / n) for u in URGENCIES}
    else:  # only an acute flag: keep the default split within acute and within non-acute
        d = default.urgency_mix
        a_tot, n_tot = sum(d[u] for u in URGENCIES[:3]), sum(d[u] for u in URGENCIES[3:])
        urgency_mix = {u: (acute / n) * d[u] / a_tot if i < 3 else (1 - acute / n) * d[u] / n_tot
                       for i, u in enumerate(URGENCIES)}
    report["urgency_mix"] = urgency_mix
    group = df["urgency"] if "urgency" in df.columns else np.where(df["acute"], "acute", "non-acute")
    overall = {m: mix.get(m, 0) / n for m in MODALITIES}
    modality_mix = {}
    for u in URGENCIES:
        key = u if "urgency" in df.columns else ("acute" if u in URGENCIES[:3] else "non-acute")
        sub = df["type"][np.asarray(group) == key]
        # a row with fewer than 20 consults borrows the overall mix (too little to estimate)
        shares = sub.value_counts(normalize=True) if len(sub) >= 20 else pd.Series(overall)
        row = {m: float(shares.get(m, 0.0)) for m in MODALITIES}
        total = sum(row.values())
        modality_mix[u] = {m: row[m] / total for m in MODALITIES}
    report["modality_mix"] = modality_mix

    dow, hour = df["timestamp"].dt.day_of_week.to_numpy(), df["timestamp"].dt.hour.to_numpy()
    weekday = np.bincount(hour[dow < 5], minlength=24) / 5 + 0.05  # per weekday; a small floor keeps every hour possible
    weekend_h = np.bincount(hour[dow >= 5], minlength=24) / 2 + 0.05
    scale = weekday.sum()
    report["profile"] = {"weekday": [round(float(x / scale), 6) for x in weekday],
                         "weekend": [round(float(x / scale), 6) for x in weekend_h]}
    report["frailty_shape"] = None
    if "client" in df.columns:
        per_client = df.groupby(["location", "client"]).size()
        # clients without any consult are missing from the export: add them as zeros
        zeros = residents - len(per_client)
        counts_c = np.r_[per_client.to_numpy(), np.zeros(max(0, zeros))]
        m, v = counts_c.mean(), counts_c.var(ddof=1)
        report["frailty_shape"] = float(m * m / (v - m)) if v > m else None
        report["dispersion_index"] = float(v / m) if m > 0 else None
    report["kind"] = kind
    return report


def demand_block(report: dict[str, Any]) -> dict[str, Any]:
    block: dict[str, Any] = {
        "rate_per_resident_week": {report["kind"]: round(report["rate_per_resident_week"]["value"], 6)},
        "urgency_mix": {u: round(v, 6) for u, v in report["urgency_mix"].items()},
        "modality_mix": {u: {m: round(v, 6) for m, v in row.items()} for u, row in report["modality_mix"].items()},
        "profile": report["profile"],
    }
    # re-normalise after rounding so the shares sum to exactly 1
    for mix in [block["urgency_mix"], *block["modality_mix"].values()]:
        key = max(mix, key=mix.get)
        mix[key] = round(mix[key] + 1 - sum(mix.values()), 6)
    if report.get("frailty_shape"):
        # a scenario takes shapes from 0.05 (below, a draw can underflow to zero): a fit below is clamped
        block["frailty_shape"] = max(FRAILTY_SHAPE_MIN, round(report["frailty_shape"], 4))
    return block


def run_calibrate(path: Path, kind: str, out: Path, base: str | None = None, start: str | None = None,
                  end: str | None = None) -> tuple[dict[str, Any], str]:
    if kind not in KINDS:
        raise ScenarioError(f"--location-kind: '{kind}' is not one of {', '.join(KINDS)}")
    for name, value in (("--from", start), ("--to", end)):
        if value is not None and pd.to_datetime(value, errors="coerce") is pd.NaT:
            raise ScenarioError(f"{name}: '{value}' is not a date (use YYYY-MM-DD)")
    report = fit(read_export(path), kind, start, end)
    doc: dict[str, Any] = {}
    if base:
        doc["extends"] = base
        doc["scenario"] = f"calibrated-{Path(path).stem}"
        doc["description"] = f"demand fitted from {Path(path).name}"
    doc["demand"] = demand_block(report)
    header = (f"# Demand fitted by mgz-sim calibrate from {Path(path).name}: {report['rows']} consults, "
              f"{report['locations']} locations, {report['residents']} residents, {report['weeks']:.1f} weeks\n")
    text = header + plain_yaml.dump(doc, allow_unicode=False)
    out.write_text(text, encoding="utf-8")
    return report, text


def export_requests(requests: pd.DataFrame, residents: dict[str, int]) -> pd.DataFrame:
    """A simulator requests table in the export format (for tests and examples)."""
    wlz = requests[(requests["source"] == "wlz") & ~requests["warmup"]]
    return pd.DataFrame({
        "timestamp": wlz["arrival"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "type": wlz["modality"].astype(str),
        "urgency": wlz["urgency"].astype(str),
        "location": wlz["location_id"].astype(str),
        "residents": wlz["location_id"].astype(str).map(residents),
        "client": wlz["client"].astype(str),
    })
