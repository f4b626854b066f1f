"""mgz-sim schema: the scenario format as a JSON Schema."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    sc = sub.add_parser("schema", help="the scenario format as a JSON Schema, for editors",
                        description="Print the JSON Schema of scenario files (or write it with --out). With it, "
                                    "editors complete keys, show descriptions and underline typos while you "
                                    "write a scenario; the package ships it as sim/data/scenario.schema.json.")
    sc.add_argument("--out", type=Path, default=None, help="write the schema to this file instead of printing it")


def run(args: argparse.Namespace) -> int:
    from sim.experiments.output import atomic_write_text
    from sim.scenario.json_schema import schema_text
    if args.out is None:
        print(schema_text(), end="")
    else:
        atomic_write_text(args.out, schema_text())
        print(f"JSON Schema written to {args.out}; point your editor at it, e.g. a first line "
              f"'# yaml-language-server: $schema={args.out}' in a scenario file")
    return 0
