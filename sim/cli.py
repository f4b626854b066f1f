"""Command line: `mgz-sim [run] [SCENARIO] [options]` (also `python run_sim.py ...`).

Bad input of any kind ends with one clear message on stderr and exit code 2.
"""

from __future__ import annotations

import os
import sys

try:  # Ctrl-C while the command line starts: one line, not a traceback of the imports
    import argparse
    import difflib
    from pathlib import Path

    from sim.errors import RunError, ScenarioError, fault_error, read_where
except KeyboardInterrupt:
    sys.stderr.write("\ninterrupted while starting: nothing was done\n")
    sys.stderr.flush()
    os._exit(130)

# Each command imports what it needs when it runs (pandas, pydantic, plotly, ...): `--help`
# and `--version` start in a fraction of a second (benchmarks/README.md).

COMMANDS = ("run", "compare", "sweep", "sensitivity", "warmup", "impact", "staff", "check", "validate", "calibrate",
            "report", "app", "schema", "regio", "region")
MESSAGE_LIMIT = 600  # characters of an error message's line; a pasted 5000-digit number is not read by anyone
MESSAGE_LINES = 70  # lines of an error message (a workbook's problems, one per line)
MAX_REPLICATIONS = 1_000  # as in a sweep file: every replication is a task and a file
MAX_WORKERS = 1_024


class Parser(argparse.ArgumentParser):
    """argparse with its error messages clipped (a pasted 5000-digit value stays one line)."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_clip(message)}\n")


def _int_at_least(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number (ASCII digits) of at least `minimum` (and at most `maximum`)."""

    def parse(text: str) -> int:
        if not text.strip().lstrip("+-").isascii() or not text.strip().lstrip("+-").isdigit():
            raise argparse.ArgumentTypeError(f"'{_clip(text, 40)}' is not a whole number")
        try:
            value = int(text)
        except ValueError:  # more than 4,300 digits
            raise argparse.ArgumentTypeError(f"'{_clip(text, 40)}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {_clip(str(value), 40)}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {_clip(str(value), 40)}")
        return value

    return parse


def _seconds(text: str) -> float:
    """An argparse type: a finite number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{_clip(text, 40)}' is not a number of seconds") from None
    if not 0 <= value < 10**9:  # NaN fails too
        raise argparse.ArgumentTypeError(f"give a number of seconds from 0 up, got '{_clip(text, 40)}'")
    return value


_positive, _seed = _int_at_least(1), _int_at_least(0)
_replications, _workers_n = _int_at_least(1, MAX_REPLICATIONS), _int_at_least(1, MAX_WORKERS)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="mgz-sim",
        description="Simulate a region's demand for medisch-generalistische zorg (GP, HAP, SO/AVG) "
        "and report load and response times. Without a command: run (the embedded example region when no "
        "scenario file is given).",
        epilog="Bad input ends with one line on stderr naming the file and field, and exit code 2; "
               "'mgz-sim COMMAND --help' describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="simulate a scenario (the default command)",
                         description="Simulate a scenario and write a results folder.")
    run.add_argument("scenario", nargs="?", default=None,
                     help="scenario YAML file, a region's workbook, or a country file listing regions (default: the "
                          "embedded example region)")
    run.add_argument("--seed", type=_seed, help="override region.seed (same seed, same results)")
    run.add_argument("--replications", "-r", type=_replications, default=1,
                     help="independent replications, each with its own random streams (default 1)")
    run.add_argument("--weeks", type=_positive, help="override region.weeks, the measured weeks after warm-up")
    run.add_argument("--out", type=Path, default=None,
                     help="parent folder for results (default results/<scenario>/); each run gets a new "
                          "timestamped folder inside it")
    run.add_argument("--quiet", "-q", action="store_true", help="print only the results folder")
    run.add_argument("--lang", choices=("en", "nl"), default="en", help="language of report.html (default en)")
    run.add_argument("--wait", type=_seconds, default=None, metavar="SECONDS",
                     help="if the same run is already writing to --out, wait at most this long for it "
                          "(default: until it finishes)")
    run.add_argument("--no-compare", action="store_true",
                     help="for a scenario that extends another: skip running the parent on the same "
                          "random numbers to show what moved")
    run.add_argument("--workers", "-w", type=_workers_n, default=None,
                     help="local worker processes for the replications (default: all cores); results do not "
                          "depend on it")
    run.add_argument("--dask", metavar="ADDRESS", default=None,
                     help="run the replications on an existing Dask distributed scheduler, e.g. "
                          "tcp://127.0.0.1:8786 (mgz-sim must be installed on its workers)")
    cmp = sub.add_parser("compare", help="two scenarios on common random numbers, with paired differences",
                         description="Run scenarios A and B on the same random numbers and report each KPI's mean "
                                     "with its 95% CI and the paired difference B - A with its CI, significant "
                                     "changes first.")
    cmp.add_argument("a", type=Path, help="scenario A (the reference)")
    cmp.add_argument("b", type=Path, help="scenario B")
    cmp.add_argument("--replications", "-r", type=_replications, default=5, help="replications to start with (default 5)")
    cmp.add_argument("--precision", type=float, default=None,
                     help="add replications until the 95%% half-width of the --kpi KPIs is within this fraction "
                          "of their mean, e.g. 0.05")
    cmp.add_argument("--kpi", action="append", default=None,
                     help="KPI for --precision (repeatable; default handled.gp.wlz_per_week and "
                          "hours.physician_per_week)")
    cmp.add_argument("--max-replications", type=_replications, default=100, help="cap for --precision (default 100)")
    _override_options(cmp)
    _experiment_options(cmp, "results/compare")

    sw = sub.add_parser("sweep", help="vary parameters over a design x replications (resumable, parallel)",
                        description="Run a sweep file: a base scenario, parameters by path (lists, ranges, grid, "
                                    "Latin hypercube or Sobol design) x replications. Results: one tidy Parquet "
                                    "table; an interrupted sweep resumes when run again.")
    sw.add_argument("sweep", type=Path, help="sweep file (configs/sweeps/*.yaml)")
    _experiment_options(sw, "results/sweeps")

    se = sub.add_parser("sensitivity", help="global sensitivity indices (Morris or Sobol, SALib)",
                        description="Morris elementary effects or Sobol indices of the sweep file's kpis to its "
                                    "parameters (which need low/high bounds).")
    se.add_argument("sweep", type=Path, help="sweep file with method, kpis and bounded parameters")
    _experiment_options(se, "results/sensitivity")

    wu = sub.add_parser("warmup", help="plot KPIs week by week per replication, to choose the warm-up",
                        description="Run without warm-up and plot weekly series per replication (Welch's method).")
    wu.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    wu.add_argument("--replications", "-r", type=_replications, default=5,
                    help="replications, each one line in the plot (default 5)")
    wu.add_argument("--weeks", type=_positive, default=12, help="weeks to simulate without warm-up (default 12)")
    _experiment_options(wu, "results/warmup")
    im = sub.add_parser("impact", help="what a new (or changed) location does to its practice and the HAP",
                        description="Run the region with and without new or changed locations on common random "
                                    "numbers, and with a voorwacht or a compact behandelteam for them; print a "
                                    "one-page summary and write impact.html.")
    im.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    im.add_argument("--add-location", action="append", default=[], metavar="SPEC",
                    help="key=value list, e.g. residents=24,kind=kleinschalig,sector=VV,gp=P1 (gp: its "
                         "practice; gp=P1:0.6/P2:0.4 spreads the residents over practices), or a YAML file "
                         "with one or more locations; repeatable")
    im.add_argument("--change-location", action="append", default=[], metavar="ID:SPEC",
                    help="change an existing location, e.g. L05:behandeling=true,behandeldienst=BD-VV; repeatable")
    im.add_argument("--replications", "-r", type=_replications, default=10,
                    help="replications on common random numbers (default 10)")
    im.add_argument("--region", default=None,
                    help="for a country file (configs/nederland.yaml): the region the locations are in, by its "
                         "file's name (e.g. groningen-1); the other regions do not change")
    _override_options(im)
    _experiment_options(im, "results/impact")

    st = sub.add_parser("staff", help="the smallest roster of a service that meets targets",
                        description="Find the smallest capacity per roster block that meets every --target with "
                                    "the stated confidence, on common random numbers; prints the curve of the "
                                    "target KPIs against staff and writes staff.html.")
    st.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    st.add_argument("--service", required=True,
                    help="hap.doctors, hap.cars or hap.triage (one spoedpost), spoedposten[ID].doctors / .cars / "
                         ".triage, practices[ID], behandeldiensten[ID] or services[ID]")
    st.add_argument("--target", action="append", default=[],
                    help="e.g. 'U2 p90 response <= 60 min', 'utilisation <= 0.85', 'U4 within norm >= 95%%' "
                         "(repeatable; all must hold)")
    st.add_argument("--confidence", type=float, default=0.95, help="one-sided confidence for targets (default 0.95)")
    st.add_argument("--replications", "-r", type=_replications, default=5,
                    help="replications per roster evaluated (default 5)")
    st.add_argument("--uniform-only", action="store_true", help="change every block by the same amount only")
    st.add_argument("--max-extra", type=_int_at_least(1, 1_000), default=8, help="most staff added per block (default 8)")
    _override_options(st)
    _experiment_options(st, "results/staff")

    ck = sub.add_parser("check", help="offered load vs capacity per service (rho), overload flags, M/M/c comparison",
                        description="A 4-week pilot run; per service the offered load against the staff on duty "
                                    "(rho), a flag for rho >= 1, and the simulated wait beside the M/M/c "
                                    "approximation. Exit code 1 if any service is overloaded.")
    ck.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    ck.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the printed check (default en)")

    va = sub.add_parser("validate", help="the model's outputs beside published Dutch figures, with verdicts",
                        description="Run a scenario (default: the embedded example region) and set its outputs "
                                    "beside published Dutch figures (sim/data/reality.yaml), each counted the way its "
                                    "source counted it, with its 95% interval, its kind (input, calibration target, "
                                    "independent) and a verdict; writes validation.json and validation.html in the "
                                    "results folder.")
    va.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the embedded example)")
    va.add_argument("--replications", "-r", type=_positive, default=None,
                    help="replications (default: enough for 95%% intervals of about ±2 points on "
                         "the rarest share counted, U1 home visits)")
    _override_options(va)
    _experiment_options(va, "results/validation")

    ca = sub.add_parser("calibrate", help="fit demand parameters from a region's consult export (CSV)",
                        description="Fit rate per resident, urgency and modality mix, hour-of-week profile and "
                                    "dispersion from one row per consult (columns timestamp, type, urgency or "
                                    "acute, location, residents, optional client); writes a demand block.")
    ca.add_argument("export", type=Path, help="CSV export, one row per consult")
    ca.add_argument("--location-kind", default="kleinschalig",
                    help="kind of location the export covers (kleinschalig, verpleeghuis, geclusterd, thuis)")
    ca.add_argument("--out", type=Path, default=Path("demand.yaml"), help="where to write the demand block")
    ca.add_argument("--from", dest="start", default=None,
                    help="first day the export covers (default: the Monday before the first consult)")
    ca.add_argument("--to", dest="end", default=None,
                    help="last day the export covers (default: the Sunday after the last consult)")
    ca.add_argument("--base", default=None,
                    help="write a complete scenario that extends this scenario file (path as seen from --out)")
    ca.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the printed fit (default en)")

    ap = sub.add_parser("app", help="the what-if web app (localhost)",
                        description="Start the what-if web app: switch arrangements, move sliders, run, compare.")
    ap.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    ap.add_argument("--port", type=_int_at_least(1, 65_535), default=8050, help="port to listen on (default 8050)")
    ap.add_argument("--configs", type=Path, default=Path("configs"),
                    help="folder of base scenarios to offer (default configs)")
    ap.add_argument("--workers", "-w", type=_workers_n, default=None,
                    help="worker processes per run started from the app (default: all cores)")
    ap.add_argument("--out", type=Path, default=Path("results/app"),
                    help="where the app keeps the results folders of its runs (default results/app)")

    rp = sub.add_parser("report", help="(re)build report.html in a results folder",
                        description="Rebuild the offline HTML report of a run, comparison, sweep or sensitivity "
                                    "results folder. For a run, every KPI is first recomputed from the folder's "
                                    "own tables (summary.json and summary.txt are written again).")
    rp.add_argument("folder", type=Path, help="results folder")
    rp.add_argument("--lang", choices=("en", "nl"), default="en", help="language (default en)")
    rp.add_argument("--pdf", action="store_true",
                    help="also print the report to report.pdf (A4), with the Chromium on this machine")
    rp.add_argument("--self-contained", action="store_true",
                    help="put the chart library inside report.html (one file to send on, +4.6 MB) instead of "
                         "loading the folder's own plotly.min.js")

    sc = sub.add_parser("schema", help="the scenario format as a JSON Schema, for editors",
                        description="Print the JSON Schema of scenario files (or write it with --out). With it, "
                                    "editors complete keys, show descriptions and underline typos while you "
                                    "write a scenario; the package ships it as sim/data/scenario.schema.json.")
    sc.add_argument("--out", type=Path, default=None, help="write the schema to this file instead of printing it")
    _region_commands(sub)
    return parser


def _region_commands(sub: argparse._SubParsersAction) -> None:
    """`regio importeer | sjabloon | exporteer`, in English `region import | template | export`."""
    rg = sub.add_parser("regio", aliases=["region"], help="your own region from a spreadsheet: importeer (import), "
                        "sjabloon (template), exporteer (export)",
                        description="Your own region from the spreadsheet you keep: sheets regio, praktijken, "
                                    "locaties (and behandeldiensten) of an .xlsx or .ods workbook, or one .csv per "
                                    "sheet. 'mgz-sim run REGIO.xlsx' runs a workbook directly. Dutch by default "
                                    "under 'regio', English under 'region'.")
    what = rg.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = what.add_parser("importeer", aliases=["import"], help="a workbook into a commented scenario YAML beside it",
                          description="Read a region's workbook (.xlsx, .ods, a .csv of one sheet or a folder of "
                                      ".csv files), check every row, and write a commented scenario YAML beside it "
                                      "(REGIO.yaml). Every problem is reported at once with its sheet, row and column.")
    imp.add_argument("workbook", type=Path, help="REGIO.xlsx, REGIO.ods, a folder of .csv files or one of them")
    imp.add_argument("--out", type=Path, default=None, help="the YAML to write (default: beside the workbook)")
    tpl = what.add_parser("sjabloon", aliases=["template"], help="an empty workbook to fill in",
                          description="Write an empty region workbook: headers, an example row, dropdowns and a "
                                      "sheet that explains every column.")
    tpl.add_argument("workbook", type=Path, help="the .xlsx to write")
    exp = what.add_parser("exporteer", aliases=["export"], help="a scenario written out as a region workbook",
                          description="Write a scenario as a region workbook (it imports back to the same scenario "
                                      "for everything a workbook can hold; the rest is listed).")
    exp.add_argument("scenario", type=Path, help="scenario file (YAML, or a workbook)")
    exp.add_argument("workbook", type=Path, help="the .xlsx to write")
    for p in (imp, tpl, exp):
        p.add_argument("--force", action="store_true", help="replace the file written if it exists")
        p.add_argument("--lang", choices=("en", "nl"), default=None,
                       help="language of what is printed and of the YAML's comments (default nl under 'regio', "
                            "en under 'region')")


def _override_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=_seed, help="override region.seed")
    p.add_argument("--weeks", type=_positive, help="override region.weeks")


def _overrides(args: argparse.Namespace) -> dict:
    return {k: v for k, v in (("region.seed", args.seed), ("region.weeks", args.weeks)) if v is not None}


def _experiment_options(p: argparse.ArgumentParser, out_default: str) -> None:
    p.add_argument("--workers", "-w", type=_workers_n, default=None,
                   help="local worker processes (default: all cores); results do not depend on it")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run on an existing Dask distributed scheduler, e.g. tcp://127.0.0.1:8786 "
                        "(mgz-sim must be installed on its workers)")
    p.add_argument("--out", type=Path, default=Path(out_default), help=f"results folder (default {out_default})")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar; print only the results folder")
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of report.html (default en)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("mgz-sim")
    except PackageNotFoundError:
        return "(not installed)"


def _argv_with_default_command(argv: list[str]) -> list[str]:
    """`mgz-sim scenario.yaml` means `mgz-sim run scenario.yaml`; a misspelt command that is
    no file either ('rnu', 'compre') is refused with the command it was probably meant to be."""
    if argv and argv[0] in ("-h", "--help", "--version"):
        return argv
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-") and not Path(argv[0]).suffix \
            and not Path(argv[0]).exists():
        close = difflib.get_close_matches(argv[0], COMMANDS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ScenarioError(f"'{_clip(argv[0], 60)}' is no command and no scenario file; {hint}"
                            f"commands: {', '.join(COMMANDS)} (mgz-sim --help)")
    if not argv or argv[0] not in COMMANDS:
        return ["run", *argv]
    return argv


def _clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """At most `limit` characters, saying how many were left out."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more characters)"


def cmd_run(args: argparse.Namespace) -> int:
    from sim.experiments.output import atomic_write_text, inside
    from sim.experiments.runner import run_scenario
    from sim.present.summary import render
    from sim.scenario.loading import default_scenario_path, load_scenario, parent_of
    overrides = {}
    if args.seed is not None:
        overrides["region.seed"] = args.seed
    if args.weeks is not None:
        overrides["region.weeks"] = args.weeks
    from sim.scenario.country import is_country_file
    if is_country_file(args.scenario):  # several regions, each its own unit of work (experiments/country.py)
        from sim.present.national_run import run_national
        run_national(Path(args.scenario), overrides, args.replications, args.out, _workers(args), args.dask,
                     args.quiet, args.lang, args.wait)
        return 0
    sc = load_scenario(args.scenario, overrides)
    parent_path = None if args.no_compare else parent_of(args.scenario)
    parent = None
    if parent_path is not None:
        # same seed, horizon and replications as the child: common random numbers
        parent = load_scenario(parent_path, {"region.seed": sc.region.seed, "region.weeks": sc.region.weeks,
                                             "region.warmup_weeks": sc.region.warmup_weeks})
    # a scenario's name becomes a folder: it must stay inside results/ (or --out)
    out_root = args.out if args.out is not None else inside(Path("results"), Path("results") / sc.scenario)
    if out_root.exists() and not out_root.is_dir():
        raise ScenarioError(f"--out {out_root}: exists and is not a folder")

    def before_rename(partial: Path, summary: dict, folder: Path) -> None:  # so the folder appears whole
        atomic_write_text(partial / "summary.txt", render(sc, summary, str(folder), args.lang) + "\n")
        build_report(partial, args.lang, sc)

    result = run_scenario(sc, args.replications, out_root, quiet=args.quiet,
                          source=str(args.scenario or default_scenario_path()), parent=parent,
                          workers=_workers(args), dask=args.dask, lock_timeout=args.wait,
                          before_rename=before_rename)
    print(result.folder if args.quiet else render(sc, result.summary, str(result.folder), args.lang))
    return 0


def build_report(folder: Path, lang: str, scenario=None, embed: bool = False) -> Path:
    from sim.present.report import (
        build_report as build,  # plotly is imported only when a report is made
    )
    return build(folder, lang, scenario, embed)


def _workers(args: argparse.Namespace) -> int:
    from sim.experiments.executor import default_workers
    return args.workers or default_workers()


def cmd_compare(args: argparse.Namespace) -> int:
    from sim.experiments.compare import run_compare
    from sim.present.changes import compare_text
    from sim.scenario.loading import load_scenario
    overrides = _overrides(args)
    if args.precision is not None and not 0 < args.precision < 1:
        raise ScenarioError(f"--precision: give a fraction between 0 and 1, e.g. 0.05 (got {args.precision})")
    from sim.scenario.country import is_country_file
    if is_country_file(args.a):  # two countries, region by region (experiments/country_experiments.py)
        from sim.experiments.country_experiments import run_country_compare
        from sim.present.national_compare import country_compare_text
        result = run_country_compare(args.a, args.b, args.replications, args.out, _workers(args), args.dask,
                                     args.quiet, overrides)
        return _answer(Path(result["folder"]), "summary.txt", country_compare_text(result, args.lang), args)
    result = run_compare(args.a, args.b, args.replications, args.out, _workers(args), args.dask, args.quiet,
                         args.precision, args.kpi, args.max_replications, overrides)
    return _answer(Path(result["folder"]), "summary.txt", compare_text(result, args.lang, load_scenario(args.b, overrides)),
                   args)


def cmd_sweep(args: argparse.Namespace) -> int:
    from sim.experiments.country_experiments import is_country_sweep, run_country_sweep
    from sim.experiments.sweep import run_sweep
    run = run_country_sweep if is_country_sweep(args.sweep) else run_sweep  # a country's base: every region
    folder, table, failures = run(args.sweep, args.out, _workers(args), args.dask, args.quiet)
    if len(table):
        build_report(folder, args.lang)
    if args.quiet:
        print(folder)
    else:
        import pandas as pd  # only this command needs it here

        from sim.present.printed import sweep_text
        runs = table[["point", "replication"]].drop_duplicates().shape[0] if len(table) else 0
        points = pd.read_parquet(folder / "points.parquet") if len(table) else pd.DataFrame(columns=["point", "kpi"])
        print(sweep_text(points, runs, len(failures), folder, args.lang))
    return 1 if failures else 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd  # only this command needs it here

    from sim.experiments.sensitivity import run_sensitivity
    from sim.present.printed import sensitivity_text
    folder, indices = run_sensitivity(args.sweep, args.out, _workers(args), args.dask, args.quiet)
    build_report(folder, args.lang)
    answers = folder / "answers.parquet"
    verdicts = pd.read_parquet(answers) if answers.exists() else None
    print(folder if args.quiet else sensitivity_text(indices, verdicts, folder, args.lang))
    return 0


def cmd_warmup(args: argparse.Namespace) -> int:
    import pandas as pd  # only this command needs it here

    from sim.experiments.output import inside
    from sim.experiments.warmup import run_warmup
    from sim.present.printed import warmup_text
    from sim.scenario.loading import load_scenario
    # validated like any run: the weeks asked for, from an empty start
    sc = load_scenario(args.scenario, {"region.weeks": args.weeks, "region.warmup_weeks": 0})
    folder = run_warmup(sc, args.replications, args.weeks, inside(args.out, args.out / sc.scenario), _workers(args),
                        args.quiet)
    build_report(folder, args.lang, sc)
    print(folder if args.quiet else warmup_text(pd.read_parquet(folder / "warmup.parquet"), folder, args.lang))
    return 0


def cmd_impact(args: argparse.Namespace) -> int:
    from sim.experiments.impact import run_impact
    from sim.present.decisions import impact_text
    from sim.present.report import scenario_of
    from sim.scenario.country import is_country_file, load_region
    # a country: the question is about one region; the other regions are the same either way
    region = load_region(args.scenario, args.region, _overrides(args)) if is_country_file(args.scenario) else None
    result = run_impact(args.scenario, args.add_location, args.change_location, args.replications, args.out,
                        _workers(args), args.dask, args.quiet, _overrides(args), base=region)
    folder = Path(result["folder"])
    return _answer(folder, "impact.txt", impact_text(result, args.lang, scenario_of(folder)), args)


def cmd_staff(args: argparse.Namespace) -> int:
    from sim.experiments.staffing import run_staffing
    from sim.present.decisions import staff_text
    from sim.present.report import scenario_of
    result = run_staffing(args.scenario, args.service, args.target, args.replications, args.confidence, args.out,
                          _workers(args), args.dask, args.quiet, not args.uniform_only, args.max_extra,
                          _overrides(args))
    folder = Path(result["folder"])
    return _answer(folder, "staff.txt", staff_text(result, args.lang, scenario_of(folder)), args)


def _answer(folder: Path, name: str, text: str, args: argparse.Namespace) -> int:
    """An experiment's printed answer: kept in the folder as `name`, its report written
    beside it, and printed with the report's path (only the folder with --quiet)."""
    from sim.experiments.output import atomic_write_text
    atomic_write_text(folder / name, text + "\n")
    report = build_report(folder, args.lang)
    written = (f"Report: {report}", f"Rapport: {report}")[args.lang == "nl"]
    print(folder if args.quiet else f"{text}\n\n{written}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from sim.present.app import serve
    print(f"mgz-sim what-if app on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    serve(args.host, args.port, args.configs, args.workers, args.out)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from sim.errors import reading
    from sim.experiments.results_folder import check_results_folder
    folder = Path(args.folder)
    with reading(folder):  # the folder is input like a scenario file: read within bounds, never a traceback
        check_results_folder(folder)
        return _report(folder, args)


def _report(folder: Path, args: argparse.Namespace) -> int:
    if (folder / "run.json").exists() and (folder / "resources.parquet").exists():
        # a run's folder: every KPI again from its own tables, then the summary and the report
        from sim.experiments.output import atomic_write_json, atomic_write_text
        from sim.experiments.runner import reanalyse
        from sim.present.summary import render
        from sim.scenario.loading import parse_scenario
        summary = reanalyse(folder)
        sc = parse_scenario((folder / "scenario.yaml").read_text(), str(folder / "scenario.yaml"))
        atomic_write_json(folder / "summary.json", summary)
        atomic_write_text(folder / "summary.txt", render(sc, summary, str(folder), args.lang) + "\n")
        if (folder / "validation.json").exists():  # mgz-sim validate's folder: its figures again too
            from sim.experiments.validate import write_validation
            write_validation(folder)
    report = build_report(folder, args.lang, embed=args.self_contained)
    print(report)
    if args.pdf:
        from sim.present.page import to_pdf
        print(to_pdf(report))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from sim.experiments.output import atomic_write_text
    from sim.scenario.json_schema import schema_text
    if args.out is None:
        print(schema_text(), end="")
    else:
        atomic_write_text(args.out, schema_text())
        print(f"JSON Schema written to {args.out}; point your editor at it, e.g. a first line "
              f"'# yaml-language-server: $schema={args.out}' in a scenario file")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from sim.experiments.calibrate import run_calibrate
    from sim.present.printed import calibrate_text
    report, _ = run_calibrate(args.export, args.location_kind, args.out, args.base, args.start, args.end)
    written = (f"Demand block written to {args.out}", f"Zorgvraagblok geschreven naar {args.out}")[args.lang == "nl"]
    print(f"{calibrate_text(report, args.lang)}\n\n{written}")
    return 0


def cmd_regio(args: argparse.Namespace) -> int:
    from sim.present import regio
    lang = _lang(args)
    if args.action in ("importeer", "import"):
        print(regio.import_region(args.workbook, args.out, args.force, lang))
    elif args.action in ("sjabloon", "template"):
        print(regio.template(args.workbook, args.force, lang))
    else:
        print(regio.export(args.scenario, args.workbook, args.force, lang))
    return 0


def _lang(args: argparse.Namespace | None) -> str:
    """The language asked for; the `regio` commands speak Dutch unless told otherwise."""
    asked = getattr(args, "lang", None)
    return asked or ("nl" if getattr(args, "command", None) == "regio" else "en")


def cmd_check(args: argparse.Namespace) -> int:
    from sim.analysis.check import check, pilot
    from sim.experiments.executor import run_tasks
    from sim.experiments.runner import run_replication
    from sim.present.printed import check_text
    from sim.scenario.loading import load_scenario
    sc = load_scenario(args.scenario)
    (outcome,) = run_tasks(run_replication, [("pilot", (pilot(sc), 0))], quiet=True)  # the one executor, inline
    if outcome.error is not None:
        raise RunError(f"the pilot run of '{sc.scenario}' failed: {outcome.error}")
    rows = check(outcome.value.tables, sc)  # "unused" judged on what sc expects over its weeks, not the pilot
    print(check_text(sc, rows, args.lang))
    return 1 if any(r["flag"] == "OVERLOADED" for r in rows) else 0


def cmd_validate(args: argparse.Namespace) -> int:
    import json

    from sim.experiments.output import atomic_write_text, inside
    from sim.experiments.validate import DEFAULT_REPLICATIONS, VALIDATION, run_validation
    from sim.present.reality import validation_text
    from sim.present.summary import render
    from sim.scenario.loading import default_scenario_path, load_scenario
    sc = load_scenario(args.scenario, _overrides(args))

    def before_rename(partial: Path, summary: dict, folder: Path) -> None:  # so the folder appears whole
        atomic_write_text(partial / "summary.txt", render(sc, summary, str(folder), args.lang) + "\n")
        checked = json.loads((partial / VALIDATION).read_text(encoding="utf-8"))
        atomic_write_text(partial / "validation.txt", validation_text(checked, args.lang) + "\n")
        build_report(partial, args.lang, sc)  # report.html, and validation.html beside it

    result = run_validation(sc, args.replications or DEFAULT_REPLICATIONS, inside(args.out, args.out / sc.scenario), _workers(args),
                            args.quiet, str(args.scenario or default_scenario_path()), args.dask,
                            before_rename=before_rename)
    folder = result.folder
    text = validation_text(json.loads((folder / VALIDATION).read_text(encoding="utf-8")), args.lang)
    written = (f"Report: {folder / 'validation.html'}", f"Rapport: {folder / 'validation.html'}")[args.lang == "nl"]
    print(folder if args.quiet else f"{text}\n\n{written}")
    return 0


COMMAND_FUNCTIONS = {"run": cmd_run, "compare": cmd_compare, "sweep": cmd_sweep, "sensitivity": cmd_sensitivity,
                     "warmup": cmd_warmup, "impact": cmd_impact, "staff": cmd_staff, "check": cmd_check,
                     "validate": cmd_validate, "calibrate": cmd_calibrate, "report": cmd_report, "app": cmd_app,
                     "schema": cmd_schema, "regio": cmd_regio, "region": cmd_regio}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = command = None
    try:
        args = build_parser().parse_args(_argv_with_default_command(argv))
        command = args.command
        return COMMAND_FUNCTIONS[args.command](args)
    except (ScenarioError, RunError) as exc:
        # a workbook's problems come in the language asked (text(lang)), one per line
        text = exc.text(_lang(args)) if hasattr(exc, "text") else str(exc)
        lines = [_clip(line) for line in text.splitlines()] or [""]
        if len(lines) > MESSAGE_LINES:
            lines = lines[:MESSAGE_LINES] + [f"... ({len(lines) - MESSAGE_LINES} more lines)"]
        print("error: " + "\n".join(lines), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a write outside the results machinery (e.g. a report): one line, not a traceback
        if read_where(exc) is not None:  # not a write: a file being read (a results folder's table)
            reason = (exc.strerror or str(exc) or type(exc).__name__).splitlines()[0]
            print(f"error: {_clip(read_where(exc)[0])}: cannot read it ({_clip(reason, 200)})", file=sys.stderr)
            return 2
        where = Path(exc.filename).parent if getattr(exc, "filename", None) else Path.cwd()
        print(f"error: {_clip(str(fault_error(exc, where)))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: finished replications are kept; run the same command again to resume",
              file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug in mgz-sim: one line and a log file, never a traceback
        from sim.crash import print_bug
        return print_bug(exc, ["mgz-sim", *argv], command)


def entry() -> None:
    """Console entry point. Once a command has finished and everything is written and
    flushed, leave without tearing the interpreter down: freeing a large run's millions
    of objects one by one takes ~0.2 s that the operating system does at once."""
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except KeyboardInterrupt:  # between main's own handler and the exit
        code = 130
    os._exit(code)


if __name__ == "__main__":
    entry()


def fingerprint_run(path: Path):
    """Replication 0 of a scenario file as tables and KPIs, through the same steps as a run
    (for tools/kpi_fingerprint.py: proof that a refactoring changed no result)."""
    from sim.experiments.runner import run_replication
    from sim.scenario.loading import load_scenario
    result = run_replication(load_scenario(path), 0)
    return result.tables.requests, result.tables.stages, result.kpis
