"""What a member is told when handling failed, on every platform (the traceback goes to the log)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

UNAVAILABLE = "Roundtable is temporarily unavailable. Please try again in a minute."
FAILED = "Sorry, something went wrong on our side. Please try again."


def is_database_down(error: BaseException) -> bool:
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )
