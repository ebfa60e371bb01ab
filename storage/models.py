"""Imports every model module so Base.metadata knows every table (Alembic and tests rely on it)."""

from storage.base import Base
from storage.deliveries import Delivery
from storage.events import ProcessedEvent
from storage.practices import Adoption, Practice, PracticeTopic
from storage.profiles import Profile
from storage.questions import Answer, Question, SuggestedExpert
from storage.roundtables import Roundtable, RoundtableRsvp

__all__ = [
    "Adoption", "Answer", "Base", "Delivery", "Practice", "PracticeTopic", "ProcessedEvent", "Profile",
    "Question", "Roundtable", "RoundtableRsvp", "SuggestedExpert",
]
