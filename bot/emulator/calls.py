"""What the Web API emulator records (a Call) and what a test can tell it to do wrong (a Fault)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    method: str  # "chat.postMessage", or "response_url" for posts to a response URL
    args: dict[str, Any]
    path: str
    at: float = field(default_factory=time.monotonic)
    status: int = 200  # what the emulator answered (429 when rate-limited); 0 when it hung up
    team: str = ""  # the workspace whose token made the call
    answer: dict[str, Any] | None = None  # the JSON it answered with, for calls it carried out


@dataclass
class Fault:
    status: int = 200  # 429, 500, 503 ...; 200 with `error` set means ok:false
    error: str | None = None
    retry_after: int = 1
    drop: bool = False  # close the connection without answering (the call has no effect)
    lose_response: bool = False  # do what was asked, then close the connection without answering
    delay: float = 0.0  # answer only after this many seconds (Slack being slow); the call still happens
    times: int = 1
