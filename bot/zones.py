"""The time zones both forms offer (the roundtable form and `/roundup settings`), one list.

The US zones members are in, labelled by region and city; a zone already chosen (the
moderator's own, a workspace's setting) is added when it is not one of them.
"""

from __future__ import annotations

ZONE_CHOICES = {
    "America/New_York": "Eastern (New York)", "America/Detroit": "Eastern (Detroit)",
    "America/Chicago": "Central (Chicago)", "America/Denver": "Mountain (Denver)",
    "America/Phoenix": "Arizona (Phoenix)", "America/Los_Angeles": "Pacific (Los Angeles)",
    "America/Anchorage": "Alaska (Anchorage)", "Pacific/Honolulu": "Hawaii (Honolulu)",
    "America/Puerto_Rico": "Atlantic (San Juan)", "UTC": "UTC",
}


def zone_choices(current: str) -> dict[str, str]:
    """Zone -> label, with `current` included (as its own name when it is not a US zone)."""
    choices = dict(ZONE_CHOICES)
    if current:
        choices.setdefault(current, current.replace("_", " "))
    return choices
