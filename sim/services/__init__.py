"""The services a request can meet (one module per service, in the domain's own words) and
the region that builds them from a scenario and walks each request along its route.
"""
