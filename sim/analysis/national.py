"""A country's key figures from its regions' KPIs: one row per region (load per 1,000
inhabitants, norms met, the HAP's offered load, services that cannot keep up) and the
country's totals, counted over all regions' requests alike.

Definitions (docs/model.md, "The national scenario"):
- HAP contacts: the general population's requests at the post (the background) plus the Wlz
  requests the HAP handled; per 1,000 inhabitants a year (52.18 weeks), the figure Nivel and
  InEen publish (231-255 per 1,000).
- Norms met: the share of requests (Wlz and background) whose norm contact came within the
  urgency's norm; the country's share weighs each region by its requests of that urgency.
- Overload: the services analysis/overload.py names, with their reasons; a region is in
  overload when one of its services is.
- Where a region breaks first: the highest offered load of its HAP's pools (work offered
  against the time rostered; 0.95 is overload).
"""

from __future__ import annotations

import math
from typing import Any

from sim.analysis.overload import OVERLOAD_UTILISATION, overload_reasons
from sim.fmt import real

WEEKS_PER_YEAR = 365.25 / 7
NORM_URGENCIES = ("U1", "U2", "U3")
SOURCES = ("wlz", "background")


def _mean(kpis: dict[str, dict[str, float]], name: str) -> float:
    return real((kpis.get(name) or {}).get("mean")) or 0.0


def region_row(region: str, name: str, inhabitants: int, wlz_clients: int, haps: list[str],
               summary: dict[str, Any]) -> dict[str, Any]:
    """One region's key figures from its summary.json (KPI means over the replications)."""
    kpis = summary["kpis"]
    hap_week = _mean(kpis, "demand.background_requests_per_week") + _mean(kpis, "handled.hap.wlz_per_week")
    row: dict[str, Any] = {
        "region": region, "name": name, "inhabitants": inhabitants, "wlz_clients": wlz_clients,
        "hap_contacts_per_week": hap_week,
        "hap_contacts_per_1000_year": hap_week * WEEKS_PER_YEAR / inhabitants * 1000,
        "wlz_requests_per_week": _mean(kpis, "demand.wlz_requests_per_week"),
        "wlz_hap_per_week": _mean(kpis, "handled.hap.wlz_per_week"),
    }
    for u in NORM_URGENCIES:
        n = sum(_mean(kpis, f"response.{s}.{u}.n") for s in SOURCES)
        met = sum(_mean(kpis, f"response.{s}.{u}.n") * _mean(kpis, f"response.{s}.{u}.within_norm") for s in SOURCES)
        row[f"{u}_n"] = n
        row[f"{u}_within_norm"] = met / n if n else math.nan
    loads = {pool: _mean(kpis, f"service.{pool}.offered_load") for hap in haps
             for pool in (f"{hap}:triage", f"{hap}:doctor", f"{hap}:car")}
    worst = max(loads, key=lambda p: loads[p]) if loads else ""
    row["hap_offered_load"] = loads.get(worst, math.nan)
    row["hap_worst_pool"] = worst
    reasons = overload_reasons(kpis)
    row["overloaded_services"] = len(reasons)
    row["overloaded_hap"] = sum(pool.split(":")[0] in haps for pool in reasons)
    row["overload"] = "; ".join(f"{pool}: {why}" for pool, (why, _) in sorted(reasons.items()))
    return row


def national_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The country's key figures from its regions' rows."""
    inhabitants = sum(r["inhabitants"] for r in rows)
    hap = sum(r["hap_contacts_per_week"] for r in rows)
    out: dict[str, Any] = {
        "regions": len(rows),
        "inhabitants": inhabitants,
        "wlz_clients": sum(r["wlz_clients"] for r in rows),
        "hap_contacts_per_year": hap * WEEKS_PER_YEAR,
        "hap_contacts_per_1000_year": hap * WEEKS_PER_YEAR / inhabitants * 1000 if inhabitants else math.nan,
        "wlz_requests_per_week": sum(r["wlz_requests_per_week"] for r in rows),
        "regions_overloaded": sum(r["overloaded_services"] > 0 for r in rows),
        "regions_hap_overloaded": sum(r["overloaded_hap"] > 0 for r in rows),
        "regions_near_overload": sum(r["hap_offered_load"] >= 0.85 for r in rows),
        "overload_threshold": OVERLOAD_UTILISATION,
    }
    for u in NORM_URGENCIES:
        n = sum(r[f"{u}_n"] for r in rows)
        met = sum(r[f"{u}_n"] * r[f"{u}_within_norm"] for r in rows if r[f"{u}_n"])
        out[f"{u}_within_norm"] = met / n if n else math.nan
    return out


def breaking_first(rows: list[dict[str, Any]], count: int = 15) -> list[dict[str, Any]]:
    """The regions closest to overload (highest HAP offered load first)."""
    return sorted(rows, key=lambda r: (-(r["hap_offered_load"] if not math.isnan(r["hap_offered_load"]) else -1),
                                       r["region"]))[:count]
