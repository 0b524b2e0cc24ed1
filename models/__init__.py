"""Persistence: SQLAlchemy tables, conversion to and from the domain, repositories, the unit of
work and Alembic migrations. See docs/persistence.md. Importing it connects to nothing."""
