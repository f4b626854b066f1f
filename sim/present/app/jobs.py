"""Calculations started from the app, each in a background thread, with the progress the
page polls for.

A shared machine must not be swamped by one page: an app runs at most MAX_JOBS at once
(a further Run is refused with a message, not queued), and a finished job is forgotten
JOB_MAX_AGE seconds after it ended (its results folder stays on disk, like the command
line's). Jobs are found by a random id only the page that started one knows.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sim.errors import RunError, ScenarioError

MAX_JOBS = 2  # calculations at once per app
JOB_MAX_AGE = 3600.0  # seconds a finished job is kept for its page (read at each prune: tests change it)

Progress = Callable[[int, int], None]


@dataclass
class Job:
    """One calculation: what the page shows while it runs (done of total) and after (its
    answer, or why it failed)."""

    id: str
    question: str
    started: float = field(default_factory=time.time)
    done: int = 0
    total: int = 0
    finished: float | None = None
    answer: Any = None  # what the work returned (questions.Answer)
    error: str | None = None  # a problem the user can act on (the experiment's own message)
    crashed: str | None = None  # an unexpected failure: its type (the traceback went to stderr)

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    @property
    def seconds(self) -> float:
        return (self.finished or time.time()) - self.started


class JobBoard:
    """The jobs of one app: at most `max_jobs` running, finished ones pruned after JOB_MAX_AGE."""

    def __init__(self, max_jobs: int = MAX_JOBS):
        self.max_jobs = max_jobs
        self._slots = threading.BoundedSemaphore(max_jobs)
        self._lock = threading.Lock()
        self.jobs: dict[str, Job] = {}

    def prune(self, now: float | None = None) -> None:
        """Forget finished jobs older than JOB_MAX_AGE (a page closed without reading one
        would otherwise keep it forever)."""
        now = time.time() if now is None else now
        with self._lock:
            for key in [k for k, j in self.jobs.items() if j.finished is not None and now - j.finished >= JOB_MAX_AGE]:
                del self.jobs[key]

    def start(self, question: str, work: Callable[[Progress], Any]) -> Job | None:
        """Run work(progress) in a thread; None (nothing started) when max_jobs already run."""
        self.prune()
        if not self._slots.acquire(blocking=False):
            return None
        job = Job(uuid.uuid4().hex, question)
        with self._lock:
            self.jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, work), name=f"mgz-app-{job.id[:8]}", daemon=True).start()
        return job

    def get(self, job_id: Any) -> Job | None:
        """The job with this id, if the page sent a string this app knows (and it is not
        past its time)."""
        if not isinstance(job_id, str):
            return None
        self.prune()
        with self._lock:
            return self.jobs.get(job_id)

    def running(self) -> int:
        with self._lock:
            return sum(j.finished is None for j in self.jobs.values())

    def _run(self, job: Job, work: Callable[[Progress], Any]) -> None:
        try:
            job.answer = work(job.progress)
        except (ScenarioError, RunError) as exc:  # the experiment's own clear message
            job.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug: the page gets one line, stderr the traceback
            print(f"mgz-sim app: job {job.id} ({job.question}) failed:\n{traceback.format_exc()}", file=sys.stderr)
            job.crashed = type(exc).__name__
        finally:
            job.finished = time.time()
            self._slots.release()
