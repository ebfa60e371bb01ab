"""The baseline for bench/http_load.py: a bare Bolt app whose only listener acks, served on the stack
Roundtable had before issue 10 (Bolt's WSGI adapter under gunicorn gthread, one worker, eight threads).

BENCH_COMMAND names the slash command it acks (default /practice)."""

import os

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

app = App(
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
)


@app.command(os.environ.get("BENCH_COMMAND", "/practice"))
def ack_only(ack):  # type: ignore[no-untyped-def]
    ack()


wsgi = SlackRequestHandler(app)
