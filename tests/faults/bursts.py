"""Bursts of Slack misbehaviour for the emulator: 429 with Retry-After, 500, 503, `ok: false`,
dropped connections and lost answers, each a run of several calls, with quiet runs between."""

from __future__ import annotations

import random
from typing import Any

from bot.emulator import SlackEmulator

OK_FALSE = ("fatal_error", "internal_error", "service_unavailable")


def burst_faults(rng: random.Random, *, retry_after: tuple[int, ...] = (1, 2), lose_answers: bool = True
                 ) -> list[dict[str, Any]]:
    """One of each kind of burst, shuffled, quiet runs between: a list of emulator.fail() arguments."""
    bursts: list[dict[str, Any]] = [
        {"status": 429, "retry_after": rng.choice(retry_after)},
        {"status": 500}, {"status": 503},
        {"error": rng.choice(OK_FALSE)},
        {"drop": True},
    ]
    if lose_answers:
        bursts.append({"lose_response": True})
    rng.shuffle(bursts)
    script: list[dict[str, Any]] = []
    for burst in bursts:
        script.append({**burst, "times": rng.randint(2, 4)})
        script.append({"times": rng.randint(1, 3)})  # a quiet run: answered normally
    return script


def misbehave(emulator: SlackEmulator, methods: tuple[str, ...], seed: int, **options: Any) -> int:
    """Queue bursts on each method; returns how many calls will be answered badly."""
    rng = random.Random(seed)
    bad = 0
    for method in methods:
        for fault in burst_faults(rng, **options):
            emulator.fail(method, **fault)
            if len(fault) > 1:
                bad += fault["times"]
    return bad


def faults_left(emulator: SlackEmulator) -> dict[str, int]:
    with emulator._lock:
        return {m: sum(f.times for f in queue) for m, queue in emulator.faults.items() if queue}
