"""`netjournal replay`: replay an interaction log through the reminder engine.

``main`` hands every word after ``replay`` to the replay's own parser untouched; this entry
makes the command show in ``--help`` and serves ``--db X replay …`` forms too."""
from __future__ import annotations

import argparse

from netjournal.cli.common import Ctx


def cmd_replay(ctx: Ctx, a) -> int:
    from netjournal.engine.replay import replay_main

    return replay_main(a.rest)


def register(sub) -> None:
    s = sub.add_parser("replay", help="replay an interaction log through the reminder engine", add_help=False)
    s.add_argument("rest", nargs=argparse.REMAINDER)
    s.set_defaults(func=cmd_replay)
