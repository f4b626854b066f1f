#!/usr/bin/env python3
"""Run mgz-sim from a source checkout: `python run_sim.py [SCENARIO] [options]`."""

from sim import entry  # instant: a Ctrl-C while the libraries load is one line (sim/__init__.py)

if __name__ == "__main__":
    entry()
