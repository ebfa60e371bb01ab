"""Roundtables: recurring meetings moderators schedule, with reminders, RSVPs and calendar files."""
