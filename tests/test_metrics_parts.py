"""The vectorised pieces of the KPIs, on examples small enough to count by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.metrics import _counts, _top_clients
from sim.analysis.overload import backlog

NAN = np.nan


def test_backlog_counts_per_pool_the_claims_ready_and_not_yet_started():
    pool = np.array([0, 0, 0, 1, 1, 2])
    ready = np.array([5.0, 15.0, 25.0, 10.0, NAN, 1.0])  # NaN: never ready (not counted)
    start = np.array([12.0, NAN, 26.0, 10.0, NAN, 30.0])  # NaN: still waiting at the end
    times = np.array([10.0, 20.0, 30.0])
    waiting = backlog(pool, 4, ready, start, times)
    # pool 0 at 10: ready 5 not started; at 20: 15 waits (5 started at 12); at 30: 15 waits still
    # pool 1: ready and started at 10 (ready <= t and start <= t: not waiting); pool 2: 1 waits until 30
    assert waiting.tolist() == [[1, 1, 1], [0, 0, 0], [1, 1, 0], [0, 0, 0]]


def test_counts_leave_out_the_missing_and_the_categories_that_do_not_occur():
    col = pd.Series(pd.Categorical(["hap", None, "seh", "hap"], categories=["hap", "own_gp", "seh"]))
    assert _counts(col) == {"hap": 2, "seh": 1}


def test_top_clients_are_counted_per_location_and_client():
    location = np.array([0, 0, 0, 1, 1, 2])
    client = np.array([3, 3, 4, 3, 3, 3])  # client 3 of location 0 and of location 1 are two people
    assert _top_clients(location, client, 1) == 2
    assert _top_clients(location, client, 2) == 4
    assert _top_clients(location, client, 10) == 6
