"""What users see: the printed summary, the HTML report, the what-if app and its scenarios.
"""
