"""Writes of the evaluations app: background jobs (jobs.py) and region reports (reports.py)."""
