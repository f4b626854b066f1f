"""Command line: `mgz-sim [run] [SCENARIO] [options]` (also `python run_sim.py ...`).

Bad input of any kind ends with one clear message on stderr and exit code 2. The commands
are a table (commands.py): one module per command with its parser builder and what it
runs; the options they share are in options.py.
"""

from __future__ import annotations

import os
import sys

try:  # Ctrl-C while the command line starts: one line, not a traceback of the imports
    from pathlib import Path
    from typing import Any

    from sim.cli.commands import build_parser, runner, with_default_command
    from sim.cli.options import MESSAGE_LINES, clip, language
    from sim.errors import RunError, ScenarioError, fault_error, read_where
except KeyboardInterrupt:
    sys.stderr.write("\ninterrupted while starting: nothing was done\n")
    sys.stderr.flush()
    os._exit(130)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = command = None
    try:
        args = build_parser().parse_args(with_default_command(argv))
        command = args.command
        return runner(args.command)(args)
    except (ScenarioError, RunError) as exc:
        # a workbook's problems come in the language asked (text(lang)), one per line
        text = exc.text(language(args)) if hasattr(exc, "text") else str(exc)
        lines = [clip(line) for line in text.splitlines()] or [""]
        if len(lines) > MESSAGE_LINES:
            lines = lines[:MESSAGE_LINES] + [f"... ({len(lines) - MESSAGE_LINES} more lines)"]
        print("error: " + "\n".join(lines), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a write outside the results machinery (e.g. a report): one line, not a traceback
        if (read := read_where(exc)) is not None:  # not a write: a file being read (a results folder's table)
            reason = (exc.strerror or str(exc) or type(exc).__name__).splitlines()[0]
            print(f"error: {clip(read[0])}: cannot read it ({clip(reason, 200)})", file=sys.stderr)
            return 2
        where = Path(exc.filename).parent if getattr(exc, "filename", None) else Path.cwd()
        print(f"error: {clip(str(fault_error(exc, where)))}", file=sys.stderr)
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


def fingerprint_run(path: Path) -> tuple[Any, Any, dict[str, Any]]:
    """Replication 0 of a scenario file as tables and KPIs, through the same steps as a run
    (for tools/kpi_fingerprint.py: proof that a refactoring changed no result)."""
    from sim.experiments.runner import run_replication
    from sim.scenario.loading import load_scenario
    result = run_replication(load_scenario(path), 0)
    return result.tables.requests, result.tables.stages, result.kpis
