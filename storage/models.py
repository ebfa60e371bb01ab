"""Imports every model module so Base.metadata knows every table (Alembic and tests rely on it)."""

import storage.activity  # noqa: F401 - the roundup's indexes on practice and adoption
import storage.question_activity  # noqa: F401 - the roundup's indexes on question and answer
from storage.base import Base
from storage.conversation_homes import ConversationHome
from storage.conversations import Conversation
from storage.deliveries import Delivery
from storage.digests import Digest
from storage.events import ProcessedEvent
from storage.exchange import ExchangeMember
from storage.practices import Adoption, Practice, PracticeAsk, PracticeTopic
from storage.profiles import Profile
from storage.questions import Answer, Question, SuggestedExpert
from storage.revisions import PracticeRevision
from storage.roundtables import Roundtable, RoundtableRsvp
from storage.roundup_settings import RoundupSettings
from storage.roundups import PostedRoundup
from storage.teams_conversations import TeamsConversation

__all__ = [
    "Adoption", "Answer", "Base", "Conversation", "ConversationHome", "Delivery", "Digest", "ExchangeMember", "PostedRoundup", "Practice", "PracticeAsk",
    "PracticeRevision", "PracticeTopic",
    "ProcessedEvent", "Profile", "Question", "Roundtable", "RoundtableRsvp", "RoundupSettings",
    "SuggestedExpert", "TeamsConversation",
]
