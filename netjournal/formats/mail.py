"""Mail: an mbox file, a single .eml, a Maildir or a nested mail root (notmuch, mu) → touches.

Each message between the user and someone becomes part of a touch (channel email): one touch
per person per thread per day, summary from the subject, direction from who wrote first that
day. Only headers are parsed (bodies are never decoded), and an mbox is streamed, so a
100,000-message archive needs little memory.

Skipped and counted: mailing-list mail (List-Id, Precedence bulk/list/junk), automated mail
(Auto-Submitted, no-reply senders), messages with more than ``max_recipients`` recipients,
messages neither from nor to the user. Quirks handled: RFC 2047 encoded words, dates without
a year or with "MET"-style zones (the envelope or Received date is used instead), envelope-only
senders ("From markov ..." with no From: header), mboxrd ">From " lines, Maildir flag separators
":2," and "!2,", messages anywhere under a mail root except tmp/, unreadable files.
"""
from __future__ import annotations

import dataclasses

import hashlib
import os
import re
from collections import Counter
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_tz, mktime_tz
from pathlib import Path

from netjournal.formats.records import Person, Problem, TouchRecord, import_key
from netjournal.formats.registry import Reader, ReadOptions, ReadResult

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_ENVELOPE = re.compile(rb"^From (\S+)\s+(.*)$")
_AUTO_LOCAL = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer-daemon|postmaster|bounces?|notifications?|"
                         r"notify|automailer|daemon|majordomo|listserv|mailman|.*-request|owner-.*|.*-owner)([+\-_.].*)?$", re.I)
_RE = re.compile(r"^\s*((re|fwd?|aw|wg|sv|vs|antw|rif|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)
_MAIL_HEADERS = (b"from:", b"date:", b"message-id:", b"received:", b"subject:", b"to:", b"return-path:")
LIST_PRECEDENCE = {"bulk", "list", "junk"}


# ----------------------------------------------------------------------------- sniffing

def _looks_like_message(head: bytes) -> bool:
    lines = head.lstrip(b"\r\n").split(b"\n", 40)[:40]
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    names = {ln.split(b":", 1)[0].strip().lower() + b":" for ln in lines if _HEADER_LINE.match(ln)}
    return len(names & set(_MAIL_HEADERS)) >= 2


def _sniff_mbox(path: Path, head: bytes) -> bool:
    return bool(head) and head.startswith(b"From ") and _looks_like_message(head.split(b"\n", 1)[1][:8192])


def _sniff_eml(path: Path, head: bytes) -> bool:
    return bool(head) and _looks_like_message(head)


def _sniff_maildir(path: Path, head: bytes) -> bool:
    if head or not path.is_dir():
        return False
    for n, (root, dirs, _files) in enumerate(os.walk(path)):
        if {"cur", "new"} & set(dirs):
            return True
        if n > 2000:
            break
    return False


# ----------------------------------------------------------------------------- message sources

_CHUNK = 8 << 20


def _next_start(buf: bytes, frm: int) -> int | None:
    """The offset of the next "From " line that follows a blank line, at or after ``frm``."""
    while True:
        at = buf.find(b"\nFrom ", frm)
        if at < 0:
            return None
        if buf[at - 1:at] == b"\n" or buf[at - 2:at] == b"\n\r":
            return at + 1
        frm = at + 6


def _mbox_messages(path: Path, res: ReadResult, label: str):
    """Yield (line, envelope, header bytes) per message, reading the file in 8 MB chunks.

    A message starts at a "From " line after a blank line (mboxo and mboxrd both quote body
    lines that would look like one); only each header block is copied out, so memory stays
    flat however big the archive.
    """
    with open(path, "rb") as fh:
        buf = fh.read(_CHUNK)
        eof = not buf
        line = 1
        cur = 0 if buf.startswith(b"From ") else _next_start(buf, 0)
        while cur is None and not eof:          # junk before the first message
            more = fh.read(_CHUNK)
            eof = not more
            line += buf.count(b"\n")
            buf, cur = buf[-8:] + more, None
            line -= buf[:8].count(b"\n") if more else 0
            cur = _next_start(buf, 0)
        pos = 0
        while cur is not None:
            line += buf.count(b"\n", pos, cur)
            pos = cur
            frm = cur + 5
            nxt = _next_start(buf, frm)
            while nxt is None and not eof:
                more = fh.read(_CHUNK)
                if not more:
                    eof = True
                    break
                frm = max(5, len(buf) - cur - 8)
                buf, pos, cur = buf[cur:] + more, 0, 0
                nxt = _next_start(buf, frm)
            stop_at = nxt if nxt is not None else len(buf)
            eol = buf.find(b"\n", cur, stop_at)
            if eol < 0:
                eol = stop_at
            envelope = buf[cur:eol].rstrip(b"\r")
            body_at = eol + 1
            if buf[body_at:body_at + 1] == b"\n" or buf[body_at:body_at + 2] == b"\r\n":
                yield line, envelope, b""
            else:
                end = buf.find(b"\n\n", body_at, stop_at)
                crlf = buf.find(b"\r\n\r\n", body_at, stop_at) if end < 0 else -1
                if end < 0 and crlf < 0:
                    res.problems.append(Problem(label, line, "the message ends inside its headers"
                                                + (" (the file is truncated)" if nxt is None else "") + ": skipped"))
                else:
                    yield line, envelope, buf[body_at:(end + 2 if end >= 0 else crlf + 4)]
            cur = nxt


def _header_block(data: bytes) -> tuple[bytes, bool]:
    for sep in (b"\r\n\r\n", b"\n\n"):
        i = data.find(sep)
        if i >= 0:
            return data[:i + len(sep)], True
    return data, False


def _maildir_files(root: Path, res: ReadResult, label: str):
    """Every message file under a mail root, except tmp/ folders and dot-files."""
    def onerror(exc):
        res.problems.append(Problem(_rel(Path(exc.filename or root), root, label), None,
                                    f"cannot read the folder ({exc.strerror or exc})"))

    for dirpath, dirs, files in os.walk(root, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if d != "tmp" and not d.startswith("."))
        for f in sorted(files):
            if f.startswith("."):
                continue
            yield Path(dirpath) / f


def _rel(p: Path, root: Path, label: str) -> str:
    try:
        return f"{label}/{p.relative_to(root)}"
    except ValueError:
        return str(p)


_CALENDAR_PART = re.compile(rb"content-type:\s*(text/calendar|application/ics)", re.I)


def _has_calendar_part(fh, head: bytes, limit: int = 64 * 1024 * 1024) -> bool:
    """Whether a message too large to read has a calendar part (searched in chunks, never held whole)."""
    if _CALENDAR_PART.search(head):
        return True
    tail, read = head[-64:], len(head)
    while read < limit:
        chunk = fh.read(1024 * 1024)
        if not chunk:
            return False
        if _CALENDAR_PART.search(tail + chunk):
            return True
        tail, read = chunk[-64:], read + len(chunk)
    return False


def _file_messages(path: Path, root: Path | None, res: ReadResult, label: str):
    """(where, envelope, header block, the whole message when it has a calendar part else None)."""
    for p in ([path] if root is None else _maildir_files(root, res, label)):
        where = label if root is None else _rel(p, root, label)
        try:
            with open(p, "rb") as fh:
                data = fh.read(256 * 1024)
                big_invite = len(data) >= 256 * 1024 and _has_calendar_part(fh, data)
        except OSError as exc:
            res.problems.append(Problem(where, None, f"cannot read the file ({exc.strerror or exc})"))
            continue
        if root is not None and not _looks_like_message(data[:8192]):
            res.skip("files that are not mail messages")
            continue
        envelope = b""
        if data.startswith(b"From "):
            envelope, _, data = data.partition(b"\n")
            envelope = envelope.rstrip(b"\r")
        block, complete = _header_block(data)
        if not complete and len(data) >= 256 * 1024:
            res.problems.append(Problem(where, None, "headers longer than 256 KiB: skipped"))
            continue
        if big_invite:
            try:
                size = p.stat().st_size // 1024
            except OSError:
                size = len(data) // 1024
            res.problems.append(Problem(where, None, f"an invitation too large to read: {size:,} KiB "
                                                     f"(at most 256 KiB): skipped"))
            continue
        yield where, envelope, block, (data if _CALENDAR_PART.search(data) else None)


# ----------------------------------------------------------------------------- one message

def _raw8(value: str) -> str:
    """Undo the parser's surrogate escapes: raw 8-bit header bytes are read as UTF-8, else cp1252."""
    data = value.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_WANTED = frozenset({"from", "sender", "to", "cc", "subject", "date", "message-id", "references", "in-reply-to",
                     "list-id", "list-post", "precedence", "auto-submitted", "received", "return-path"})


_HEADER_RE = re.compile(rb"^(" + b"|".join(re.escape(n.encode()) for n in sorted(_WANTED)) +
                        rb"):[ \t]*(.*(?:\r?\n[ \t].*)*)", re.M | re.I)
_FOLD = re.compile(rb"\r?\n[ \t]+")


class _Headers:
    """The header block of a message: name (lower case) -> raw unfolded values.

    Much faster than email.parser for the few headers we need; 8-bit values are read as
    UTF-8, else cp1252 (encoded words are decoded later, by :func:`_text`)."""

    __slots__ = ("h",)

    def __init__(self, block: bytes):
        h: dict[str, list[str]] = {}
        for name, value in _HEADER_RE.findall(block):
            if b"\n" in value:
                value = _FOLD.sub(b" ", value)
            h.setdefault(name.lower().decode("ascii"), []).append(_dec(value.strip()))
        self.h = h

    def get(self, name: str, default=None):
        v = self.h.get(name.lower())
        return v[0] if v else default

    def get_all(self, name: str) -> list[str]:
        return self.h.get(name.lower(), [])


def _dec(b: bytes) -> str:
    try:
        return b.decode("ascii")
    except UnicodeDecodeError:
        try:
            return b.decode("utf-8")
        except UnicodeDecodeError:
            return b.decode("cp1252", errors="replace")


def _get(msg, name: str) -> str:
    return msg.get(name, "")


@lru_cache(maxsize=65536)
def _text(value) -> str:
    if value is None:
        return ""
    value = _raw8(str(value))
    try:
        return " ".join(str(make_header(decode_header(value))).split())
    except (UnicodeError, LookupError, ValueError, AssertionError, TypeError):
        return " ".join(value.split())


def _addresses(msg, *names: str) -> list[tuple[str, str]]:
    out = []
    for n in names:
        for v in msg.get_all(n):
            out.extend(_parse_addresses(v))
    return out


@lru_cache(maxsize=65536)
def _parse_addresses(value: str) -> tuple[tuple[str, str], ...]:
    out = []
    for name, addr in getaddresses([value]):
        addr = addr.strip().strip("<>").lower()
        if addr and "@" in addr:
            out.append((_text(name).strip("'\" "), addr))
    return tuple(out)


_MAILDIR_STAMP = re.compile(r"(?:^|/)(\d{9,10})\.[^/]*$")


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}
_RFC_DATE = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+"
                       r"(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})\b", re.I)


def _when(msg, envelope: bytes, where: str = "") -> datetime | None:
    candidates = [msg.get("Date")]
    m = _ENVELOPE.match(envelope) if envelope else None
    if m:
        candidates.append(m.group(2).decode("latin-1"))
    for rec in msg.get_all("Received") or []:
        candidates.append(str(rec).rpartition(";")[2])
    for c in candidates:
        if not c:
            continue
        m = _RFC_DATE.search(str(c))
        if m and 1971 <= int(m.group(3)) <= 9999:   # the common shape, without email.utils
            try:
                d, mon, y, hh, mi, ss, sign, oh, om = m.groups()
                off = (int(oh) * 60 + int(om)) * (-1 if sign == "-" else 1)
                utc = datetime(int(y), _MONTHS[mon.lower()], int(d), int(hh), int(mi), int(ss or 0)) - \
                    timedelta(minutes=off)
                return (utc.replace(tzinfo=timezone.utc)).astimezone().replace(tzinfo=None)
            except (ValueError, OverflowError):
                pass
        try:
            t = parsedate_tz(str(c))
        except (TypeError, ValueError, IndexError):
            t = None
        if not t or not 1971 <= t[0] <= 9999:   # 1970 envelopes are placeholders (git format-patch)
            continue
        try:
            if t[9] is None:
                return datetime(*t[:6])
            return datetime.fromtimestamp(mktime_tz(t)).replace(microsecond=0)
        except (ValueError, OverflowError, OSError):
            continue
    m = _MAILDIR_STAMP.search(where)   # Maildir file names start with the delivery time
    if m:
        return datetime.fromtimestamp(int(m.group(1)))
    return None


def _ids(value) -> list[str]:
    return re.findall(r"<[^<>\s]+>", str(value or ""))


class _Msg:
    __slots__ = ("where", "line", "sender", "sender_name", "to", "when", "subject", "msgid", "thread", "refs",
                 "parent")


def _list_addresses(msg, envelope: bytes) -> set[str]:
    """The list's own address(es), to drop them from the people of mail the user sent to it."""
    out = set(a.lower() for a in re.findall(r"mailto:([^>\s?]+)", str(msg.get("List-Post", ""))))
    cands = [a for _n, a in _addresses(msg, "Sender", "Return-Path")]
    m = _ENVELOPE.match(envelope) if envelope else None
    if m:
        cands.append(m.group(1).decode("latin-1").lower())
    for a in cands:
        local, _, dom = a.partition("@")
        for pat in (r"^owner-(.+)$", r"^(.+)-owner$", r"^(.+)-(request|bounces)$"):
            mm = re.match(pat, local)
            if mm and dom:
                out.add(f"{mm.group(1)}@{dom}")
    return out


def _parse(where: str, line: int | None, envelope: bytes, block: bytes, res: ReadResult,
           lists: set[str]) -> _Msg | None:
    msg = _Headers(block)
    if msg.get("List-Id") or msg.get("List-Post") or \
            str(msg.get("Precedence", "")).strip().lower() in LIST_PRECEDENCE:
        res.skip("mailing-list messages")
        lists.update(_list_addresses(msg, envelope))
        return None
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        res.skip("automated messages")
        return None
    frm = _addresses(msg, "From") or _addresses(msg, "Sender")
    if frm:
        sender_name, sender = frm[0]
    else:
        m = _ENVELOPE.match(envelope) if envelope else None
        sender_name, sender = "", (m.group(1).decode("latin-1").lower() if m else "")
        if not sender or sender == "mailer-daemon":
            res.skip("messages without a sender")
            return None
    if _AUTO_LOCAL.match(sender.partition("@")[0]):
        res.skip("automated messages")
        return None
    when = _when(msg, envelope, where)
    if when is None:
        raw = " ".join(str(msg.get("Date", "")).split())
        why = f"the Date header {raw!r} has no year or cannot be read" if raw else "no Date header"
        res.problems.append(Problem(where, line, f"{why}, and no envelope, Received or Maildir time: skipped"))
        return None
    o = _Msg()
    o.where, o.line, o.sender, o.sender_name, o.when = where, line, sender, sender_name, when
    o.to = _addresses(msg, "To", "Cc")
    o.subject = _text(_get(msg, "subject"))
    mid = (_ids(msg.get("Message-ID")) or [""])[0]
    if not mid:
        mid = "<" + hashlib.sha1(f"{sender}|{when.isoformat()}|{o.subject}".encode()).hexdigest() + "@netjournal>"
    o.msgid = mid
    o.refs = _ids(msg.get("References"))
    o.parent = (_ids(msg.get("In-Reply-To")) or [""])[0]
    o.thread = ""
    return o


# ----------------------------------------------------------------------------- the reader

def _is_me(addr: str, me: frozenset[str]) -> bool:
    if addr in me:
        return True
    if "@" not in addr:   # an envelope-only sender: "From markov"
        return any(m.partition("@")[0] == addr for m in me)
    return False


def read_mail(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    res = ReadResult()
    if path.is_dir():
        source = ((w, None, env, blk, cal) for w, env, blk, cal in _file_messages(path, path, res, label))
    elif _sniff_mbox(path, open(path, "rb").read(65536)):
        source = ((label, ln, env, blk, None) for ln, env, blk in _mbox_messages(path, res, label))
    else:
        source = ((w, None, env, blk, cal) for w, env, blk, cal in _file_messages(path, None, res, label))
    msgs: list[_Msg] = []
    lists: set[str] = set()
    invitations: list[tuple[object, str, tuple[str, bytes]]] = []   # (sent, where, (METHOD, calendar))
    for where, line, env, blk, cal in source:
        try:
            o = _parse(where, line, env, blk, res, lists)
        except Exception as exc:  # noqa: BLE001 - one bad message never stops the rest
            res.problems.append(Problem(where, line, f"unreadable message ({type(exc).__name__}): skipped"))
            continue
        parts = _invitation_parts(cal) if o is not None and cal is not None else []
        if parts:
            # An invitation (or a reply to one): the meeting is the touch, not the mail about it.
            # The first calendar part only: Google sends the same event twice (inline + .ics).
            invitations.append((o.when, where, parts[0]))
            res.skip("invitation mails (their meeting imported instead)")
            o.when = None
            msgs.append(o)   # still counts for guessing your address
            continue
        if o is not None:
            msgs.append(o)
    me = opts.me_emails
    if not me and msgs:
        top, n = Counter(m.sender for m in msgs if "@" in m.sender).most_common(1)[0] if \
            any("@" in m.sender for m in msgs) else ("", 0)
        if top:
            me = frozenset({top})
            res.notes.append(f"your address was guessed as {top} (the most frequent sender, {n} message(s)); "
                             f"set [me] emails in config.toml or pass --me")
    msgs = [m for m in msgs if m.when is not None]
    if invitations:
        _mine_invitations(invitations, me, opts, res)
    return _touches(msgs, me, opts, res, lists)


def _invitation_parts(data: bytes) -> list[tuple[str, bytes]]:
    """(METHOD, calendar bytes) of each text/calendar or application/ics part of a message."""
    import email
    from email import policy

    try:
        msg = email.message_from_bytes(data, policy=policy.compat32)
        out = []
        for part in msg.walk():
            if part.get_content_type() in ("text/calendar", "application/ics"):
                payload = part.get_payload(decode=True)
                if payload and b"BEGIN:VCALENDAR" in payload.upper():
                    m = re.search(rb"^METHOD:([A-Za-z-]+)", payload, re.M | re.I)
                    method = (m.group(1).decode("ascii").upper() if m else
                              str(part.get_param("method") or "PUBLISH").upper())
                    out.append((method, payload))
        return out
    except Exception:  # noqa: BLE001 - a malformed MIME tree: read as a plain mail
        return []


def _mine_invitations(invitations: list[tuple[object, str, tuple[str, bytes]]], me: frozenset[str],
                      opts: ReadOptions,
                      res: ReadResult) -> None:
    """The meetings of invitation mails, as the calendar reader reads a .ics (same import keys, so an
    invitation, its replies and the calendar itself give one touch or follow-up).

    Read in the order they were sent, so the last word on a meeting wins: a cancellation drops
    the follow-up an earlier invitation in the same mail planned, a new invitation after a
    cancellation plans it again."""
    from netjournal.formats.calendar_in import read_ics_bytes

    o = dataclasses.replace(opts, me_emails=me)
    seen_t = {t.source for t in res.touches}
    seen_f = {(f.source, f.day) for f in res.followups}
    for _sent, where, (method, payload) in sorted(invitations, key=lambda inv: inv[0]):   # stable sort
        part = ReadResult()
        try:
            read_ics_bytes(payload, where, o, part, drop_declined=method == "REPLY", method=method,
                           max_people=opts.max_recipients)
        except Exception as exc:  # noqa: BLE001 - one bad invitation names that message only
            res.problems.append(Problem(where, None, f"unreadable invitation ({type(exc).__name__}): skipped"))
            continue
        for t in part.touches:
            if t.source not in seen_t:
                seen_t.add(t.source)
                res.touches.append(t)
        for c in part.cancels:
            res.followups = [f for f in res.followups if not c.covers(f.source)]
            seen_f = {(f.source, f.day) for f in res.followups}
            res.cancels.append(c)
        for f in part.followups:
            res.cancels = [c for c in res.cancels if not c.covers(f.source)]
            if (f.source, f.day) not in seen_f:
                seen_f.add((f.source, f.day))
                res.followups.append(f)
        res.problems.extend(part.problems)
        res.notes.extend(part.notes)
        for k, n in part.skipped.items():
            res.skip(k, n)


def _touches(msgs: list[_Msg], me: frozenset[str], opts: ReadOptions, res: ReadResult,
             lists: set[str]) -> ReadResult:
    wrote_to: Counter = Counter()
    names: dict[str, str] = {}
    groups: dict[tuple, list] = {}
    thread_of: dict[str, str] = {}
    msgs.sort(key=lambda m: m.when)
    for m in msgs:
        # The thread: the References root, else the parent's thread (In-Reply-To), else the subject
        # without Re:/Fwd: (replies from clients that drop both still join their thread).
        known = next((thread_of[r] for r in (*m.refs, m.parent) if r and r in thread_of), None)
        if known is not None:
            m.thread = known
        else:
            m.thread = _RE.sub("", m.subject).strip().casefold() or m.parent or m.msgid
        thread_of.setdefault(m.msgid, m.thread)
    for m in msgs:
        out = _is_me(m.sender, me)
        others = [(n, a) for n, a in m.to if not _is_me(a, me)]
        if len({a for _n, a in m.to}) > opts.max_recipients:
            res.skip(f"messages with more than {opts.max_recipients} recipients")
            continue
        if out:
            people = [(n, a) for n, a in others if a not in lists and not _AUTO_LOCAL.match(a.partition("@")[0])]
            if others and not people:
                res.skip("messages you sent to mailing lists or robots")
                continue
            if not people:
                res.skip("messages to yourself only")
                continue
            for n, a in people:
                wrote_to[a] += 1
        elif any(_is_me(a, me) for _n, a in m.to):
            people = [(m.sender_name, m.sender)]
        else:
            res.skip("messages neither from nor to you")
            continue
        for n, a in people:
            if n and a not in names:
                names[a] = n
            key = (m.thread, m.when.date(), a)
            if key in groups:
                groups[key][1] += 1
            else:
                groups[key] = [m, 1, "out" if out else "in"]
    for (_thread, day, addr), (m, count, direction) in groups.items():
        src = import_key("mail", f"{m.msgid}:{addr}")
        person = Person(name=names.get(addr, ""), handles=[("email", addr)],
                        create=opts.add_people and wrote_to[addr] >= 2, messages=count)
        subject = m.subject or "(no subject)"
        res.touches.append(TouchRecord(
            source=src, line=m.line, day=day, at=time(m.when.hour, m.when.minute), channel="email", platform="",
            direction=direction, summary=subject[:500], notes=f"{count} messages" if count > 1 else "",
            participants=[], people=[person]))
    return res


READERS = (
    Reader("mbox", "mbox mail archive", read_mail, _sniff_mbox, ("mail",)),
    Reader("eml", "a single mail message (.eml)", read_mail, _sniff_eml, ()),
    Reader("maildir", "Maildir or a mail root (notmuch, mu, mbsync)", read_mail, _sniff_maildir, (), folders=True),
)
