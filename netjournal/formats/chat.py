"""Chat exports → touches: WhatsApp (and Signal) text exports, a WhatsApp .zip as exported,
Telegram Desktop JSON (one chat or the whole account), Facebook Messenger / Instagram JSON.

A day's messages in a chat are one touch (channel message). The people are the chat's other
members who are contacts, matched by phone number, then by --map, then by exact name;
direction "in" when a contact wrote first that day. Group chats give one group touch a day
with the members who wrote that day.

WhatsApp quirks handled: Android "date, time - Name: text" and iOS "[date time] Name: text",
12 h ("PM", "p. m.") and 24 h, with or without seconds, every date order (d/m/y, m/d/y, y/m/d;
"/", "." or "-"; the order is found from the whole file), multi-line messages, system lines
(group created, encryption notices, "You were added"), media omitted, U+200E/U+202F marks,
non-UTF-8 files (read as cp1252 and said), zip exports with a cap on the unzipped size and
the compression ratio (zip bombs).
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from netjournal.formats.records import Person, Problem, TouchRecord, name_key
from netjournal.formats.registry import Reader, ReadOptions, ReadResult

_D = r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})"
_T = r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([aApP])\.?\s*[mM]\.?)?"
_ANDROID = re.compile(rf"^{_D},? {_T} - (.*)$")
_IOS = re.compile(rf"^\[{_D},? {_T}\] (.*)$")
_SYSTEM = re.compile(r"end-to-end encrypted|end-to-end encryption|created group|were added|was added|added you|"
                     r" left$|changed the subject|changed this group|changed the group|security code|"
                     r"joined using this group|removed|changed their phone number|is now an admin|"
                     r"disappearing messages|Ende-zu-Ende|cifrado de extremo", re.I)
_NOTICE = re.compile(r"^\s*(Messages and calls are end-to-end encrypted|Messages to this (group|chat) are now "
                     r"secured|Nachrichten und Anrufe sind Ende-zu-Ende|Los mensajes y las llamadas)", re.I)
_PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")
MAX_TEXT = 200 * 1024 * 1024


# ----------------------------------------------------------------------------- WhatsApp / Signal text

def _sniff_text(path: Path, head: bytes) -> bool:
    if not head or head.startswith(b"PK"):
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\u200e", "")
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    hits = sum(1 for ln in lines if _ANDROID.match(ln) or _IOS.match(ln))
    return hits >= max(1, len(lines) // 3)


def _sniff_zip(path: Path, head: bytes) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.lower().endswith(".txt") for n in z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _order(tuples: list[tuple[str, str, str]], sep_dot: bool) -> tuple[str, bool]:
    """'ymd', 'dmy' or 'mdy' from every date in the file; True when it was a guess."""
    if tuples and all(len(a) == 4 for a, _b, _c in tuples):
        return "ymd", False
    firsts = [int(a) for a, _b, _c in tuples]
    seconds = [int(b) for _a, b, _c in tuples]
    if any(x > 12 for x in firsts):
        return "dmy", False
    if any(x > 12 for x in seconds):
        return "mdy", False
    return "dmy", True


def _chat_text(data: bytes, label: str, res: ReadResult) -> str:
    from netjournal.formats.textio import decode

    text, enc = decode(data)
    if enc in ("cp1252", "latin-1"):
        res.problems.append(Problem(label, None, f"not UTF-8: read as {enc} (names and texts may look odd)",
                                    fatal=False))
    return text


def _read_whatsapp_text(text: str, label: str, opts: ReadOptions, res: ReadResult, platform: str) -> None:
    text = text.lstrip("\ufeff").replace("\u200e", "").replace("\u200f", "").replace("\u202f", " ") \
        .replace("\u00a0", " ")
    raw: list[tuple[int, tuple, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _ANDROID.match(line) or _IOS.match(line)
        if m:
            raw.append((n, m.groups(), ""))
        elif raw:
            continue  # a continuation line of a multi-line message
        elif line.strip():
            res.skip("lines before the first message")
    if not raw:
        res.problems.append(Problem(label, None, "no chat messages found (not a WhatsApp/Signal text export?)"))
        return
    order, guessed = _order([(g[0], g[1], g[2]) for _n, g, _ in raw], False)
    if guessed:
        res.notes.append(f"{label}: the date order was guessed as day/month/year (no day above 12 in the file)")
    msgs = []
    for n, g, _ in raw:
        a, b, c, hh, mm, ss, ampm, rest = g
        if order == "ymd":
            y, mo, d = a, b, c
        elif order == "dmy":
            d, mo, y = a, b, c
        else:
            mo, d, y = a, b, c
        try:
            year = int(y) + (2000 if len(y) <= 2 else 0)
            hour = int(hh) % 24
            if ampm:
                hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
            when = datetime(year, int(mo), int(d), hour, int(mm), int(ss or 0))
        except ValueError:
            res.problems.append(Problem(label, n, "a message with an impossible date or time: skipped"))
            continue
        name, sep, body = rest.partition(":")
        if not sep or _SYSTEM.search(name) or _NOTICE.match(body):
            res.skip("system lines (group created, encryption notices, …)")
            continue
        name = name.strip()
        if not name:
            continue
        msgs.append((when, name, body.strip(), n))
    _day_touches(msgs, label, opts, res, platform, group_name="")


def _person(name: str, messages: int = 0) -> Person:
    handles = [("phone", name)] if _PHONE.match(name) else []
    return Person(name=name, handles=handles, match_name=True, messages=messages)


def _day_touches(msgs: list, label: str, opts: ReadOptions, res: ReadResult, platform: str, group_name: str,
                 members: list[str] | None = None) -> None:
    """One touch per day: the people who wrote that day (the whole chat when there are two)."""
    me = opts.me_names
    senders = list(dict.fromkeys(n for _w, n, _b, _l in msgs))
    everyone = list(dict.fromkeys([*(members or []), *senders]))
    group = bool(group_name) or len(everyone) > 2
    chat_id = hashlib.sha1((group_name or "|".join(sorted(everyone))).encode()).hexdigest()[:16]
    days: dict[date, list] = {}
    for w, n, b, ln in sorted(msgs, key=lambda x: x[0]):
        if opts.since and w.date() < opts.since:
            continue
        days.setdefault(w.date(), []).append((w, n, b, ln))
    for day, items in days.items():
        first_when, first, first_body, line = items[0]
        people = [p for p in (dict.fromkeys(n for _w, n, _b, _l in items) if group else everyone)
                  if name_key(p) not in me]
        if not people:
            res.skip("days with only your own messages")
            continue
        count = len(items)
        wrote: dict[str, int] = {}
        for _w, n, _b, _l in items:
            wrote[n] = wrote.get(n, 0) + 1
        what = f"{platform} group {group_name}" if group and group_name else f"{platform} group" if group else platform
        summary = f"{what}: {count} message{'s' if count != 1 else ''}"
        res.touches.append(TouchRecord(
            source=f"chat:{platform.lower()}:{chat_id}:{day.isoformat()}", line=line, day=day,
            at=time(first_when.hour, first_when.minute), channel="message", platform=platform.lower(),
            direction="out", summary=summary, notes=first_body[:300], participants=[],
            people=[_person(p, wrote.get(p, 0)) for p in people], first=_person(first)))


def _read_text_file(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    res = ReadResult()
    from netjournal.formats.textio import read_bytes

    data = read_bytes(path)
    platform = "Signal" if b"WhatsApp" not in data[:4096] and re.match(
        rb"^\[\d{4}-\d{2}-\d{2}, \d", data.lstrip(b"\xef\xbb\xbf")) else "WhatsApp"
    _read_whatsapp_text(_chat_text(data, label, res), label, opts, res, platform)
    return res


def zip_refusal(infos: list, opts: ReadOptions) -> str | None:
    """Why a zip is refused (it would unzip past the cap or its ratio: a zip bomb), or None."""
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > opts.max_unzipped or total / packed > opts.max_ratio:
        return f"refused: it would unzip to {total:,} bytes (ratio {total // packed}:1) — a zip bomb?"
    return None


def _read_zip(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    res = ReadResult()
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        res.problems.append(Problem(label, None, f"not a readable zip ({exc})"))
        return res
    with z:
        why = zip_refusal(z.infolist(), opts)
        if why:
            res.problems.append(Problem(label, None, why))
            return res
        texts = [i for i in z.infolist() if i.filename.lower().endswith(".txt") and not i.is_dir()]
        if not texts:
            res.problems.append(Problem(label, None, "no chat .txt file in the zip"))
        for info in texts:
            where = f"{label}/{info.filename}"
            try:
                with z.open(info) as fh:
                    data = fh.read(opts.max_unzipped + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                res.problems.append(Problem(where, None, f"cannot unzip ({exc})"))
                continue
            if len(data) > opts.max_unzipped:
                res.problems.append(Problem(where, None, "refused: larger than declared (a zip bomb?)"))
                continue
            _read_whatsapp_text(_chat_text(data, where, res), where, opts, res, "WhatsApp")
    return res


# ----------------------------------------------------------------------------- JSON exports

def _sniff_json(path: Path, head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not h.startswith(b"{"):
        return False
    return b'"messages"' in h and (b'"date_unixtime"' in h or b'"from_id"' in h or b'"personal_chat"' in h
                                   or b'"chats"' in h or b'"timestamp_ms"' in h or b'"date"' in h)


def _tg_text(t) -> str:
    if isinstance(t, list):
        return "".join(x if isinstance(x, str) else str(x.get("text", "")) for x in t)
    return str(t or "")


def _fix_mojibake(s: str) -> str:
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _read_json(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    from netjournal.formats.textio import read_bytes

    res = ReadResult()
    data = read_bytes(path)
    try:
        doc = json.loads(_chat_text(data, label, res))
    except ValueError as exc:
        res.problems.append(Problem(label, None, f"not valid JSON ({exc})"))
        return res
    if not isinstance(doc, dict):
        res.problems.append(Problem(label, None, "not a chat export (the JSON is not an object)"))
        return res
    me = set(opts.me_names)
    info = doc.get("personal_information") or {}
    mine = " ".join(str(info.get(k, "")) for k in ("first_name", "last_name")).strip()
    if mine:
        me.add(name_key(mine))
    o = ReadOptions(**{**opts.__dict__, "me_names": frozenset(me)})
    if "chats" in doc:
        chats = (doc.get("chats") or {}).get("list") or []
    else:
        chats = [doc]
    for i, chat in enumerate(chats):
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            res.problems.append(Problem(label, None, f"chat {i + 1}: no messages list: skipped"))
            continue
        if "participants" in chat or any(isinstance(m, dict) and "timestamp_ms" in m for m in chat["messages"][:5]):
            _messenger_chat(chat, label, o, res)
        else:
            _telegram_chat(chat, label, o, res)
    return res


def _telegram_chat(chat: dict, label: str, opts: ReadOptions, res: ReadResult) -> None:
    kind = str(chat.get("type", ""))
    if kind in ("saved_messages", "bot_chat", "public_channel", "private_channel"):
        res.skip(f"Telegram chats of type {kind.replace('_', ' ')}")
        return
    name = str(chat.get("name") or "")
    group = kind.endswith("group")
    msgs = []
    for m in chat["messages"]:
        if not isinstance(m, dict) or m.get("type") != "message" or not m.get("from"):
            res.skip("Telegram service messages")
            continue
        try:
            if isinstance(m.get("date_unixtime"), bool):
                raise ValueError
            if m.get("date_unixtime"):
                when = datetime.fromtimestamp(int(m["date_unixtime"]))
            else:
                when = datetime.fromisoformat(str(m["date"]))
            if when.year < 2000:   # r14: an epoch-zero or broken stamp, not a Telegram message
                raise ValueError
        except (KeyError, ValueError, OverflowError, OSError, TypeError):
            res.problems.append(Problem(label, None, f"message {m.get('id', '?')}: no usable date: skipped"))
            continue
        msgs.append((when, str(m["from"]), _tg_text(m.get("text")), None))
    me = set(opts.me_names)
    if kind == "personal_chat" and name:
        # The chat is named after the other person: everyone else in it is you.
        me.update(name_key(n) for _w, n, _b, _l in msgs if name_key(n) != name_key(name))
    _day_touches(msgs, label, ReadOptions(**{**opts.__dict__, "me_names": frozenset(me)}), res, "Telegram",
                 group_name=name if group else "", members=[name] if kind == "personal_chat" and name else None)


def _messenger_chat(chat: dict, label: str, opts: ReadOptions, res: ReadResult) -> None:
    platform = "Instagram" if "instagram" in str(chat.get("thread_path", "")).lower() or \
        "participants" not in chat else "Messenger"
    members = [_fix_mojibake(str(p.get("name", ""))) for p in chat.get("participants") or [] if isinstance(p, dict)]
    title = _fix_mojibake(str(chat.get("title") or ""))
    msgs = []
    for m in chat["messages"]:
        if not isinstance(m, dict) or not m.get("sender_name") or "timestamp_ms" not in m:
            continue
        try:
            if isinstance(m["timestamp_ms"], bool):
                raise TypeError
            when = datetime.fromtimestamp(int(m["timestamp_ms"]) / 1000)
            if when.year < 2000:   # r14: an epoch-zero or broken stamp, not a Messenger message
                raise ValueError
        except (ValueError, OverflowError, OSError, TypeError):
            res.problems.append(Problem(label, None, "a message with no usable timestamp: skipped"))
            continue
        msgs.append((when, _fix_mojibake(str(m["sender_name"])), _fix_mojibake(str(m.get("content", ""))), None))
    _day_touches(msgs, label, opts, res, platform, group_name=title if len(members) > 2 else "",
                 members=members)


READERS = (
    Reader("whatsapp", "WhatsApp (or Signal) chat export .txt", _read_text_file, _sniff_text, ("signal", "chat")),
    Reader("whatsapp-zip", "WhatsApp chat export .zip", _read_zip, _sniff_zip, ()),
    Reader("telegram", "Telegram Desktop / Messenger / Instagram JSON export", _read_json, _sniff_json,
           ("messenger", "instagram")),
)
