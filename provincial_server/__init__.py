"""Reference provincial server: the sync gateway counters push their outbox to and pull changes from.

FastAPI + SQLAlchemy; PostgreSQL (psycopg 3) in production, SQLite as the embedded default.
It imports only ``counter_app.core`` (the shared protocol shapes and the life cycle), never the
counter's storage, sync or window.
"""

__version__ = "0.1.0"
