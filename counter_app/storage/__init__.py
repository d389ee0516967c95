"""SQLite storage: SQLAlchemy 2 models, repositories returning core dataclasses, migrations."""
