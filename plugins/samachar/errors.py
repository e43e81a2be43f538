"""Exceptions that decide how Airflow retries a task (kept import-light for DAG parsing)."""


class TooManyFailures(RuntimeError):
    """A stage lost more than its threshold: fail the task so Airflow retries it."""


class ParserBroken(RuntimeError):
    """Most pages crash the parser: a code bug that no retry will fix."""


class BadParams(ValueError):
    """A run's parameters make no sense (e.g. start after end)."""
