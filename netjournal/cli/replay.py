"""``netjournal replay EVENTS --ego ID [--ego ID ...] [--budget N] [--look-every K]``.

The command line of :mod:`netjournal.engine.replay` (the pure replay): reading the log,
arguments, printing. EVENTS holds one interaction a line, ``initiator other unix_seconds``
(whitespace, commas or semicolons; a header line is skipped); a CSV whose header starts with
``timestamp`` is read as ``timestamp,from,to,...``. One JSON line per ego and day the user
looks at the queue::

    {"ego": "ID", "day": "YYYY-MM-DD", "queue": [{"contact": "ID", "kind": "...", "score": 1.0}, ...]}

``--look-every K`` replays a user who looks every K-th day only (default 1: every day).
"""
from __future__ import annotations

import argparse
import json
import sys


class ReplayError(Exception):
    pass


# Unix seconds of 0001-01-01 and 10000-01-01: what a calendar day can be.
_MIN_TS = -62135596800
_MAX_TS = 253402300800


def load_events(path: str) -> list[tuple[str, str, int]]:
    """(initiator, other, unix seconds) for every readable line, in file order."""
    events: list[tuple[str, str, int]] = []
    ts_first = False
    try:
        fh = open(path, encoding="utf-8", errors="replace")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise ReplayError(f"cannot read {path!r}: {getattr(exc, 'strerror', None) or exc}") from None
    with fh:
        for n, line in enumerate(fh):
            parts = line.replace(",", " ").replace(";", " ").split()
            if len(parts) < 3:
                continue
            if n == 0 and parts[0].lower().startswith("timestamp"):
                ts_first = True
                continue
            try:
                if ts_first:
                    t, a, b = int(float(parts[0])), parts[1], parts[2]
                else:
                    a, b, t = parts[0], parts[1], int(float(parts[2]))
            except (ValueError, OverflowError):
                continue  # a header or a malformed line
            if not _MIN_TS <= t < _MAX_TS:
                raise ReplayError(f"{path}:{n + 1}: timestamp {parts[0 if ts_first else 2]!r} is not a date "
                                  "between the years 1 and 9999 (expected unix seconds)")
            if a != b:
                events.append((a, b, t))
    if not events:
        raise ReplayError(f"{path}: no interactions read (expected 'initiator other unix_seconds' lines)")
    return events


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit status 2
        self.exit(2, f"netjournal replay: {message}\n")


def replay_main(argv: list[str] | None = None) -> int:
    from netjournal.engine import EngineConfig
    from netjournal.engine.replay import replay_ego, split_events

    ap = _Parser(prog="netjournal replay",
                 description="Replay an interaction log through the reminder engine, day by day.")
    ap.add_argument("events", metavar="EVENTS", help="one interaction a line: initiator other unix_seconds")
    ap.add_argument("--ego", action="append", required=True, metavar="ID", help="whose queue to replay (repeatable)")
    ap.add_argument("--budget", type=int, default=None, metavar="N", help="new keep-in-touch items a day")
    ap.add_argument("--look-every", type=int, default=1, metavar="K",
                    help="the user looks at the queue every K-th day only (default 1: every day)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override an [engine] setting, e.g. --set min_silence_days=7 (JSON values)")
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    try:
        overrides = {}
        for kv in args.set:
            key, sep, val = kv.partition("=")
            if not sep:
                raise ValueError(f"--set needs KEY=VALUE, got {kv!r}")
            try:
                overrides[key.strip()] = json.loads(val)
            except ValueError:
                raise ValueError(f"--set {key}: value must be JSON (a number or a table), got {val!r}") from None
        cfg = EngineConfig.from_mapping(overrides)
    except ValueError as exc:
        print(f"netjournal replay: {exc}", file=sys.stderr)
        return 2
    budget = cfg.budget if args.budget is None else args.budget
    if budget < 0:
        print("netjournal replay: --budget must be >= 0", file=sys.stderr)
        return 2
    if args.look_every < 1:
        print("netjournal replay: --look-every must be >= 1", file=sys.stderr)
        return 2
    try:
        events = load_events(args.events)
    except ReplayError as exc:
        print(f"netjournal replay: {exc}", file=sys.stderr)
        return 2
    if any(not isinstance(e, str) or not e.strip() for e in args.ego):
        print("netjournal replay: --ego needs an id", file=sys.stderr)
        return 2
    egos = list(dict.fromkeys(args.ego))
    per = split_events(events, egos)
    missing = [e for e in egos if not per[e]]
    if missing:
        name = missing[0] if missing[0].isprintable() else repr(missing[0])
        print(f"netjournal replay: ego {name} has no interactions in {args.events}", file=sys.stderr)
        return 2
    end = max(t for _, _, t in events)  # every ego is replayed to the end of the log
    out = sys.stdout
    dumps = json.dumps
    try:
        for e in egos:
            buf = []
            for day, queue in replay_ego(e, per[e], cfg, budget, args.look_every, until=end):
                buf.append(dumps({"ego": e, "day": day.isoformat(),
                                  "queue": [{"contact": a, "kind": k, "score": round(s, 3)} for a, k, s in queue]},
                                 separators=(",", ":")))
            out.write("\n".join(buf) + "\n")
        out.flush()
    except BrokenPipeError:
        return 0
    return 0




def cmd_replay(ctx, a) -> int:
    """``--db X replay …`` forms; ``netjournal replay …`` is handed over in ``main`` untouched."""
    return replay_main(a.rest)


def register(sub) -> None:
    s = sub.add_parser("replay", help="replay an interaction log through the reminder engine", add_help=False)
    s.add_argument("rest", nargs=argparse.REMAINDER)
    s.set_defaults(func=cmd_replay)

if __name__ == "__main__":
    sys.exit(replay_main(sys.argv[1:]))
