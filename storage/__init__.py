"""Storage: SQLAlchemy models, the engine and units of work, query functions, migrations.

This package knows databases, not Slack. Query functions take a Session and never commit:
the caller owns the unit of work (`with db.begin() as session:`).
"""
