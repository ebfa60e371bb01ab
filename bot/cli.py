"""`python -m bot` / `roundtable`: serve, scheduler, console, db upgrade, roundup, export, installs reencrypt."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.config import ConfigError, Settings, load_settings
from bot.export import command as export_command
from bot.runtime import build_services, check_slack_token, open_database, setup_logging
from bot.services import Services

log = logging.getLogger("roundtable")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="roundtable", description="Roundtable, the mayors' and CIOs' Slack bot")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the Slack app (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the scheduler in this process")
    serve.add_argument("--socket", action="store_true", help="use Socket Mode (needs SLACK_APP_TOKEN)")

    commands.add_parser("scheduler", help="run only the scheduler (the Procfile's clock process)")

    console = commands.add_parser("console", help="talk to the bot in this terminal, no Slack needed")
    console.add_argument("--as", dest="as_user", default="cio", metavar="ROLE|USER",
                         help="who you are: mayor, cio, moderator, or a demo member by name, e.g. Neff (default: cio)")
    console.add_argument("--demo", action="store_true",
                         help="a fresh 2004 roundtable demo workspace (in roundtable-demo.db)")
    console.add_argument("--keep", action="store_true", help="with --demo: continue the last demo workspace")
    console.add_argument("--teams", action="store_true", help="play a Teams member: cards shown as text")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply migrations")

    roundup = commands.add_parser("roundup", help="print this week's roundup, or post it with --post")
    roundup.add_argument("--post", action="store_true", help="post it now")
    roundup.add_argument("--channel", help="channel to post to (default ROUNDUP_CHANNEL)")
    installs = commands.add_parser("installs", help="distribution mode's stored installations")
    installs_commands = installs.add_subparsers(dest="installs_command", required=True, metavar="ACTION")
    installs_commands.add_parser("reencrypt", help="rewrite every stored token with the first key of "
                                 "ROUNDTABLE_SECRET_KEY, so older keys can be dropped")
    export_command.add_parser(commands)
    teams = commands.add_parser("teams", help="Microsoft Teams: build the app package")
    teams_commands = teams.add_subparsers(dest="teams_command", required=True, metavar="ACTION")
    package = teams_commands.add_parser("package", help="zip manifest.json and icons (TEAMS_APP_ID, LIBRARY_URL)")
    package.add_argument("--out", default="roundtable-teams.zip", help="the zip to write (default roundtable-teams.zip)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings()
        setup_logging(settings.log_level, secrets(settings))
        return run(args, settings)
    except ConfigError as exc:
        print(f"roundtable: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


def secrets(settings: Settings) -> tuple[str, ...]:
    return (settings.bot_token, settings.signing_secret, settings.app_token, settings.client_secret,
            settings.teams_app_password, *settings.secret_keys)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        from bot import server

        socket_mode = args.socket or bool(settings.app_token)
        settings.require_slack(socket_mode=socket_mode)
        settings.require_teams()
        check_before_serving(settings)
        if socket_mode:
            server.serve_socket_mode(settings, with_scheduler=not args.no_scheduler)
        else:
            server.serve_http(settings, with_scheduler=not args.no_scheduler)
        return 0
    if args.command == "scheduler":
        from bot.scheduler import build_scheduler

        settings.require_slack(receives_requests=False)
        settings.require_teams()  # posts to Teams tenants with TEAMS_APP_ID's own token
        check_before_serving(settings)
        run_scheduler(build_scheduler(build_services(settings)))
        return 0
    if args.command == "console":
        from bot.console.main import run_console

        return run_console(settings, as_user=args.as_user, demo_data=args.demo, keep=args.keep,
                           secrets=secrets(settings), teams=args.teams)
    if args.command == "db":
        open_database(settings).dispose()
        print("database is up to date")
        return 0
    if args.command == "roundup":
        return run_roundup(settings, post=args.post, channel=args.channel)
    if args.command == "teams":
        from pathlib import Path

        from bot.teams_app.package import build
        try:
            print(build(Path(args.out), settings.teams_app_id, settings.library_url))
        except ValueError as exc:
            print(f"roundtable: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "export":
        return export_command.run_export(settings, args)
    if args.command == "installs":
        return run_reencrypt(settings)
    raise AssertionError(args.command)


def run_reencrypt(settings: Settings) -> int:
    """`installs reencrypt`: counts and team IDs only, never a token."""
    from storage.keys import reencrypt

    if not settings.secret_keys:
        raise ConfigError("ROUNDTABLE_SECRET_KEY is not set: give the new key first, then the old ones")
    db = open_database(settings)
    try:
        done = reencrypt(db.engine, settings.secret_keys)
    finally:
        db.dispose()
    print(f"re-encrypted the tokens of {len(done.rewritten)} installation(s) with the first key; "
          f"{len(done.current)} already used it")
    if done.unreadable:
        teams = ", ".join(sorted({team or enterprise or "?" for _, enterprise, team in done.unreadable}))
        print(f"{len(done.unreadable)} installation(s) have tokens no key in ROUNDTABLE_SECRET_KEY can read, "
              f"left as they were: {teams}", file=sys.stderr)
        return 1
    return 0


CONNECT_TIMEOUT_SECONDS = 10


def check_before_serving(settings: Settings) -> None:
    """The token and the database, checked before anything listens: each failure is one line."""
    if settings.bot_token:  # distribution mode may have none: each workspace's is in the database
        check_slack_token(settings)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})  # a host that never answers
    open_database(replace(settings, database_url=url.render_as_string(hide_password=False))).dispose()


STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def run_scheduler(scheduler: BackgroundScheduler) -> None:
    """Tick until SIGTERM or SIGINT, then let the job in progress finish.

    Nothing is raised from a signal handler (APScheduler swallows exceptions raised inside its
    job submission, so a SystemExit there was lost): the signals are blocked before any thread
    starts, so every thread inherits the mask, and the main thread takes them with sigwait.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        scheduler.start()
        log.info("scheduler running")
        received = signal.sigwait(STOP_SIGNALS)
        log.info("scheduler stopping (%s): the job in progress finishes", signal.Signals(received).name)
        scheduler.shutdown(wait=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    log.info("scheduler stopped")


def run_roundup(settings: Settings, *, post: bool, channel: str | None) -> int:
    """Print this week's roundup, or post it at once (recorded like `/roundup now`)."""
    from bot.render.text import inline_text
    from bot.roundup.delivery import post_now
    from bot.roundup.schedule import schedule_for
    from storage.roundups import CLI

    services = build_services(settings)
    if post:
        settings.require_slack(receives_requests=False)
        if not settings.bot_token:  # distribution mode: the host workspace's token names the workspace
            raise ConfigError("SLACK_BOT_TOKEN is not set: `roundup --post` posts for the workspace of that "
                              "token; other workspaces use /roundup now")
        team_id = check_slack_token(settings)
        with services.db.begin() as session:
            channel = channel or schedule_for(session, settings, team_id).channel_id
        if not channel:
            raise ConfigError("ROUNDUP_CHANNEL is not set: set it in .env, pass --channel C0123, "
                              "or choose one with /roundup settings")
        reply = inline_text(post_now(services, team_id, "", source=CLI, channel_id=channel))
        posted = reply.startswith("Posted")
        print(reply, file=sys.stdout if posted else sys.stderr)
        return 0 if posted else 1
    team_id = check_slack_token(settings) if settings.bot_token else only_team(services)
    print(roundup_text(services, team_id))
    return 0


def roundup_text(services: Services, team_id: str) -> str:
    """This week's roundup as a person reads it: members by name, no mrkdwn."""
    from bot.roundup import content as roundup
    from bot.roundup.schedule import schedule_for

    with services.db.begin() as session:
        schedule = schedule_for(session, services.settings, team_id)
        built = roundup.build_roundup(session, team_id, services.clock(), schedule.timezone)
        names = member_names(services, session, team_id, roundup.mentioned(built))
    return roundup.render_text(built, names)


def only_team(services: Services) -> str:
    """Without a token the workspace is the one the database holds ("" when it holds none)."""
    from storage.activity import teams_seen

    with services.db.begin() as session:
        teams = teams_seen(session)
    if len(teams) > 1:
        raise ConfigError(f"the database holds {len(teams)} workspaces: set SLACK_BOT_TOKEN so the roundup "
                          "knows which one is yours")
    return teams[0] if teams else ""


def member_names(services: Services, session: Session, team_id: str, user_ids: list[str]) -> dict[str, str]:
    """Names for the roundup's mentions: Slack's (with a token), else the member's profile title."""
    from bot.members import member_name
    from storage.profiles import profiles_of

    profiles = profiles_of(session, team_id, user_ids)
    names = {}
    for user_id in user_ids:
        name = member_name(services.client, user_id) if services.settings.bot_token else ""
        profile = profiles.get(user_id)
        described = ", ".join(p for p in (profile.title, profile.city) if p) if profile else ""
        names[user_id] = name or described or "a member"
    return names
