"""Scans on workers: requesting, running (Celery), progress, history and diff, alerts, schedule, batch sweeps."""
