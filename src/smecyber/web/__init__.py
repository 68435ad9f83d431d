"""The Django project: settings, root URLs, the Celery app, and the templates and static files every app shares."""
