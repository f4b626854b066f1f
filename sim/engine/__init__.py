"""The simulation engine: the calendar, rosters and free time, flows and pools on SimPy's
clock, random streams, care requests (demand) and the columnar records of a run.
"""
