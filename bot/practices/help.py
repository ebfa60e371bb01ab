"""What `/practice help` says, in Slack and in Teams (where only what Teams answers is offered)."""

from bot.topics import TOPICS

TOPICS_LINE = ("Topics: " + ", ".join(label.lower() if not label.startswith("CIO") else label for _, label in TOPICS)
               + ", or any `#word` of your own.")
HEADING = "*Share what worked in your city, find what worked elsewhere.*"

HELP = "\n".join([
    HEADING,
    "• `/practice` opens the form: title, city, the problem, what was done, the outcome, topics, cost, contact.",
    "• `/practice Wireless hotspots downtown. Free wifi drew young people. #wireless` shares in one line: "
    "the first sentence is the title, `#words` are topics.",
    "• `/practice search wireless downtown #open-data city:Des Moines` finds practices, best match first "
    "(`city:` takes the whole name of a city the exchange knows, or quote it: `city:\"St. Louis\"`).",
    "• `/practice list #wireless city:Detroit` the latest · `/practice mine #wireless` yours · "
    "`/practice show 12` everything about one.",
    "• `/practice edit 12` · `/practice delete 12` (asks first): the member who shared it (or saved it from "
    "a question), or a moderator.",
    "• `/profile` tells others your role, city and expertise.",
    "A one-line share that starts with search, list, mine, show, edit, delete or help is read as that command "
    "(use the form for it); one that starts with a near miss (`serch`, `delte`) or is a single word stays "
    "private until you choose *Run /practice …* or *Share it as a practice anyway*.",
    TOPICS_LINE,
])
