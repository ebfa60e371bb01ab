"""`serve`: the Bolt app under gunicorn (HTTP) or over Socket Mode."""

from __future__ import annotations

import logging
import os
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.config import Settings
from bot.runtime import build_services
from bot.scheduler import build_scheduler
from bot.services import ListenerExecutor

log = logging.getLogger("roundtable.server")
GRACEFUL_SECONDS = 20


class RoundtableServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with threaded workers; everything is built in the worker, after the fork."""

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
            "worker_class": "gthread",
            "threads": int(os.environ.get("WEB_THREADS", "8")),
            "graceful_timeout": GRACEFUL_SECONDS,
            "timeout": 30,
            "accesslog": None,
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
        from bot.web import create_wsgi_app

        self.services = build_services(self.settings)
        self.executor = ListenerExecutor()
        self.bolt = create_app(self.services, executor=self.executor)
        return create_wsgi_app(self.bolt, self.services.db)

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
