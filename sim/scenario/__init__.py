"""The scenario layer: the schema of a scenario file (every parameter with its default and
source), loading YAML into a validated Scenario with clear errors, and the static checks
(references, routes, calendar) that run before anything is simulated.
"""
