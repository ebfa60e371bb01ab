"""Benchmark: the digest draft of the worst thread one member can make.

    python -m bench.digest_draft                      # 1,000 replies of 40,000 characters, 500 practices
    python -m bench.digest_draft --replies 200 --chars 10000 --practices 100 --runs 5

Times bot.digests.draft.draft_digest (pure CPU: no database, no Slack) on threads built to be
expensive: replies full of unclosed `<http:` and `<@U1|` (what made the link pattern quadratic),
with every inner word of every practice title in each reply but never a whole title (so no
title is ruled out early), and questions on every line. Target: under 2 s on the development machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bot.digests.draft import Person, PracticeRef, draft_digest

PEOPLE = [f"U0PERSON{n:02d}" for n in range(8)]


def practice_titles(count: int) -> list[str]:
    return [f"Citywide program number{n} for wireless permits{n % 7} downtown" for n in range(count)]


def reply_text(index: int, chars: int, titles: list[str]) -> str:
    words = " ".join(" ".join(t.split()[1:-1]) for t in titles)  # as many as the part read holds
    pieces = [words, " How do we pay for it? ", "<http:" * 50, "<@U1|" * 20, " <!date^1|x "]
    text = ""
    while len(text) < chars:
        text += "".join(pieces)
    return f"Reply {index}: {text[:chars]}"


def thread(replies: int, chars: int, titles: list[str]) -> list[dict]:
    parent = {"type": "message", "user": PEOPLE[0], "ts": "1795000000.000100", "thread_ts": "1795000000.000100",
              "text": "How did your city pay for wireless downtown?", "reply_count": replies}
    return [parent] + [
        {"type": "message", "user": PEOPLE[n % len(PEOPLE)], "ts": f"{1_795_000_001 + n}.000100",
         "thread_ts": parent["ts"], "text": reply_text(n, chars, titles),
         "reactions": [{"name": "+1", "count": n % 3, "users": PEOPLE[:2]}]}
        for n in range(replies)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=40_000)
    parser.add_argument("--practices", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    titles = practice_titles(args.practices)
    messages = thread(args.replies, args.chars, titles)
    people = {uid: Person(uid, f"Person {uid[-2:]}", "cio", "Detroit") for uid in PEOPLE}
    practices = [PracticeRef(n + 1, title, "Detroit") for n, title in enumerate(titles)]
    size = sum(len(m["text"]) for m in messages)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        draft = draft_digest(messages, people, practices)
        timings.append(time.perf_counter() - started)
    print(f"thread: {len(messages)} messages, {size / 1e6:.1f} M characters; {len(practices)} practices")
    print(f"draft_digest: median {statistics.median(timings):.2f} s, max {max(timings):.2f} s "
          f"over {args.runs} runs (target < 2 s); body {len(draft.body)} characters")


if __name__ == "__main__":
    main()
