"""CPU instructions per request, counted by valgrind's callgrind: the requests of bench.cpu,
in-process, measured by a count that this machine's load does not move (its timings swing 2x
between runs), so that a change's before and after can be compared to within 1 %.

    .venv/bin/python -m bench.instructions --items 100000 [--database-url URL]
                                           [--only item,item_304,list,post] [--requests 200]

One callgrind process runs every case twice, n requests and then 2n, and callgrind writes its
counts out at each boundary (it dumps before every `getppid`, which the marker calls and nothing
else in the app does). The difference of a case's two totals divided by n is one request's
instructions: start-up, data building, the warm-up and the loop's fixed cost all cancel.
Prints instructions (callgrind's `Ir`) per request; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.build_db import build
from bench.cpu import add_case_arguments, bench_url, chosen_cases, repeater, request_cases

VALGRIND = "/usr/bin/valgrind"
MARKER = "getppid"  # libc's; os.getppid() calls it
DUMP_PREFIX = "callgrind.out"
# Python's hash seed picks the order of sets and of some dicts, and so the work done.
HASH_SEED = "0"
# Fewer list pages than single reads: each costs ten times as much.
SCALE = {"list": 10, "store": 5}

Segment = tuple[str, int] | None  # (case, requests), or None for what came before a case


def callgrind_total(dump: str) -> int:
    """The instructions in one callgrind dump: its `totals:` line (`summary:` in old files);
    the first event is `Ir` unless `--cache-sim` added others after it."""
    found = re.search(r"^(?:totals|summary):\s*(\d+)", dump, re.M)
    if found is None:
        raise ValueError("no totals: line in the callgrind dump")
    return int(found[1])


def numbered_dumps(folder: Path) -> list[Path]:
    """The dumps made at the markers, in order (`callgrind.out.1`, `.2`, ...; the one written
    at exit has no number)."""
    dumps = [p for p in folder.glob(f"{DUMP_PREFIX}.*") if p.suffix[1:].isdigit()]
    return sorted(dumps, key=lambda p: int(p.suffix[1:]))


def per_request(segments: list[Segment], totals: list[int]) -> dict[str, float]:
    """Each case's instructions per request from its two runs' totals: (Ir of 2n - Ir of n) / n."""
    if len(segments) != len(totals):
        raise ValueError(
            f"{len(totals)} callgrind dumps for {len(segments)} markers: "
            f"something else called {MARKER}"
        )
    runs: dict[str, list[tuple[int, int]]] = {}
    for segment, total in zip(segments, totals, strict=True):
        if segment is not None:
            name, requests = segment
            runs.setdefault(name, []).append((requests, total))
    result = {}
    for name, [(n1, ir1), (n2, ir2)] in runs.items():
        result[name] = (ir2 - ir1) / (n2 - n1)
    return result


def measure(args: argparse.Namespace) -> list[Segment]:
    """Under callgrind: each case's warm-up, then n and 2n requests, a marker after each."""
    cases = request_cases(args)
    segments: list[Segment] = []
    for name in chosen_cases(args.only):
        run = repeater(*cases[name])
        os.getppid()
        segments.append(None)
        n = max(1, args.requests // SCALE.get(name, 1))
        for requests in (n, 2 * n):
            run(requests)
            os.getppid()
            segments.append((name, requests))
    return segments


def count(args: argparse.Namespace, argv: list[str]) -> dict[str, float]:
    """Run this module under callgrind with the same options; return instructions per request."""
    build(bench_url(args), args.items)  # outside callgrind: building is slow enough natively
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp:
        folder = Path(tmp)
        plan = folder / "segments.json"
        command = [
            VALGRIND,
            "--tool=callgrind",
            f"--dump-before={MARKER}",
            f"--callgrind-out-file={folder / DUMP_PREFIX}",
            f"--log-file={folder / 'valgrind.log'}",
            sys.executable,
            "-m",
            "bench.instructions",
            *argv,
            f"--segments-file={plan}",
        ]
        done = subprocess.run(command, env={**os.environ, "PYTHONHASHSEED": HASH_SEED})
        if done.returncode != 0:
            log = (folder / "valgrind.log").read_text(errors="replace")
            raise SystemExit(f"bench.instructions: callgrind failed:\n{log[-3000:]}")
        segments = [(s[0], s[1]) if s else None for s in json.loads(plan.read_text())]
        totals = [callgrind_total(p.read_text()) for p in numbered_dumps(folder)]
        return per_request(segments, totals)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_case_arguments(parser, default_only="item,item_304,list,post")
    parser.add_argument(
        "--requests", type=int, default=200, help="n (a tenth for list, a fifth for store)"
    )
    parser.add_argument("--segments-file", help=argparse.SUPPRESS)  # set when under callgrind
    args = parser.parse_args(argv)
    chosen_cases(args.only)
    if args.segments_file:
        Path(args.segments_file).write_text(json.dumps(measure(args)))
        return 0
    for name, instructions in count(args, argv).items():
        print(f"{name:10} {instructions:12,.0f} instructions/request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
