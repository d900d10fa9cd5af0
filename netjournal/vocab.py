"""The product's fixed vocabularies, shared by store, engine, formats, CLI and TUI.

Pure Python: no third-party imports, so every layer may use it.
"""
from __future__ import annotations

# Closeness tiers, after the layered structure of personal networks (~5/15/50/150/500).
TIERS: tuple[str, ...] = ("inner", "close", "friend", "network", "acquaintance")
TIER_LAYER_SIZE = {"inner": 5, "close": 15, "friend": 50, "network": 150, "acquaintance": 500}
DEFAULT_TIER = "network"

# The path a relationship travels.
STAGES: tuple[str, ...] = ("attention", "attraction", "affinity", "audience", "advocate")
DEFAULT_STAGE = "attention"

# Channels of a touch. The one-key shortcut is the first letter in brackets.
CHANNELS: tuple[str, ...] = (
    "in_person", "call", "video", "email", "message", "social", "letter", "gift", "event", "other",
)
CHANNEL_KEYS = {
    "p": "in_person", "c": "call", "v": "video", "e": "email", "m": "message",
    "s": "social", "l": "letter", "g": "gift", "t": "event", "o": "other",
}
CHANNEL_LABELS = {
    "in_person": "in person", "call": "call", "video": "video call", "email": "email",
    "message": "message/chat", "social": "social media", "letter": "letter/card",
    "gift": "gift", "event": "event", "other": "other",
}
# Aliases accepted from the CLI and importers.
CHANNEL_ALIASES = {
    "inperson": "in_person", "in-person": "in_person", "person": "in_person", "meet": "in_person",
    "meeting": "in_person", "coffee": "in_person", "lunch": "in_person", "dinner": "in_person",
    "phone": "call", "videocall": "video", "zoom": "video", "mail": "email", "chat": "message",
    "sms": "message", "text": "message", "dm": "message", "whatsapp": "message", "signal": "message",
    "telegram": "message", "imessage": "message", "linkedin": "social", "twitter": "social",
    "x": "social", "mastodon": "social", "bluesky": "social", "facebook": "social",
    "instagram": "social", "card": "letter", "note": "letter", "present": "gift",
    "conference": "event", "party": "event",
}
OFFLINE_CHANNELS = frozenset({"in_person", "event"})
# Live conversations: when they reach you this way you have already talked, so no reply is owed.
LIVE_CHANNELS = frozenset({"in_person", "call", "video", "event"})

# Who started a touch.
DIRECTIONS: tuple[str, ...] = ("out", "in", "mutual")
DIRECTION_LABELS = {"out": "I reached out", "in": "they reached out", "mutual": "mutual"}

# Follow-ups.
FOLLOWUP_KINDS: tuple[str, ...] = ("meet", "call", "send", "reply", "introduce", "other")
FOLLOWUP_STATUSES: tuple[str, ...] = ("open", "done", "cancelled")
FOLLOWUP_MARKS = {"open": "☐", "done": "☑", "cancelled": "✗"}  # how text output shows a status

# Handles.
HANDLE_KINDS: tuple[str, ...] = (
    "email", "phone", "linkedin", "x", "mastodon", "bluesky", "facebook", "instagram",
    "github", "website", "address", "other",
)

# Important dates.
DATE_KINDS: tuple[str, ...] = ("birthday", "anniversary", "custom")

# Engine reminder kinds (also the `kind` of `netjournal replay` output): REMINDER_KINDS, derived
# from the engine's kind registry (netjournal/engine/kinds) on first use, see __getattr__ below.

# Field length limits (characters). Longer input is refused with a clear message.
MAX_NAME = 200
MAX_SHORT = 500       # company, role, location, titles, handles, summaries
MAX_TEXT = 1_000_000  # notes, journal, meeting notes


def normalize_channel(value: str) -> str | None:
    """Return the canonical channel for a user's word (or one-key shortcut), else None."""
    v = value.strip().lower().replace(" ", "_")
    if v in CHANNELS:
        return v
    if len(v) == 1 and v in CHANNEL_KEYS:
        return CHANNEL_KEYS[v]
    v2 = v.replace("_", "").replace("-", "")
    if v2 in CHANNEL_ALIASES:
        return CHANNEL_ALIASES[v2]
    if v in CHANNEL_ALIASES:
        return CHANNEL_ALIASES[v]
    return None


def __getattr__(name: str):
    if name == "REMINDER_KINDS":
        from netjournal.engine.kinds import KIND_NAMES

        globals()["REMINDER_KINDS"] = KIND_NAMES
        return KIND_NAMES
    raise AttributeError(f"module 'netjournal.vocab' has no attribute {name!r}")
