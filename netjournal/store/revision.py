"""The newest schema revision, importable without SQLAlchemy (the app's fast start reads it).

tests/store/test_migrations.py checks it matches the head of netjournal/store/migrations/versions.
"""
HEAD = "0005"
