"""Alembic migrations of the server database (applied on start by `Database.migrate`)."""
