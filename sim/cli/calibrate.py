"""mgz-sim calibrate: demand parameters fitted from a region's consult export."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
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


def run(args: argparse.Namespace) -> int:
    from sim.experiments.calibrate import run_calibrate
    from sim.present.printed import calibrate_text
    report, _ = run_calibrate(args.export, args.location_kind, args.out, args.base, args.start, args.end)
    written = (f"Demand block written to {args.out}", f"Zorgvraagblok geschreven naar {args.out}")[args.lang == "nl"]
    print(f"{calibrate_text(report, args.lang)}\n\n{written}")
    return 0
