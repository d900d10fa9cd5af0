"""What every command shares: the parser class, argument types, output, the context."""
from __future__ import annotations

import argparse
import gc
import json
import os
import stat
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time
from typing import Any, Sequence

from netjournal.errors import UserError

PROG = "netjournal"
DEFAULT_GC = gc.get_threshold()


class ArgError(UserError):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (exit 2), never a usage dump."""

    def error(self, message: str):  # noqa: D401
        raise ArgError(f"{self.prog}: {message} (see `{self.prog} --help`)")


def path_arg(text: str) -> str:
    """A file or folder name as the system can take it, else a usage error."""
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a file name cannot contain a NUL character")
    return text


def int_arg(text: str) -> int:
    """An integer option that fits the database (a 64-bit id or count), else a usage error."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not -(2**63) <= n < 2**63:
        raise argparse.ArgumentTypeError(f"number out of range: {text!r}")
    return n


# --------------------------------------------------------------------------- output helpers

def to_jsonable(obj: Any) -> Any:
    if is_dataclass(obj):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (date, datetime, time)):
        return obj.isoformat()
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    return obj


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")


def out(line: str = "", *, marks: tuple[str, str] | None = None) -> None:
    """Every line of CLI text goes through here: control bytes in stored text are neutralised
    (netjournal.textsafe). ``marks`` turns search's HL_START/HL_END markers into (start, end)."""
    from netjournal.textsafe import neutralise

    if marks is None:
        sys.stdout.write(neutralise(line) + "\n")
        return
    from netjournal.store.read import HL_END, HL_START

    safe = neutralise(line.replace(HL_START, "\ue000").replace(HL_END, "\ue001"))
    sys.stdout.write(safe.replace("\ue000", marks[0]).replace("\ue001", marks[1]) + "\n")


def fmt_day(d: date | None, today: date) -> str:
    if d is None:
        return "—"
    delta = (today - d).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta == -1:
        return "tomorrow"
    if 1 < delta < 7:
        return f"{delta} days ago"
    if -7 < delta < -1:
        return f"in {-delta} days"
    return d.isoformat()


# --------------------------------------------------------------------------- context

class Ctx:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._db = None
        self._cfg = None

    @property
    def db(self):
        if self._db is None:
            from netjournal.store.db import open_database

            self._db = open_database(self.args.db)
        return self._db

    @property
    def config(self):
        if self._cfg is None:
            from netjournal import config

            self._cfg = config.load()
        return self._cfg

    def engine_config(self):
        return self.config.engine_config()

    @property
    def today(self) -> date:
        from netjournal import clock

        return clock.today()

    def now(self) -> datetime:
        from netjournal import clock

        return clock.now()

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()


def read_stdin_if_piped() -> str | None:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return None
    if stat.S_ISFIFO(mode) or stat.S_ISREG(mode):
        return sys.stdin.read()
    return None


def text_arg(value: str | None) -> str | None:
    """`-` reads standard input."""
    if value == "-":
        return sys.stdin.read()
    return value


def split_name(ctx: Ctx, first: str, words: list[str]) -> tuple[str, list[str]]:
    """`log ada lovelace coffee talk`: the longest run of leading words that is exactly a
    contact's name is the contact; the rest is the text. Else the first word alone."""
    if not words or "," in first or first.startswith("#"):
        return first, words
    allw = [first, *words]
    from netjournal.store import api

    for n in range(len(allw), 1, -1):
        if api.exact_contact(ctx.db, " ".join(allw[:n])) is not None:
            return " ".join(allw[:n]), allw[n:]
    return first, words


def resolve_many(ctx: Ctx, names: Sequence[str]):
    from netjournal.store import api

    parts: list[str] = []
    for n in names:
        parts += [p for p in (x.strip() for x in n.split(",")) if p] if "," in n and not n.startswith("#") else [n]
    if not parts:
        raise UserError("which contact? give a name")
    return api.resolve_contacts(ctx.db, parts)


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
