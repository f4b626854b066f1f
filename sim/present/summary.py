"""The readable summary a run prints: calibration, demand, workload, response times, and
the assumptions behind them (so nobody has to open the YAML to know what was assumed)."""

from __future__ import annotations

import math
from typing import Any

from sim.analysis.metrics import SEED_000
from sim.fmt import digits_for, fmt_ci, fmt_minutes, fmt_value, text_table
from sim.scenario.config import URGENCIES, Scenario


def _val(kpis: dict[str, Any], name: str, digits: int = 1, ci: bool = False) -> str:
    k = kpis.get(name)
    if not k:
        return "-"
    return fmt_ci(k, digits) if ci else fmt_value(k["mean"], digits)


def _comparison(cmp: dict[str, Any], k: dict[str, Any]) -> list[str]:
    rows = []
    for name, d in cmp["difference"].items():
        before = cmp["parent_kpis"][name]["mean"]
        after = k.get(name, {}).get("mean", 0.0)
        if (before == 0 and after in (0, None)) or (isinstance(after, float) and math.isnan(after)):
            continue
        if d["mean"] == 0 and (d["sd"] == 0 or d["n"] < 2):
            continue  # identical on the same random numbers
        digits = digits_for(name)
        rows.append([name, fmt_value(before, digits), fmt_value(after, digits), fmt_ci(d, digits)])
    head = [f"Compared with '{cmp['parent']}' on the same random numbers (difference ±95% CI; "
            "KPIs not shown are identical)"]
    return head + text_table(["KPI", cmp["parent"], "this scenario", "difference"], rows)


def overload_warning(over: dict[str, str]) -> list[str]:
    """The lines that open a summary when a service cannot keep up: its figures (and those
    behind it) describe a queue that never empties, not a region that copes."""
    if not over:
        return []
    return ["WARNING: overloaded: " + "; ".join(f"{pool} ({why})" for pool, why in over.items())
            + ". Waits there grow with the horizon; add staff or reduce demand before reading the results.", ""]


def assumptions(sc: Scenario) -> list[str]:
    d, hap = sc.demand, sc.all_spoedposten()[0]
    kinds = ", ".join(f"{k} {v:.3f}" for k, v in d.rate_per_resident_week.items())
    return [
        f"Demand per resident per week: {kinds} [seed 000: 4.1/week for ~20 residents; other kinds assumed equal]",
        "Urgency mix (Wlz): " + ", ".join(f"{u} {d.urgency_mix[u]:.0%}" for u in URGENCIES)
        + " [seed 000: 14% acute]",
        f"Per-resident frailty: gamma shape {d.frailty_shape:g} (frequent callers); "
        f"{'normalised per location' if d.frailty_normalise else 'not normalised'} [assumption]",
        "GP practices: share of GP time taken by the rest of the list (regular_load) "
        + ", ".join(f"{p.id} {p.regular_load:.0%}" for p in sc.practices) + "; non-urgent work for the locations "
        "waits for the rest, U1-U2 take a GP off other work [assumption]",
        "A practice closed in office hours passes urgent and can't-wait calls to its waarneming ("
        + ", ".join(f"{p.id}: {p.waarneming or 'next open practice'}" for p in sc.practices) + ") [assumption]",
        "HAP background: " + "; ".join(f"{h.id} {h.background.contacts_per_1000_year:g} contacts per 1,000 "
                                       f"inhabitants per year x {h.inhabitants or sc.region.inhabitants:,}"
                                       for h in sc.all_spoedposten()) + " [lit: PLoS One 2017]",
        f"HAP triagist settles {hap.triage.resolves_telephone_share:.0%} of telephone questions of "
        f"{'/'.join(hap.triage.resolves_urgencies)} alone (27.5% of all calls) [lit: PMC1713241; NTS: U1-U2 to a physician]",
        "HAP rosters: " + "; ".join(f"{h.id} for {h.inhabitants or sc.region.inhabitants:,} inhabitants, doctors "
                                   + "/".join(str(b.count) for b in h.doctors) for h in sc.all_spoedposten())
        + " (evening/night/weekend day/weekend night; defaults scaled from 120,000 inhabitants) [assumption]",
        "Norms: a nurse or triagist who settles a request alone meets the norm of "
        + "/".join(sc.norms.settled_without_physician) + " [lit: NTS]",
        f"Office hours {sc.calendar.office_start}-{sc.calendar.office_end} on working days; "
        f"public holidays ({sc.calendar.holidays.country}, excluding {', '.join(sc.calendar.holidays.exclude) or 'none'}) are ANW",
        f"Warm-up {sc.region.warmup_weeks} weeks excluded; {sc.region.weeks} weeks measured",
        *_block_assumptions(sc),
    ]


def _block_assumptions(sc: Scenario) -> list[str]:
    """What each arrangement block and pressure assumes: the figures no Dutch source gives."""
    out = [english for s in sc.services for english, _dutch in s.assumptions()]
    p = sc.pressures
    if p.demand_growth:
        out.append(f"Demand growth +{p.demand_growth:.1%} on Wlz and HAP demand [seed 003: +11.4% by 2040]")
    if p.gp_capacity_factor < 1:
        out.append(f"GP time for the locations at {p.gp_capacity_factor:.0%} of today's (GP shortage)")
    if p.sickness_absence:
        out.append(f"Sickness absence: each rostered shift missed with chance {p.sickness_absence:.0%}, no replacement")
    out.append("SEH referral after physician contact: " + ", ".join(
        f"{u} {p.seh_referral[u]:.0%}" for u in URGENCIES if p.seh_referral[u]) + " [assumption]")
    if sc.routes:
        out.append(f"Routes: {len(sc.routes)} scenario route(s) first, then "
                   + ("the baseline routes (A)" if sc.baseline_fallback else "no fallback"))
    return out


def render(sc: Scenario, summary: dict[str, Any], folder: str | None = None) -> str:
    k = summary["kpis"]
    reps = summary["replications"]
    out = [*overload_warning(summary.get("overloaded", {})),
        f"{sc.region.name} - scenario '{sc.scenario}'" + (f": {sc.description}" if sc.description else ""),
        f"{len(sc.locations)} locations, {sum(l.residents for l in sc.locations):,} residents, "
        f"{len(sc.practices)} GP practices, {len(sc.all_spoedposten())} "
        f"{'spoedpost' if len(sc.all_spoedposten()) == 1 else 'spoedposten'}, "
        f"{len(sc.behandeldiensten)} behandeldiensten; "
        f"{sc.region.weeks} week{'s' if sc.region.weeks != 1 else ''} x {reps} replication{'s' if reps != 1 else ''}, "
        f"seed {sc.region.seed}"
        + (" (mean ±95% CI half-width)" if reps > 1 else ""),
        "",
        "Calibration: kleinschalig locations without behandeling vs seed 000 (Het Gastenhuis)",
    ]
    pre = "calibration.kleinschalig"
    rows = []
    for name, target in SEED_000.items():
        if f"{pre}.{name}" in k:
            digits = 2 if name.endswith("_week") else 3
            rows.append([name.replace("_", " "), _val(k, f"{pre}.{name}", digits, ci=True), fmt_value(target, digits)])
    out += text_table(["measure", "simulated", "seed 000"], rows) if rows else ["  (no kleinschalig location)"]

    out += ["", "Care requests per week per location"]
    rows = [[loc.id, loc.name[:28], loc.kind + ("+B" if loc.behandeling else ""), loc.sector, str(loc.residents),
             _val(k, f"location.{loc.id}.requests_per_week", 2)] for loc in sc.locations]
    out += text_table(["id", "name", "kind", "sector", "residents", "req/week"], rows)
    out.append(f"Wlz requests per week: {_val(k, 'demand.wlz_requests_per_week', 1, True)}; "
               f"HAP background: {_val(k, 'demand.background_requests_per_week', 0)}; "
               f"handled by HAP: {_val(k, 'wlz.hap_share', 3)} of Wlz requests; "
               f"Wlz share of HAP contacts: {_val(k, 'hap.wlz_share_of_contacts', 3)}")

    out += ["", "Workload per service (Wlz and, at the HAP, the general population)"]
    names = sorted({n.split(".")[1] for n in k if n.startswith("service.")},
                   key=lambda s: (":" not in s, s))  # the HAPs' pools (id:role) first
    rows = [[s, _val(k, f"service.{s}.handled_per_week", 1), _val(k, f"service.{s}.hours_per_week", 1, True),
             _val(k, f"service.{s}.fte", 2), _val(k, f"service.{s}.capacity_hours_per_week", 0),
             _val(k, f"service.{s}.utilisation", 3),
             fmt_minutes(k.get(f"service.{s}.wait_p90_min", {}).get("mean", math.nan))] for s in names]
    out += text_table(["service", "handled/wk", "hours/wk", "FTE", "capacity h/wk", "utilisation", "wait p90"], rows)
    for s in names:
        if f"service.{s}.planned_hours_per_week" in k:
            out.append(f"{s}: planned rounds {_val(k, f'service.{s}.planned_hours_per_week', 1)} h/week on top "
                       "(counted in the nurse workload)")
        if f"service.{s}.within_target" in k:
            out.append(f"{s}: on location within target in {_val(k, f'service.{s}.within_target', 3, True)} of call-outs")
        if f"service.{s}.answered_within_phone_norm" in k:
            out.append(f"{s}: answered within the phone norm (urgent 30 s, other 2 min) for "
                       f"{_val(k, f'service.{s}.answered_within_phone_norm', 3)} of calls")
    if k.get("prevented.wlz_per_week", {}).get("mean"):
        out.append(f"Requests prevented by proactive care: {_val(k, 'prevented.wlz_per_week', 1, True)} per week")
    out.append(f"SEH referrals of Wlz clients: {_val(k, 'seh.wlz_per_week', 2, True)} per week")
    out.append(f"Acute requests passed from GP practices to the HAP at closing: "
               f"{_val(k, 'gp.transfers_to_hap_per_week', 2)} per week")

    for who, label in (("wlz", "Wlz clients"), ("background", "general population at the HAP")):
        out += ["", f"Response times, {label}: the norm counts the contact that settles the urgency (a physician; "
                    "for U1 also the ambulance; a nurse or triagist only when she settles U3-U5); first contact is "
                    "whoever answers"]
        rows = []
        for u in URGENCIES:
            p = f"response.{who}.{u}"
            rows.append([u, _val(k, f"{p}.n", 0), fmt_minutes(k.get(f"{p}.p90_min", {}).get("mean", math.nan)),
                         _val(k, f"{p}.first_contact_within_norm", 3),
                         fmt_minutes(k.get(f"{p}.physician_p90_min", {}).get("mean", math.nan)),
                         fmt_minutes(k.get(f"{p}.norm_p90_min", {}).get("mean", math.nan)),
                         fmt_minutes(getattr(sc.norms, u)), _val(k, f"{p}.within_norm", 3, True)])
        out += text_table(["urgency", "n", "first contact p90", "first within", "physician p90", "norm contact p90",
                           "norm", "within norm"], rows)

    if "comparison" in summary:
        out += ["", *_comparison(summary["comparison"], k)]
    out += ["", "Assumptions (see the resolved scenario.yaml for every parameter and its source)"]
    out += [f"- {a}" for a in assumptions(sc)]
    if folder:
        out += ["", f"Results written to {folder}"]
    return "\n".join(out)
