"""Errors a user can fix: printed as one clear message with exit code 2, never a traceback."""


class ScenarioError(Exception):
    """Invalid input: the message names the file, the field and what is allowed."""

    exit_code = 2


class RunError(Exception):
    """A run that could not finish (a replication failed): one line, exit code 1."""

    exit_code = 1
