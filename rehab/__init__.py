"""The Django project package and the core app (label "rehab")."""

# Load the Celery app with Django so that @shared_task binds to it and on-commit
# enqueueing works from any process that imports the project.
from rehab.celery import app as celery_app

__all__ = ("celery_app",)
