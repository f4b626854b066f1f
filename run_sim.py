#!/usr/bin/env python3
"""Run mgz-sim from a source checkout: `python run_sim.py [SCENARIO] [options]`."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
