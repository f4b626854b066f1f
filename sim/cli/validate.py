"""mgz-sim validate: the model's outputs beside published Dutch figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.answer import build_report
from sim.cli.options import experiment_options, override_options, overrides_of, positive, worker_count


def add_parser(sub: argparse._SubParsersAction) -> None:
    va = sub.add_parser("validate", help="the model's outputs beside published Dutch figures, with verdicts",
                        description="Run a scenario (default: the embedded example region) and set its outputs "
                                    "beside published Dutch figures (sim/data/reality.yaml), each counted the way its "
                                    "source counted it, with its 95% interval, its kind (input, calibration target, "
                                    "independent) and a verdict; writes validation.json and validation.html in the "
                                    "results folder.")
    va.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    va.add_argument("--replications", "-r", type=positive, default=None,
                    help="replications (default: enough for 95%% intervals of about ±2 points on "
                         "the rarest share counted, U1 home visits)")
    override_options(va)
    experiment_options(va, "results/validation")


def run(args: argparse.Namespace) -> int:
    import json

    from sim.experiments.output import atomic_write_text, inside
    from sim.experiments.validate import DEFAULT_REPLICATIONS, VALIDATION, run_validation
    from sim.present.reality import validation_text
    from sim.present.summary import render
    from sim.scenario.loading import default_scenario_path, load_scenario
    sc = load_scenario(args.scenario, overrides_of(args))

    def before_rename(partial: Path, summary: dict, folder: Path) -> None:  # so the folder appears whole
        atomic_write_text(partial / "summary.txt", render(sc, summary, str(folder), args.lang) + "\n")
        checked = json.loads((partial / VALIDATION).read_text(encoding="utf-8"))
        atomic_write_text(partial / "validation.txt", validation_text(checked, args.lang) + "\n")
        build_report(partial, args.lang, sc)  # report.html, and validation.html beside it

    result = run_validation(sc, args.replications or DEFAULT_REPLICATIONS, inside(args.out, args.out / sc.scenario), worker_count(args),
                            args.quiet, str(args.scenario or default_scenario_path()), args.dask,
                            before_rename=before_rename)
    folder = result.folder
    text = validation_text(json.loads((folder / VALIDATION).read_text(encoding="utf-8")), args.lang)
    written = (f"Report: {folder / 'validation.html'}", f"Rapport: {folder / 'validation.html'}")[args.lang == "nl"]
    print(folder if args.quiet else f"{text}\n\n{written}")
    return 0
