"""How the app answers its two questions: through the very experiment functions the
command line uses, into a real results folder under the app's out_root, so the page, the
downloaded report and `mgz-sim impact` / `mgz-sim compare` give the same figures.

- a new location: experiments/impact.py `run_impact` with the location written
  as an --add-location spec (without / with / with + voorwacht / with + behandelteam);
- compare an arrangement: the what-if scenario (present/whatif.py) written to a YAML file
  under out_root, then experiments/compare.py `run_compare` against its base.

Each answer also says the command line that reproduces it (and, run, finds the same folder).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import shlex
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.experiments.compare import run_compare
from sim.experiments.impact import run_impact
from sim.experiments.nieuwe_locatie import named
from sim.experiments.output import atomic_write_text, make_dir
from sim.present.app.checks import Common, CompareAsk, ImpactAsk
from sim.present.app.jobs import Progress
from sim.present.changes import compare_text
from sim.present.decisions import impact_text
from sim.present.labels import location_label, pool_label
from sim.present.report import build_report, scenario_of
from sim.present.whatif import compose, validate
from sim.scenario.config import Scenario
from sim.scenario.loading import dump_scenario, load_scenario

REPORT_LOCK = threading.Lock()  # report.html is written by a job or a download, one at a time


@dataclass
class Answer:
    """A finished question: the experiment's result (what impact.json / comparison.json
    hold, plus its folder), the scenario whose names the page shows, and the command line."""

    question: str
    result: dict[str, Any]
    scenario: Scenario | None
    cli: str

    @property
    def folder(self) -> Path:
        return Path(self.result["folder"])

    def report(self, lang: str, embed: bool = False) -> Path:
        """Write report.html in the folder in this language (`mgz-sim report DIR --lang`;
        `embed`: one self-contained file, as a download needs). Call it holding REPORT_LOCK
        when the file is read afterwards."""
        return build_report(self.folder, lang, self.scenario if self.question == "impact" else None, embed)


def _path(path: Path) -> str:
    """A path as the command line would be typed from here (relative when it can be)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _overrides(common: Common) -> dict[str, Any]:
    return {"region.weeks": common.weeks}  # what --weeks sets on the command line


def _tail(common: Common, out_root: Path, lang: str) -> list[str]:
    return ["-r", str(common.replications), "--weeks", str(common.weeks), "--out", _path(out_root), "--lang", lang]


def _asked(ask: ImpactAsk) -> tuple[list[str], list[str]]:
    """The --add-location and --change-location specs of the question."""
    return ([ask.spec()], []) if ask.action == "new" else ([], [ask.change_spec()])


def impact_cli(ask: ImpactAsk, common: Common, out_root: Path, lang: str) -> str:
    scenario = [] if ask.base.embedded else [_path(ask.base.path)]
    add, change = _asked(ask)
    options = [x for spec in add for x in ("--add-location", spec)] + \
        [x for spec in change for x in ("--change-location", spec)]
    return shlex.join(["mgz-sim", "impact", *scenario, *options, *_tail(common, out_root, lang)])


def answer_impact(ask: ImpactAsk, common: Common, out_root: Path, workers: int, lang: str,
                  progress: Progress) -> Answer:
    """`mgz-sim impact` for one new location, with its printed text and report in the folder."""
    add, change = _asked(ask)
    result = run_impact(ask.base.path, add, change, common.replications, out_root, workers, None, True,
                        _overrides(common), progress=progress)
    folder = Path(result["folder"])
    sc = scenario_of(folder)
    atomic_write_text(folder / "impact.txt", impact_text(result, lang, sc) + "\n")
    answer = Answer("impact", result, sc, impact_cli(ask, common, out_root, lang))
    with REPORT_LOCK:
        answer.report(lang)
    return answer


def whatif_file(ask: CompareAsk, common: Common, out_root: Path) -> tuple[Path, Scenario]:
    """The composed what-if scenario, written once as a resolved YAML file named after its
    content (the same switches find the same file, and so the same results folder)."""
    base = load_scenario(ask.base.path, _overrides(common))
    whatif = validate(compose(base.model_dump(mode="json", exclude_none=True), ask.whatif))
    text = dump_scenario(whatif)
    path = out_root / "scenarios" / f"{whatif.scenario}-{hashlib.sha256(text.encode()).hexdigest()[:10]}.yaml"
    if not path.exists():
        make_dir(path.parent)
        atomic_write_text(path, text)
    return path, whatif


def compare_cli(ask: CompareAsk, whatif: Path, common: Common, out_root: Path, lang: str) -> str:
    return shlex.join(["mgz-sim", "compare", _path(ask.base.path), _path(whatif), *_tail(common, out_root, lang)])


def answer_compare(ask: CompareAsk, common: Common, out_root: Path, workers: int, lang: str,
                   progress: Progress) -> Answer:
    """`mgz-sim compare base whatif.yaml`, with its printed text and report in the folder."""
    path_b, whatif = whatif_file(ask, common, out_root)
    result = run_compare(ask.base.path, path_b, common.replications, out_root, workers, None, True,
                         overrides=_overrides(common), progress=progress)
    folder = Path(result["folder"])
    atomic_write_text(folder / "summary.txt", compare_text(result, lang, whatif) + "\n")
    answer = Answer("compare", result, whatif, compare_cli(ask, path_b, common, out_root, lang))
    with REPORT_LOCK:
        answer.report(lang)
    return answer


def slug(text_: str) -> str:
    """'Huisartsenpraktijk De Linde' -> 'huisartsenpraktijk-de-linde' (a file name's part)."""
    plain = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "rapport"


def download_name(answer: Answer, lang: str, today: dt.date | None = None) -> str:
    """impact-kleinschalig-24-huisartsenpraktijk-de-linde-2026-12-03.html for a new location;
    vergelijking-<the what-if in words>-<date>.html for a comparison."""
    date = (today or dt.date.today()).isoformat()
    if answer.question == "impact":
        where = []
        for n in answer.result.get("new_locations", []):
            practice = n.get("practice", n.get("behandeldienst", ""))
            at = pool_label(str(next(iter(practice))) if isinstance(practice, dict) else str(practice), answer.scenario, lang)
            where.append(f"{named(n) or ''}-{n.get('kind', '')}-{n.get('residents', '')}-{at}")
        for loc, change in answer.result.get("changed_locations", {}).items():
            done = ("closed", "opgeheven") if change.get("remove") else ("changed", "gewijzigd")
            where.append(f"{location_label(loc, answer.scenario)}-{done[lang == 'nl']}")
        return f"impact-{slug(' '.join(where))}-{date}.html"
    sc = answer.scenario
    what = sc.describe(lang).split(" + ", 1)[-1] if sc is not None else answer.result["b"]["scenario"]
    return f"{('comparison', 'vergelijking')[lang == 'nl']}-{slug(what)}-{date}.html"
