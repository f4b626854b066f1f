#!/usr/bin/env python3
"""Run mgz-sim from a source checkout: `python run_sim.py [SCENARIO] [options]`."""

import os
import sys

try:  # a Ctrl-C while the libraries load is one line (sim/cli/__init__.py says the same once it runs)
    from sim.cli import entry
except KeyboardInterrupt:
    sys.stderr.write("\ninterrupted while starting: nothing was done\n")
    sys.stderr.flush()
    os._exit(130)

if __name__ == "__main__":
    entry()
