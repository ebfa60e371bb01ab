"""Top costs in a py-spy raw (collapsed) profile written by `bench/http_load.py --profile DIR`.

    python -m bench.profile_summary DIR/roundtable.txt [--top 25] [--match bot/,storage/,handlers/]

Each line of the file is one stack (`thread (tid): name;frame;frame... count`). Prints where the
samples went by thread kind (event loop, `dispatch` pool, listener pool), then the frames with the
most inclusive samples (a frame counted once per stack), as a share of all samples, keeping only
frames whose file matches one of --match (the project's code and the libraries worth naming).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

LINE = re.compile(r"^thread \(\d+\): ([^;]*);(.*) (\d+)$")
FRAME_FILE = re.compile(r"\(([^:()]+)(?::\d+)?\)$")
DEFAULT_MATCH = ("bot/", "storage/", "handlers/", "sqlalchemy/", "slack_sdk/", "slack_bolt/", "logging/",
                 "http/client", "urllib/", "sqlite3/", "psycopg/", "socket.py", "json/")


def summarise(path: Path, top: int, match: tuple[str, ...]) -> None:
    threads: Counter[str] = Counter()
    frames: Counter[str] = Counter()
    total = 0
    for raw in path.read_text().splitlines():
        found = LINE.match(raw)
        if not found:
            continue
        name, stack, count = found.group(1), found.group(2).split(";"), int(found.group(3))
        total += count
        threads[re.sub(r"[_-]?\d+$", "", name)] += count
        seen = set()
        for frame in stack:
            where = re.sub(r":\d+\)$", ")", frame)  # one entry per function, not per line
            file = FRAME_FILE.search(where)
            if where in seen or not file or not any(m in file.group(1) for m in match):
                continue
            seen.add(where)
            frames[where] += count
    print(f"{path}: {total} samples (non-idle)")
    for name, count in threads.most_common():
        print(f"  thread {name:<20} {100 * count / total:5.1f}%")
    for where, count in frames.most_common(top):
        print(f"  {100 * count / total:5.1f}%  {where}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default=",".join(DEFAULT_MATCH))
    args = parser.parse_args()
    for path in args.profiles:
        summarise(path, args.top, tuple(args.match.split(",")))


if __name__ == "__main__":
    main()
