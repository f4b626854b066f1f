"""The what-if web app (`mgz-sim app`): the two questions a GP cooperative or a policy maker
asks, answered with the same experiments, figures and report as the command line, in
Dutch or English.

- "New location": what does a new woonvorm of N residents next to practice X
  cost the practice, the HAP and the region, without it / with it / with it and a voorwacht /
  with it and a compact behandelteam (`mgz-sim impact`);
- "Compare an arrangement": switch arrangements on, move the pressure sliders, and see what
  changes against the base scenario on common random numbers (`mgz-sim compare`).

One concept per module:

    layout      the page, built from data (checks.FIELDS, option lists, words)
    form        callbacks that keep the page in step: language, pickers, what is shown
    running     Run, progress, the answer areas and the download
    upload      your own region: a workbook uploaded, checked, offered as a base
    server      create_app and serve: the pieces put together behind the guard
    words       every text of the page in English and Dutch (WORDS)
    catalogue   the base scenarios offered, by id (the page never sends a path)
    checks      every value checked again on the server -> Refused -> one sentence
    jobs        background runs: at most two at once, forgotten after an hour
    questions   the experiments the command line uses, into a real results folder
    results     an answer as key figures, table and charts (the reports' own figures)
    guard       Host check, request size limit, warning when reachable from elsewhere

On a shared machine the app runs only what it offers: it binds to 127.0.0.1 unless told
otherwise, refuses other Host headers (400) and large bodies (413), checks every value, and
turns an unexpected error into a message in the page (the traceback goes to stderr), never
an HTTP 500.
"""

from sim.present.app.server import create_app, serve

__all__ = ["create_app", "serve"]
