"""From records to answers: the output tables, the KPIs per replication and aggregated,
queueing theory, and the analytic check of a scenario.
"""
