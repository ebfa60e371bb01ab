"""`serve`: the Bolt app under gunicorn (HTTP) or over Socket Mode."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication

from bot.config import Settings
from bot.logs import defer as defer_logging
from bot.runtime import build_services
from bot.scheduler import build_scheduler
from bot.services import ListenerExecutor, listener_threads
from bot.signing import RequestSigning

log = logging.getLogger("roundtable.server")
GRACEFUL_SECONDS = 20


class GunicornLogger(glogging.Logger):  # type: ignore[misc]
    """gunicorn's own lines go through the process's handler (bot/logs.py): one line, no secrets."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.handlers[:] = []
            log.propagate = True


class RoundtableServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with its asyncio (ASGI) worker; everything is built in the worker, after the fork.

    The event loop holds every connection, so slow or idle clients cost a little memory, never a
    thread; a request only takes one of WEB_THREADS threads once its whole body has arrived and
    its signature checked (bot/web.py), and a slash command that would wait too long for one is
    answered busy from the loop instead (`shed_commands`, on the pool timed by TimedPool). gthread,
    the previous choice, gives a connection a thread as soon as its first byte arrives and then
    blocks on the rest: eight half-sent headers stalled every ack and /healthz. bot/worker.py adds a deadline for a new connection's first headers.
    """

    def __init__(self, settings: Settings, *, with_scheduler: bool) -> None:
        self.settings = settings
        self.workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
        self.with_scheduler = with_scheduler and self.workers == 1
        if with_scheduler and self.workers > 1:
            log.warning("WEB_CONCURRENCY>1: run the scheduler in its own `clock` process")
        super().__init__()

    def load_config(self) -> None:
        options: dict[str, Any] = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": self.workers,
            "worker_class": "bot.worker.RoundtableWorker",  # gunicorn's asgi worker, bounded
            "asgi_lifespan": "off",
            "graceful_timeout": GRACEFUL_SECONDS,
            "timeout": 30,
            "accesslog": None,
            "logger_class": GunicornLogger,
            "loglevel": self.settings.log_level.lower(),
            "post_worker_init": self._post_worker_init,
            "worker_exit": self._worker_exit,
        }
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25: one shared path per user
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from bot.app import create_app
        from bot.web import SlackEdge, TimedPool

        self.services = build_services(self.settings)
        self.undefer_logging = defer_logging()  # in the worker: its thread must start after the fork
        self.executor = ListenerExecutor(listener_threads(self.services.db))
        self.bolt = create_app(self.services, executor=self.executor)
        from bot.library import Library

        pool = TimedPool(ThreadPoolExecutor(int(os.environ.get("WEB_THREADS", "8")), thread_name_prefix="dispatch"))
        library = Library(self.settings, self.services.db, self.services.client, pool,
                          client_for=self.services.client_for)
        if not library.enabled:
            log.info("web library off: set LIBRARY_PUBLIC=1, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, "
                     "ROUNDTABLE_SECRET_KEY and LIBRARY_URL for members' sign-in")
        teams = calendar = None
        if self.settings.teams:
            from bot.teams.app import TeamsASGI, build_teams_app
            from handlers.teams import register as register_teams

            teams_app = build_teams_app(self.settings, self.services.teams_token_source())
            register_teams(teams_app, self.services)
            teams = TeamsASGI(teams_app)
            from bot.roundtables.calendar_links import serve as serve_calendar

            calendar = partial(serve_calendar, self.services)  # Teams' `roundtable ics` links here
        return SlackEdge(self.bolt, self.services.db, RequestSigning(self.settings.signing_secret), pool,
                         library if library.enabled else None, teams, calendar, shed_commands=True)

    def _post_worker_init(self, worker: Any) -> None:
        self.scheduler = None
        if self.with_scheduler:
            self.scheduler = build_scheduler(self.services)
            self.scheduler.start()
        log.info("serving on %s:%s", self.settings.host, self.settings.port)

    def _worker_exit(self, server: Any, worker: Any) -> None:
        scheduler = getattr(self, "scheduler", None)
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        executor = getattr(self, "executor", None)
        if executor is not None:  # let replies already acked reach Slack before exiting
            executor.wait_idle(timeout=GRACEFUL_SECONDS)
        undefer_logging = getattr(self, "undefer_logging", None)
        if undefer_logging is not None:  # what is queued is written, and later lines at once
            undefer_logging()


def serve_http(settings: Settings, *, with_scheduler: bool) -> None:
    RoundtableServer(settings, with_scheduler=with_scheduler).run()


def serve_socket_mode(settings: Settings, *, with_scheduler: bool) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import create_app

    services = build_services(settings)
    app = create_app(services)
    scheduler = build_scheduler(services) if with_scheduler else None
    if scheduler:
        scheduler.start()
    try:
        SocketModeHandler(app, settings.app_token).start()
    finally:
        if scheduler:
            scheduler.shutdown(wait=True)
