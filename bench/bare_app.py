"""The baseline for bench/http_load.py: a bare Bolt app whose only listener acks, served on the same
stack as Roundtable (Bolt's WSGI adapter under gunicorn gthread, one worker)."""

import os

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

app = App(
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
)


@app.command("/practice")
def ack_only(ack):  # type: ignore[no-untyped-def]
    ack()


wsgi = SlackRequestHandler(app)
