"""Imports every model module so Base.metadata knows every table (Alembic and tests rely on it)."""

from storage.base import Base
from storage.events import ProcessedEvent

__all__ = ["Base", "ProcessedEvent"]
