"""mgz-sim app: the what-if web app."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import int_at_least, workers_n


def add_parser(sub: argparse._SubParsersAction) -> None:
    ap = sub.add_parser("app", help="the what-if web app (localhost)",
                        description="Start the what-if web app: switch arrangements, move sliders, run, compare.")
    ap.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    ap.add_argument("--port", type=int_at_least(1, 65_535), default=8050, help="port to listen on (default 8050)")
    ap.add_argument("--configs", type=Path, default=Path("configs"),
                    help="folder of base scenarios to offer (default configs)")
    ap.add_argument("--workers", "-w", type=workers_n, default=None,
                    help="worker processes per run started from the app (default: all cores)")
    ap.add_argument("--out", type=Path, default=Path("results/app"),
                    help="where the app keeps the results folders of its runs (default results/app)")


def run(args: argparse.Namespace) -> int:
    from sim.present.app import serve
    print(f"mgz-sim what-if app on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    serve(args.host, args.port, args.configs, args.workers, args.out)
    return 0
