"""The rules of the first screen, without a browser: honest numbers (no '100%' for 99.6%, no
'-0,0', share intervals within 0-100%), the alarm for every failing norm and every
overloaded service whatever its reason, changes said as their interval allows, the impact
verdict against the practice's target, sensitivity verdicts coloured by what they mean for
clients, and names instead of ids."""

from __future__ import annotations

import datetime as dt

import pytest

from sim.fmt import fmt_percent, fmt_value, number
from sim.present import headline
from sim.present.decisions import about, impact_key_figures, verdict
from sim.present.explorations import verdict_status
from sim.present.glossary import OVERLOAD_REASONS, overload_reason
from sim.present.labels import fmt_kpi, fmt_kpi_range, param_label
from sim.present.page import BAD, INFO, OK, WARN


def stats(mean: float, lo: float | None = None, hi: float | None = None, n: int = 5) -> dict:
    lo = mean if lo is None else lo
    hi = mean if hi is None else hi
    return {"mean": mean, "ci_low": lo, "ci_high": hi, "sd": (hi - lo) / 4, "n": n}


@pytest.mark.parametrize("value, digits, shown", [
    (0.996, 0, "99,6%"), (1.0, 0, "100%"), (0.0, 0, "0%"), (0.003, 0, "0,3%"), (0.9999, 0, "99,99%"),
    (0.000001, 0, "<0,1%"), (0.893, 0, "89%"), (0.893, 1, "89,3%"), (0.5, 0, "50%")])
def test_a_share_never_reads_as_all_or_nothing_when_it_is_not(value, digits, shown):
    assert fmt_percent(value, digits, "nl") == shown


def test_nothing_reads_as_minus_zero():
    assert number(-0.04, 1, "nl") == "0,0" and number(-0.04, 1, "nl", True) == "0,0"
    assert fmt_value(-0.0001, 1, "nl", True) == "0,0" and fmt_value(0.06, 1, "nl", True) == "+0,1"
    assert fmt_kpi("response.wlz.U2.within_norm", -0.00001, "nl", True) == "0,0 %-punt"


def test_a_share_interval_stays_within_0_and_100_percent():
    assert fmt_kpi_range("response.wlz.U1.within_norm", stats(0.96, 0.856, 1.064), "nl") == "95%-BI 85,6% tot 100,0%"
    assert fmt_kpi_range("response.wlz.U1.within_norm", stats(0.02, -0.01, 0.05), "en") == "95% CI 0.0% to 5.0%"
    # a change in a share keeps its sign and reads in percentage points, the unit once
    assert fmt_kpi_range("response.wlz.U1.within_norm", stats(-0.14, -0.272, -0.009), "nl", True) == \
        "95%-BI -27,2 tot -0,9 %-punt"
    # a long time in hours
    assert fmt_kpi("response.background.U5.physician_p90_min", 256, "nl", True) == "+4,3 u"


def test_a_change_whose_interval_includes_no_change_is_said_so():
    said = about("handled.hap.wlz_per_week", stats(1.3, -0.3, 2.9), "nl")
    assert said.startswith("geen aantoonbare verandering (ongeveer +1,3, maar onzeker: 95%-BI -0,3 tot +2,9")
    assert about("handled.hap.wlz_per_week", stats(3.7, 3.4, 3.9), "nl") == "ongeveer +3,7 (95%-BI +3,4 tot +3,9)"


def kpis(**overrides: dict) -> dict:
    """A run's KPIs with every norm met, then the overrides."""
    out = {}
    for who in ("wlz", "background"):
        for u in ("U1", "U2", "U3", "U4", "U5"):
            out[f"response.{who}.{u}.within_norm"] = stats(0.98)
            out[f"response.{who}.{u}.n"] = stats(40.0)
            out[f"response.{who}.{u}.norm_p90_min"] = stats(12.0)
    out["service.hap:doctor.utilisation"] = stats(0.5)
    out.update(overrides)
    return out


def test_a_failing_norm_is_a_red_card_whatever_else_is_green():
    after = kpis(**{"response.background.U1.within_norm": stats(0.46, 0.40, 0.52)})
    found = headline.findings(after)
    assert [(f.kpi, f.kind, f.status) for f in found] == [("response.background.U1.within_norm", "norm", BAD)]
    cards = headline.norm_cards(found, after, None, "nl")
    assert cards[0].status == BAD and cards[0].label.startswith("Algemene bevolking (HAP): U1")
    assert "Norm niet gehaald" in headline.norm_sentence(found, after, None, "nl")


def test_against_the_parent_the_worst_change_leads_for_every_population():
    before = kpis(**{"response.background.U1.within_norm": stats(0.60)})
    after = kpis(**{"response.background.U1.within_norm": stats(0.46),
                    "response.wlz.U3.norm_p90_min": stats(40.0), "service.hap:doctor.utilisation": stats(0.7)})
    diff = {"response.background.U1.within_norm": stats(-0.14, -0.27, -0.01),
            "response.wlz.U3.norm_p90_min": stats(28.0, 20.0, 36.0),
            "response.wlz.U2.norm_p90_min": stats(0.2, 0.1, 0.3),  # significant, but too small to speak of
            "service.hap:doctor.utilisation": stats(0.2, 0.19, 0.21),
            "response.wlz.U4.within_norm": stats(0.01, -0.02, 0.04)}  # not significant
    found = headline.findings(after, diff, before)
    assert [(f.kpi, f.kind) for f in found] == [("response.background.U1.within_norm", "norm_fall"),
                                                ("response.wlz.U3.norm_p90_min", "fall"),
                                                ("service.hap:doctor.utilisation", "change")]
    cards = headline.change_cards(found, after, diff, before, None, "nl", limit=2)
    assert [c.status for c in cards] == [BAD, BAD]  # the Wlz fall is kept beside the general population's
    assert cards[0].ci == "was 60,0%: -14,0 %-punt (95%-BI -27,0 tot -1,0 %-punt)"
    sentence = headline.change_sentence(found, after, diff, before, "Uitgangssituatie (A)", None, "nl")
    assert sentence.startswith("Slechter dan in «Uitgangssituatie (A)», bij de algemene bevolking (HAP): U1 binnen")
    assert "bij de Wlz-cliënten: U3" in sentence


@pytest.mark.parametrize("why", [*OVERLOAD_REASONS, "a_reason_added_later"])
def test_every_overload_reason_gets_a_red_card_in_words(why, monkeypatch):
    """Whatever reason analysis/metrics.py gives (today's, 'offered' and 'handed_on' to come,
    or one nobody has named yet), the service gets a red card and the reason in words."""
    monkeypatch.setattr(headline, "overload_reasons", lambda k: {"hap:doctor": (why, 1.25)})
    found = headline.findings(kpis())
    assert found[0].kind == "overload" and found[0].status == BAD
    card = headline.card(found[0], kpis(), None, None, None, "nl")
    assert card.status == BAD and card.label.startswith("Overbelast") and card.norm
    assert card.norm == overload_reason(why, 1.25, "nl")
    assert "Overbelast" in headline.norm_sentence(found, kpis(), None, "nl")


def impact(after: float, high: float) -> dict:
    util = "service.P1.utilisation"
    return {"practices": ["P1"], "new_locations": [{"kind": "kleinschalig", "residents": 24, "practice": "P1"}],
            "changed_locations": {}, "variants": ["zonder", "met"], "kpi_order": [util],
            "kpis": {"zonder": {util: stats(0.21)}, "met": {util: stats(after, after - 0.01, high)}},
            "difference": {"met": {"service.P1.handled_per_week": stats(3.7, 3.4, 3.9),
                                   "service.P1.hours_per_week": stats(1.1, 1.0, 1.2),
                                   "handled.hap.wlz_per_week": stats(1.3, -0.3, 2.9)}}}


@pytest.mark.parametrize("after, high, key, status, words", [
    (0.27, 0.28, "fits_easily", OK, "past ruim"), (0.72, 0.80, "fits_just", WARN, "past krap"),
    (0.80, 0.84, "fits_just", WARN, "past krap"), (0.90, 0.95, "fits_not", BAD, "past niet")])
def test_impact_ends_with_a_verdict_against_the_practices_target(after, high, key, status, words):
    assert verdict(impact(after, high), "P1")[:2] == (key, status)
    key_figures = impact_key_figures(impact(after, high), "nl")
    assert key_figures.sentence.endswith("tegen een doel van hoogstens 85%.") and words in key_figures.sentence
    assert "consult" not in key_figures.sentence  # requests are zorgvragen, not consults
    assert "geen aantoonbare verandering" in key_figures.sentence  # the HAP's +1,3 whose interval includes 0


@pytest.mark.parametrize("kpi, verdict_, status", [
    ("response.wlz.U1.within_norm", "holds: lower", BAD), ("response.wlz.U1.within_norm", "holds: higher", OK),
    ("response.wlz.U2.norm_p90_min", "holds: lower", OK), ("response.wlz.U2.norm_p90_min", "holds: higher", BAD),
    ("handled.gp.wlz_per_week", "holds: lower", INFO), ("response.wlz.U1.within_norm", "depends", WARN),
    ("response.wlz.U1.within_norm", "leans lower", WARN)])
def test_a_sensitivity_verdict_is_coloured_by_what_it_means_for_clients(kpi, verdict_, status):
    assert verdict_status(kpi, verdict_) == status


def test_names_instead_of_ids():
    from sim.scenario.loading import load_scenario

    from .conftest import ROOT
    sc = load_scenario(ROOT / "configs" / "c_voorwacht.yaml")
    assert param_label("services[VOORWACHT].resolves.U5", "nl", sc) == "Medisch-verpleegkundige voorwacht: handelt zelf af U5"
    assert param_label("demand.office_share", "nl") == "zorgvraag: aandeel in kantooruren"
    from sim.present.summary import assumptions
    assert not any("VOORWACHT" in line or "[seed" in line for line in assumptions(sc, "nl"))


def test_the_apps_download_is_named_after_its_question():
    from types import SimpleNamespace

    from sim.present.app.questions import download_name
    answer = SimpleNamespace(question="impact", scenario=None,
                             result={"new_locations": [{"kind": "kleinschalig", "residents": 24, "practice": "P1"}]})
    assert download_name(answer, "nl", dt.date(2026, 12, 3)) == "impact-kleinschalig-24-p1-2026-12-03.html"
