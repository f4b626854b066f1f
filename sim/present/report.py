"""The offline HTML reports, one design for every command (present/page.py): a run, a
comparison, a sweep, a sensitivity analysis and the warm-up (this module), the impact of a
new location and a staffing search (impact_report / staff_report). Each opens with its key
figures and one plain sentence, in English or Dutch; every chart has a title in words, units
on its axes, shares as percentages and names instead of ids.

`build_report(folder)` detects what a results folder holds and writes report.html in it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.errors import ScenarioError
from sim.experiments.output import atomic_write_text
from sim.fmt import LANGS
from sim.present.changes import appendix_section, compare_report, comparison_section
from sim.present.explorations import sensitivity_report, sweep_report, warmup_report
from sim.present.glossary import term
from sim.present.headline import norms_figure, scenario_name
from sim.present.labels import word
from sim.present.page import Page, external_plotly
from sim.present.run_sections import demand_section, load_section, region_section, response_section, run_key_figures
from sim.present.summary import overload_lines
from sim.scenario.config import Scenario
from sim.scenario.loading import parse_scenario


# ------------------------------------------------------------------------------ the run report


def run_report(folder: Path, lang: str, sc: Scenario | None = None) -> str:
    summary = json.loads((folder / "summary.json").read_text())
    if sc is None:
        sc = parse_scenario((folder / "scenario.yaml").read_text(), str(folder / "scenario.yaml"))
    req_path = folder / "requests.parquet"
    requests = pd.read_parquet(req_path, columns=["replication", "source", "arrival", "period", "urgency", "modality",
                                                  "warmup"]) if req_path.exists() else None
    k = summary["kpis"]
    cmp = summary.get("comparison")
    me = scenario_name(sc, sc.scenario, lang)
    page = Page(f"{word('report_run', lang)}: {sc.region.name}", lang, me)
    for line in overload_lines(k, lang, sc):
        page.warning(line)
    parent = parent_name(folder, cmp["parent"], lang) if cmp else ""
    run_key_figures(page, sc, k, summary.get("overloaded", {}), cmp, parent)
    norms_figure(page, sc, k, cmp["parent_kpis"] if cmp else None, parent)
    if cmp:
        comparison_section(page, sc, cmp["difference"], cmp["parent_kpis"], k, parent, me)
    load_section(page, sc, k)
    response_section(page, sc, k)
    demand_section(page, sc, k, requests)
    region_section(page, sc, summary)
    if cmp:
        appendix_section(page, sc, cmp["difference"], cmp["parent_kpis"], k)
    return page.html()


def parent_name(folder: Path, parent: str, lang: str) -> str:
    """The parent scenario in words: its description as parent.json keeps it, else its name
    (a folder from before descriptions were kept: the words 'the scenario it extends' in Dutch)."""
    path = folder / "parent.json"
    described = ""
    if path.exists():
        d = json.loads(path.read_text()).get("description")
        described = d.get(lang) or d.get("en", "") if isinstance(d, dict) else (d or "")
    return described or (parent if lang == "en" else term("parent", lang))


# ------------------------------------------------------------------------------ entry


def scenario_of(folder: Path) -> Scenario | None:
    """The scenario an experiment folder was made from (its scenario.yaml), for the names of
    practices and posts; None when there is none or it no longer validates."""
    path = folder / "scenario.yaml"
    if not path.exists():
        return None
    try:
        return parse_scenario(path.read_text(encoding="utf-8"), str(path))
    except ScenarioError:
        return None


def build_report(folder: Path, lang: str = "en", scenario: Scenario | None = None, embed: bool = False) -> Path:
    """Write report.html in a results folder (whatever it holds), and validation.html beside
    it when the folder was checked against published figures; `scenario` saves re-reading
    scenario.yaml. The chart library goes next to it once (plotly.min.js, loaded from the
    folder, so the report opens offline); `embed` puts it inside instead, for one
    self-contained file to send on."""
    folder = Path(folder)
    if lang not in LANGS:
        raise ScenarioError(f"--lang: use en or nl (got '{lang}')")
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: not a results folder")
    if (folder / "regions.csv").exists():  # a country's run: its regions' reports and its own (present/national*.py)
        from sim.present.national_run import write_national
        write_national(folder, lang, 1, True, force=True)
        return folder / "report.html"
    if (folder / "country_comparison.json").exists():
        from sim.present.national_compare import country_compare_report
        text = country_compare_report(folder, lang)
    elif (folder / "summary.json").exists():
        text = run_report(folder, lang, scenario)
    elif (folder / "comparison.json").exists():
        text = compare_report(folder, lang)
    elif (folder / "impact.json").exists():
        from sim.present.decisions import impact_report
        text = impact_report(json.loads((folder / "impact.json").read_text()), lang, scenario or scenario_of(folder))
    elif (folder / "staff.json").exists():
        from sim.present.decisions import staff_report
        text = staff_report(json.loads((folder / "staff.json").read_text()), lang, scenario or scenario_of(folder))
    elif (folder / "warmup.parquet").exists():
        text = warmup_report(folder, lang)
    elif (folder / "points.parquet").exists():
        text = sweep_report(folder, lang)
    elif (folder / "sensitivity.parquet").exists():
        text = sensitivity_report(folder, lang)
    else:
        raise ScenarioError(f"{folder}: no summary.json, comparison.json, impact.json, staff.json, warmup.parquet or "
                            "points.parquet: not a results folder")
    if not embed:
        text = external_plotly(text, folder)
    atomic_write_text(folder / "report.html", text)
    if (folder / "validation.json").exists():  # a run checked against published figures (mgz-sim validate)
        from sim.present.reality import validation_report
        page = validation_report(json.loads((folder / "validation.json").read_text()), lang)
        atomic_write_text(folder / "validation.html", page if embed else external_plotly(page, folder))
    return folder / "report.html"
