"""Django's PostgreSQL backend with a health check that does not ask the database (base.py)."""
