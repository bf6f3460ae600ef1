"""Where the time goes: summarise a py-spy `--format raw` profile (collapsed stacks).

    python -m bench.profile_summary profile.txt [--top 25]

Prints the share of samples per area (server, Flask/Werkzeug, SQLAlchemy, the database driver,
JSON, auth, the API's own code) by the innermost frame, and the functions with the largest
inclusive share.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

AREAS = (
    ("sqlite3", "database driver"),
    ("psycopg", "database driver"),
    ("sqlalchemy", "SQLAlchemy"),
    ("jwt/", "auth (JWT)"),
    ("argon2", "auth (passwords)"),
    ("pydantic", "validation (pydantic)"),
    ("orjson", "JSON"),
    ("json/", "JSON"),
    ("werkzeug", "Flask/Werkzeug"),
    ("flask", "Flask/Werkzeug"),
    ("granian", "server"),
    ("gunicorn", "server"),
    ("storeapi", "storeapi code"),
    ("bench/", "storeapi code"),
)


def area(frame: str) -> str:
    for needle, name in AREAS:
        if needle in frame:
            return name
    return "other (stdlib, threads)"


def read(path: Path) -> Counter[tuple[str, ...]]:
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks[tuple(stack.split(";"))] += int(count)
    return stacks


def summarise(path: Path, top: int = 25, within: str = "") -> str:
    stacks = read(path)
    if within:  # only the samples inside a frame, e.g. the WSGI app's __call__
        stacks = Counter({k: n for k, n in stacks.items() if any(within in f for f in k)})
    total = sum(stacks.values()) or 1
    by_area: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, n in stacks.items():
        # The innermost frame that is not plain stdlib names the area doing the work.
        owner = next((area(f) for f in reversed(frames) if not area(f).startswith("other")), None)
        by_area[owner or area(frames[-1])] += n
        for f in set(frames):
            inclusive[f] += n
    lines = [f"{total} samples in {path.name}", "", "| area (innermost known frame) | share |"]
    lines.append("|---|---:|")
    lines += [f"| {a} | {n / total:.0%} |" for a, n in by_area.most_common()]
    lines += ["", "| function (inclusive) | share |", "|---|---:|"]
    lines += [f"| `{f}` | {n / total:.0%} |" for f, n in inclusive.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--within", default="", help="only samples under a frame matching this")
    args = parser.parse_args()
    print(summarise(args.profile, args.top, args.within))


if __name__ == "__main__":
    main()
