"""mgz-sim regio (region): a region's own workbook imported, a template, a scenario exported."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import language


def add_parser(sub: argparse._SubParsersAction) -> None:
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


def run(args: argparse.Namespace) -> int:
    from sim.present import regio
    lang = language(args)
    if args.action in ("importeer", "import"):
        print(regio.import_region(args.workbook, args.out, args.force, lang))
    elif args.action in ("sjabloon", "template"):
        print(regio.template(args.workbook, args.force, lang))
    else:
        print(regio.export(args.scenario, args.workbook, args.force, lang))
    return 0
