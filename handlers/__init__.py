"""Thin glue between a chat platform and the bot's rules (bot/): `handlers/slack/` (Bolt listeners,
grouped by kind: commands, actions, views, shortcuts, events) and `handlers/teams/` (the Teams SDK's
handlers, grouped by kind too). `errors.py` holds the failure wording both platforms use."""
