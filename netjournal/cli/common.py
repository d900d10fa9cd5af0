"""What every command shares: the parser class, argument types, output, the context."""
from __future__ import annotations

import argparse
import gc
import json
import math
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
    if isinstance(obj, float) and not math.isfinite(obj):
        return None  # JSON has no NaN or infinity
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

            self._db = open_database(self.args.db, create=bool(getattr(self.args, "create", False)))
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


def read_stdin() -> str:
    """All of standard input as text: UTF-8 (a BOM dropped), else one clear error."""
    buf = getattr(sys.stdin, "buffer", None)
    if buf is None:  # a test's io.StringIO
        text = sys.stdin.read()
    else:
        data = buf.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UserError(f"standard input is not UTF-8 text (byte {exc.start + 1}); convert it first, "
                            "e.g. with iconv") from None
    check_text("standard input", text)
    return text


def check_text(what: str, text: str) -> None:
    """Text that cannot be stored as UTF-8 (bytes smuggled in as surrogates): one clear error."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{what} is not UTF-8 text; convert it first, e.g. with iconv") from None


def read_stdin_if_piped() -> str | None:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return None
    if stat.S_ISFIFO(mode) or stat.S_ISREG(mode):
        return read_stdin()
    return None


def text_arg(value: str | None) -> str | None:
    """`-` reads standard input."""
    if value == "-":
        return read_stdin()
    return value


def check_argv_text(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every text argument (not the file names) must be UTF-8: bytes that are not arrive from
    the system as surrogates, which no database takes."""
    paths: set[str] = set()
    stack = [parser]
    while stack:
        p = stack.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
            elif action.type is path_arg:
                paths.add(action.dest)
    for key, val in vars(args).items():
        if key in paths:
            continue
        for item in val if isinstance(val, list) else [val]:
            if isinstance(item, str):
                check_text("an argument" if key in ("contact", "summary", "title", "text", "query", "name")
                           else f"--{key.replace('_', '-')}", item)


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
        parts += [p for p in (x.strip() for x in n.split(",")) if p] if "," in n else [n]  # "Eve,#5", "#5,#6"
    if not parts:
        raise UserError("which contact? give a name")
    return api.resolve_contacts(ctx.db, parts)


def safe_url(url: str) -> str:
    from netjournal.store.urls import safe_url as hide_password

    return hide_password(url)
