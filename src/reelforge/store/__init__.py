"""Server storage: the database (models, migrations, repositories) and the media store."""
