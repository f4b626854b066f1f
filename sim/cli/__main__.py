"""`python -m sim.cli ...`: the same as `mgz-sim ...`."""

from sim.cli import entry

entry()
