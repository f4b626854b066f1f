"""Running experiments: replications, comparisons, sweeps, sensitivity, warm-up, the impact
of a new location and staffing searches, all through one executor; results folders.
"""
