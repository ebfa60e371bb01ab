"""Form (modal) submissions, one listener each."""

from slack_bolt import App

from bot import profiles
from bot.practices import modal as practice_modal
from bot.roundtables import modal as roundtable_modal
from bot.roundup import settings as roundup_settings
from handlers.slack.errors import guarded
from handlers.slack.views import digest, practice, profile, roundtable, roundup


def register(app: App) -> None:
    app.view(practice_modal.CALLBACK_ID)(guarded(practice.practice_form))
    app.view(roundtable_modal.CALLBACK_ID)(guarded(roundtable.roundtable_form))
    app.view(profiles.CALLBACK_ID)(guarded(profile.profile_form))
    app.view(roundup_settings.CALLBACK_ID)(guarded(roundup.roundup_settings_form))
    app.view("save_digest")(guarded(digest.digest_form))
