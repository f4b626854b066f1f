#!/usr/bin/env python3
"""Run mgz-sim from a source checkout: `python run_sim.py [SCENARIO] [options]`."""

from sim.cli import entry

if __name__ == "__main__":
    entry()
