"""Checks on what the user typed, before anything is written. Each failure is one line."""
from __future__ import annotations

import re
import unicodedata

from netjournal import vocab
from netjournal.errors import UserError
from netjournal.textsafe import neutralise


def text(value: object, field: str, *, max_len: int = vocab.MAX_SHORT, multiline: bool = False,
         required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        value = str(value)
    if "\x00" in value:
        raise UserError(f"{field} contains a NUL character")
    if multiline:
        value = neutralise(value.replace("\r\n", "\n").replace("\r", "\n"))
    else:
        value = " ".join(neutralise(value.replace("\r", " ")).split())
    if required and not value.strip():
        raise UserError(f"{field} cannot be empty")
    if len(value) > max_len:
        raise UserError(f"{field} is too long ({len(value):,} characters; at most {max_len:,})")
    return value


def name(value: object) -> str:
    return text(value, "name", max_len=vocab.MAX_NAME, required=True)


def choice(value: str | None, field: str, options: tuple[str, ...], default: str | None = None) -> str:
    if value is None or value == "":
        if default is None:
            raise UserError(f"{field} is required (one of: {', '.join(options)})")
        return default
    v = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if v in options:
        return v
    # unique prefix
    hits = [o for o in options if o.startswith(v)]
    if len(hits) == 1:
        return hits[0]
    raise UserError(f"unknown {field} {value!r} (one of: {', '.join(options)})")


def channel(value: str | None) -> str:
    if value is None or not str(value).strip():
        raise UserError(f"channel is required (one of: {', '.join(vocab.CHANNELS)})")
    c = vocab.normalize_channel(str(value))
    if c is None:
        raise UserError(f"unknown channel {value!r} (one of: {', '.join(vocab.CHANNELS)})")
    return c


def rhythm(value: object) -> int | None:
    if value in (None, "", 0, "0", "none", "auto"):
        return None
    try:
        n = int(str(value).strip().rstrip("d"))
    except ValueError:
        raise UserError(f"rhythm must be a number of days, not {value!r}") from None
    if not 1 <= n <= 3650:
        raise UserError("rhythm must be between 1 and 3650 days")
    return n


def priority(value: object) -> int | None:
    if value in (None, "", "none", 0, "0"):
        return None
    try:
        n = int(str(value).strip())
    except ValueError:
        raise UserError(f"target priority must be a number (1 = top), not {value!r}") from None
    if not 1 <= n <= 1000:
        raise UserError("target priority must be between 1 and 1000")
    return n


def tag(value: str) -> str:
    t = text(value, "tag", max_len=100).strip().lstrip("#").lower()
    if not t:
        raise UserError("a tag cannot be empty")
    return t


def handle_norm(kind: str, value: str) -> str:
    v = unicodedata.normalize("NFKC", value).strip().lower()
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", v)
        return digits[-10:] if len(digits) >= 10 else digits
    if kind == "email":
        return v.removeprefix("mailto:")
    if kind in ("linkedin", "x", "github", "mastodon", "bluesky", "facebook", "instagram", "website"):
        v = re.sub(r"^https?://(www\.)?", "", v).rstrip("/")
        return v
    return v


def guess_handle_kind(value: str) -> str:
    v = value.strip().lower()
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
        return "email"
    if "linkedin.com" in v:
        return "linkedin"
    if "twitter.com" in v or re.search(r"(^|//)(www\.)?x\.com/", v):
        return "x"
    if "github.com" in v:
        return "github"
    if "bsky.app" in v or v.endswith(".bsky.social"):
        return "bluesky"
    if "facebook.com" in v:
        return "facebook"
    if "instagram.com" in v:
        return "instagram"
    if re.fullmatch(r"@[^@\s]+@[^@\s]+", v):
        return "mastodon"
    if re.fullmatch(r"[+\d][\d\s().\-/]{5,}", v):
        return "phone"
    if v.startswith(("http://", "https://", "www.")):
        return "website"
    return "other"


class FutureDateError(UserError):
    """A touch dated after tomorrow: almost always a typo (``2062`` for ``2026``). Refused unless
    the caller says it is meant (``allow_future=True``; the CLI's ``--future``; the app asks).
    ``day`` and ``today`` are kept for the question the app asks."""

    def __init__(self, day, today):
        super().__init__(f"{day.isoformat()} is in the future (today is {today.isoformat()}): "
                         "a touch after tomorrow needs --future")
        self.day = day
        self.today = today


def touch_day(day, today, *, allow_future: bool = False) -> None:
    """Refuse a touch dated after tomorrow (see :class:`FutureDateError`)."""
    if not allow_future and today is not None and (day - today).days > 1:
        raise FutureDateError(day, today)
