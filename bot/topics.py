"""The topic taxonomy, drawn from the 2004 roundtable's own agenda, and free `#topics`.

Topics are stored as slugs (`wireless-broadband`, or a free topic such as `snow-removal`).
Everything that reads or writes a topic goes through `normalize_topic`, so `#Wireless`,
`#broadband` and `wireless-broadband` all land on the same practices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TOPICS: list[tuple[str, str]] = [
    ("wireless-broadband", "Wireless and broadband"),
    ("integration-standards", "Integration and standardization"),
    ("outsourcing", "Outsourcing"),
    ("technology-jobs", "Technology and jobs"),
    ("cio-mayor", "CIO-mayor relationship"),
    ("e-government", "E-government services"),
    ("revenue-tax", "Revenue and tax systems"),
    ("cybersecurity", "Cybersecurity"),
    ("open-data", "Open data"),
    ("public-safety", "Public safety technology"),
]
LABELS = dict(TOPICS)

# What people type for the agenda topics, beyond the slug and the label themselves: the one table
# for #topics, the form's topics and the topics a question names (bot.questions.suggestions).
ALIASES = {
    "wireless-broadband": ("wireless", "broadband", "wifi", "wi-fi", "hotspots", "hotspot", "fiber", "fibre",
                           "fiber-optic", "connectivity", "digital-divide"),
    "integration-standards": ("integration", "standardization", "standards", "interoperability"),
    "outsourcing": ("outsource", "outsourced"),
    "technology-jobs": ("jobs", "workforce"),
    "cio-mayor": ("mayor-cio", "cio-and-mayor"),
    "e-government": ("egov", "e-gov", "e-services", "digital-services", "311"),
    "revenue-tax": ("tax", "taxes", "revenue", "tax-systems"),
    "cybersecurity": ("security", "cyber", "infosec", "ransomware", "phishing", "breach", "breaches",
                      "data-breach", "malware", "hacked", "hackers"),
    "open-data": ("data", "transparency"),
    "public-safety": ("safety", "police", "911", "emergency"),
}
MAX_TOPIC_LENGTH = 40  # a free topic is a word or two, not a sentence (practice_topic.topic is 80)
MAX_TOPICS = 10
HASHTAG = re.compile(r"(?<![\w<&])#([^\s#<>]+)")


def slugify(text: str) -> str:
    """`"Open Data!"` -> `"open-data"`: case-folded letters and digits joined by single hyphens."""
    return "-".join(re.findall(r"[^\W_]+", text.casefold()))


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for slug, label in TOPICS:
        for name in (slug, slugify(label), *ALIASES.get(slug, ())):
            key = slugify(name)
            index[key] = slug
            index[key.replace("-", "")] = slug  # #OpenData, #egovernment
    return index


KNOWN = _index()


def normalize_topic(raw: str) -> str | None:
    """The stored slug for a typed topic, a free topic's own slug, or None when nothing is left."""
    key = slugify(raw.lstrip("#"))
    if not key:
        return None
    return KNOWN.get(key) or KNOWN.get(key.replace("-", "")) or key[:MAX_TOPIC_LENGTH].strip("-")


def normalize_topics(raws: Iterable[str]) -> list[str]:
    """Distinct slugs, in the order given, at most MAX_TOPICS."""
    topics: list[str] = []
    for raw in raws:
        topic = normalize_topic(raw)
        if topic and topic not in topics:
            topics.append(topic)
    return topics[:MAX_TOPICS]


def extract_topics(text: str) -> tuple[str, list[str]]:
    """Pull `#topics` out of free text: `("Hotspots downtown #wireless", ...)` ->
    `("Hotspots downtown", ["wireless-broadband"])`."""
    topics = normalize_topics(HASHTAG.findall(text))
    rest = HASHTAG.sub(" ", text)
    rest = "\n".join(" ".join(line.split()) for line in rest.splitlines())
    return rest.strip(), topics


def is_known(topic: str) -> bool:
    return topic in LABELS


def topic_label(topic: str) -> str:
    """`"revenue-tax"` -> `"Revenue and tax systems"`; a free topic shows as `#its-slug`."""
    return LABELS.get(topic, f"#{topic}")
