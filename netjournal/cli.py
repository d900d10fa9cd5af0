"""The ``netjournal`` command: the TUI by default, and commands for capture and scripting.

Exit codes scripts can trust: 0 done; 1 a check failed (``doctor``) or an internal error;
2 bad input (unknown or ambiguous contact, impossible date, unknown channel, over-long field,
bad ``--db``, unwritable data directory…): one line on stderr and nothing written;
130 interrupted.

Imports stay light: the store is imported when a command needs it, Textual only when the TUI
opens.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import stat
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime, time
from pathlib import Path
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


def _path_arg(text: str) -> str:
    """A file or folder name as the system can take it, else a usage error."""
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a file name cannot contain a NUL character")
    return text


def _int_arg(text: str) -> int:
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


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _fmt_day(d: date | None, today: date) -> str:
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


def _read_stdin_if_piped() -> str | None:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return None
    if stat.S_ISFIFO(mode) or stat.S_ISREG(mode):
        return sys.stdin.read()
    return None


def _text_arg(value: str | None) -> str | None:
    """`-` reads standard input."""
    if value == "-":
        return sys.stdin.read()
    return value


def _split_name(ctx: Ctx, first: str, words: list[str]) -> tuple[str, list[str]]:
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


def _resolve_many(ctx: Ctx, names: Sequence[str]):
    from netjournal.store import api

    parts: list[str] = []
    for n in names:
        parts += [p for p in (x.strip() for x in n.split(",")) if p] if "," in n and not n.startswith("#") else [n]
    if not parts:
        raise UserError("which contact? give a name")
    return api.resolve_contacts(ctx.db, parts)


# --------------------------------------------------------------------------- contacts

def _contact_options(p: argparse.ArgumentParser, *, edit: bool) -> None:
    p.add_argument("--nickname")
    p.add_argument("--company")
    p.add_argument("--role")
    p.add_argument("--location")
    p.add_argument("--met-how", help="how you met")
    p.add_argument("--met-on", help="when you met (a date)")
    p.add_argument("--tier", help="inner, close, friend, network or acquaintance")
    p.add_argument("--stage", help="attention, attraction, affinity, audience or advocate")
    p.add_argument("--target", metavar="N", help="target priority (1 = top; 0 = not a target)")
    p.add_argument("--why", help="why this target matters to you")
    p.add_argument("--offer", help="what you can offer them")
    p.add_argument("--rhythm", metavar="DAYS", help="keep in touch every DAYS days (0 = learn it)")
    p.add_argument("--about", help="notes: who they are, what they care about")
    p.add_argument("--interests")
    p.add_argument("--ask", help="ask about next time")
    kin = p.add_mutually_exclusive_group()
    kin.add_argument("--kin", action="store_true", default=None, help="family")
    kin.add_argument("--not-kin", dest="kin", action="store_false")
    p.add_argument("--email", action="append", default=[], help="(repeatable)")
    p.add_argument("--phone", action="append", default=[], help="(repeatable)")
    p.add_argument("--handle", action="append", default=[], metavar="[KIND:]VALUE",
                   help="a profile or other handle, e.g. linkedin:https://linkedin.com/in/x (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="(repeatable)")
    p.add_argument("--birthday", help="1984-04-15, --04-15 or '15 apr'")
    p.add_argument("--anniversary")
    if edit:
        p.add_argument("--name")
        p.add_argument("--untag", action="append", default=[])
        arch = p.add_mutually_exclusive_group()
        arch.add_argument("--archive", dest="archived", action="store_true", default=None)
        arch.add_argument("--unarchive", dest="archived", action="store_false")
    p.add_argument("--json", action="store_true")


def _contact_fields(ctx: Ctx, a) -> dict:
    from netjournal.when import parse_date_only

    fields: dict[str, Any] = {}
    for attr, key in (("nickname", "nickname"), ("company", "company"), ("role", "role"),
                      ("location", "location"), ("met_how", "met_how"), ("tier", "tier"), ("stage", "stage"),
                      ("target", "target_priority"), ("why", "target_why"), ("offer", "target_offer"),
                      ("rhythm", "rhythm_days"), ("about", "about"), ("interests", "interests"),
                      ("ask", "ask_next"), ("kin", "kin")):
        val = getattr(a, attr, None)
        if val is not None:
            fields[key] = _text_arg(val) if isinstance(val, str) else val
    if getattr(a, "met_on", None):
        fields["met_on"] = parse_date_only(a.met_on, ctx.today)
    if getattr(a, "archived", None) is not None:
        fields["archived"] = a.archived
    return fields


def _handles(a) -> list[tuple[str | None, str]]:
    from netjournal import vocab

    hs: list[tuple[str | None, str]] = [("email", e) for e in a.email] + [("phone", p) for p in a.phone]
    for h in a.handle:
        kind, sep, value = h.partition(":")
        if sep and kind.lower() in vocab.HANDLE_KINDS and not value.startswith("//"):
            hs.append((kind.lower(), value))
        else:
            hs.append((None, h))
    return hs


def _dates(a) -> list[tuple[str, int, int, int | None]]:
    from netjournal.when import parse_month_day

    ds = []
    if a.birthday:
        ds.append(("birthday", *parse_month_day(a.birthday)))
    if a.anniversary:
        ds.append(("anniversary", *parse_month_day(a.anniversary)))
    return ds


def cmd_add(ctx: Ctx, a) -> int:
    from netjournal.store import api

    name = " ".join(a.name).strip()
    fields = _contact_fields(ctx, a)
    same = [m for m in api.fuzzy_contacts(ctx.db, name, limit=3, include_archived=True)
            if m.name.lower() == name.lower()]
    c = api.add_contact(ctx.db, name=name, handles=_handles(a), tags=a.tag, dates=_dates(a), **fields)
    if a.json:
        emit_json(c)
    else:
        out(f"added {c.name} (#{c.id})")
        for m in same:
            sys.stderr.write(f"note: you already had a contact named {m.name} (#{m.id}); use #{c.id} or #{m.id} to tell them apart\n")
    return 0


def cmd_edit(ctx: Ctx, a) -> int:
    from netjournal.store import api

    ref = api.resolve_contact(ctx.db, a.contact, include_archived=True)
    fields = _contact_fields(ctx, a)
    if a.name is not None:
        fields["name"] = a.name
    new_handles, new_dates = _handles(a), _dates(a)
    if not (fields or new_handles or new_dates or a.tag or a.untag):
        raise UserError("nothing to change: give at least one option (see `netjournal edit --help`)")
    c = api.get_contact(ctx.db, ref.id)
    handles = tags = None
    if new_handles:
        handles = [(h.kind, h.value) for h in c.handles] + new_handles
    if a.tag or a.untag:
        untag = {t.lower().lstrip("#") for t in a.untag}
        tags = [t for t in (*c.tags, *a.tag) if t.lower().lstrip("#") not in untag]
    dates = {kind: (m, d, y) for kind, m, d, y in new_dates}
    # One transaction: everything is checked first, and a bad value changes nothing.
    c = api.save_contact(ctx.db, ref.id, fields=fields, tags=tags, handles=handles, dates=dates or None)
    if a.json:
        emit_json(c)
    else:
        out(f"updated {c.name} (#{c.id})")
    return 0


def cmd_list(ctx: Ctx, a) -> int:
    from netjournal.store import api

    rows = api.list_contacts(ctx.db, include_archived=a.archived)
    if a.tag:
        rows = [r for r in rows if a.tag.lower().lstrip("#") in r.tags]
    if a.tier:
        rows = [r for r in rows if r.tier == a.tier]
    if a.stage:
        rows = [r for r in rows if r.stage == a.stage]
    if a.json:
        emit_json(rows)
        return 0
    today = ctx.today
    for r in rows:
        tags = " ".join("#" + t for t in r.tags)
        out(f"#{r.id:<6} {r.name[:40]:40} {r.tier:12} {r.stage:10} {_fmt_day(r.last_touch_on, today):12} {tags}")
    return 0


def cmd_show(ctx: Ctx, a) -> int:
    from netjournal.store import api

    ref = api.resolve_contact(ctx.db, a.contact, include_archived=True)
    c = api.get_contact(ctx.db, ref.id, cfg=ctx.engine_config())
    tl = api.timeline(ctx.db, ref.id, limit=a.limit)
    fus = api.list_followups(ctx.db, contact_id=ref.id, status="open")
    if a.json:
        emit_json({"contact": c, "followups": fus, "timeline": tl})
        return 0
    today = ctx.today
    out(f"{c.name}" + (f" ({c.nickname})" if c.nickname else "") + f"  #{c.id}" + ("  [archived]" if c.archived else ""))
    work = ", ".join(x for x in (c.role, c.company) if x)
    if work:
        out(f"  {work}")
    if c.location:
        out(f"  {c.location}")
    rhythm = f"every {c.rhythm:.0f} days ({c.rhythm_source})" if c.rhythm else "—"
    out(f"  tier {c.tier} · stage {c.stage} · rhythm {rhythm}" + (" · kin" if c.kin else ""))
    out(f"  last touch {_fmt_day(c.last_touch_on, today)} · {c.touch_count} touches")
    for h in c.handles:
        out(f"  {h.kind}: {h.value}" + (f" ({h.label})" if h.label else ""))
    for d in c.dates:
        out(f"  {d.kind}: {d.display()}" + (f" ({d.label})" if d.label else ""))
    if c.tags:
        out("  tags: " + " ".join("#" + t for t in c.tags))
    if c.target_priority:
        out(f"  target #{c.target_priority}: why: {c.target_why or '—'} · offer: {c.target_offer or '—'}")
    for label, text in (("met", " ".join(x for x in (c.met_how, c.met_on.isoformat() if c.met_on else "") if x)),
                        ("about", c.about), ("interests", c.interests), ("ask next", c.ask_next)):
        if text:
            out(f"  {label}: {text}")
    if fus:
        out("")
        out("Open follow-ups:")
        for f in fus:
            out(f"  #{f.id} {f.title} — due {_fmt_day(f.due_on, today)}" + (f" at {f.place}" if f.place else ""))
    if tl:
        out("")
        out("Timeline:")
        from netjournal import vocab

        for e in tl:
            when = e.day.isoformat() if e.day else "—"
            if e.kind == "touch":
                arrow = {"out": "→", "in": "←", "mutual": "↔"}.get(e.direction, " ")
                out(f"  {when} {arrow} {vocab.CHANNEL_LABELS.get(e.channel, e.channel):13} {e.title}")
            elif e.kind == "followup":
                out(f"  {when} ☐ follow-up [{e.status}] {e.title}")
            else:
                out(f"  {when} ✎ journal: {e.title}")
    return 0


# --------------------------------------------------------------------------- touches

def cmd_log(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_when

    if a.batch:
        return _log_batch(ctx, a)
    if not a.contact:
        raise UserError("log: which contact? (netjournal log NAME [summary…])")
    day, at = parse_when(a.when, ctx.today)
    direction = a.direction or "out"
    notes = _text_arg(a.notes)
    if notes is None and not a.no_stdin:
        piped = _read_stdin_if_piped()
        notes = piped if piped else None
    contact, words = _split_name(ctx, a.contact, a.summary)
    summary = " ".join(words)
    refs = _resolve_many(ctx, [contact, *a.also])
    t = api.log_touch(ctx.db, contact_ids=[r.id for r in refs], channel=a.channel, day=day, at=at,
                      direction=direction, summary=summary, notes=notes or "", value_given=a.value or "",
                      platform=a.platform or "", today=ctx.today, allow_future=a.future)
    if a.json:
        emit_json(t)
    else:
        from netjournal import vocab

        who = ", ".join(r.name for r in t.contacts)
        out(f"logged {vocab.CHANNEL_LABELS[t.channel]} with {who} on {t.occurred_on.isoformat()} (touch #{t.id})")
    return 0


BATCH_KEYS = {"contact", "contacts", "channel", "when", "direction", "summary", "notes", "value", "platform"}


def _log_batch(ctx: Ctx, a) -> int:
    """One touch per input line (JSON object), each in its own transaction: what was
    acknowledged on stdout is stored, whatever happens to the rest."""
    from netjournal.store import api
    from netjournal.when import parse_when

    src = sys.stdin if a.batch == "-" else open(a.batch, encoding="utf-8")
    failed = 0
    try:
        for n, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise UserError(f"not JSON ({exc.msg})") from None
                if not isinstance(rec, dict):
                    raise UserError("each line must be a JSON object")
                unknown = set(rec) - BATCH_KEYS
                if unknown:
                    raise UserError(f"unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(BATCH_KEYS))})")
                names = rec.get("contacts") or [rec.get("contact") or ""]
                if isinstance(names, str):
                    names = [names]
                day, at = parse_when(str(rec.get("when") or "today"), ctx.today)
                refs = _resolve_many(ctx, [str(x) for x in names])
                t = api.log_touch(ctx.db, contact_ids=[r.id for r in refs], channel=str(rec.get("channel") or "message"),
                                  day=day, at=at, direction=str(rec.get("direction") or "out"),
                                  summary=str(rec.get("summary") or ""), notes=str(rec.get("notes") or ""),
                                  value_given=str(rec.get("value") or ""), platform=str(rec.get("platform") or ""),
                                  today=ctx.today, allow_future=a.future)
                out(json.dumps({"line": n, "ok": True, "id": t.id}))
            except UserError as exc:
                failed += 1
                out(json.dumps({"line": n, "ok": False, "error": str(exc)}, ensure_ascii=False))
            sys.stdout.flush()
    finally:
        if src is not sys.stdin:
            src.close()
    if failed:
        sys.stderr.write(f"{PROG}: {failed} line(s) not logged (see the output)\n")
        return 2
    return 0


# --------------------------------------------------------------------------- follow-ups

def cmd_followup_add(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_when

    due_on, due_time = (parse_when(a.due, ctx.today, future=True) if a.due else (None, None))
    contact, words = _split_name(ctx, a.contact, a.title)
    if not words:
        raise UserError("followup add: what is the follow-up? (netjournal followup add NAME TITLE…)")
    refs = _resolve_many(ctx, [contact, *a.also])
    f = api.add_followup(ctx.db, contact_ids=[r.id for r in refs], title=" ".join(words), kind=a.kind or "other",
                         due_on=due_on, due_time=due_time, place=a.place or "", agenda=_text_arg(a.agenda) or "",
                         from_touch_id=a.from_touch)
    if a.json:
        emit_json(f)
    else:
        out(f"follow-up #{f.id}: {f.title}" + (f" — due {f.due_on.isoformat()}" if f.due_on else ""))
    return 0


def cmd_followup_list(ctx: Ctx, a) -> int:
    from netjournal.store import api

    contact_id = api.resolve_contact(ctx.db, a.contact, include_archived=True).id if a.contact else None
    status = None if a.all else (a.status or "open")
    rows = api.list_followups(ctx.db, status=status, contact_id=contact_id)
    if a.json:
        emit_json(rows)
        return 0
    today = ctx.today
    for f in rows:
        who = ", ".join(r.name for r in f.contacts)
        mark = {"open": "☐", "done": "☑", "cancelled": "✗"}.get(f.status, " ")
        late = " (overdue)" if f.status == "open" and f.due_on and f.due_on < today else ""
        out(f"{mark} #{f.id:<5} {_fmt_day(f.due_on, today):12} {f.kind:9} {f.title} — {who}{late}")
    if not rows:
        out("no follow-ups" + ("" if a.all else " open"))
    return 0


def cmd_followup_done(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_when

    day, _ = parse_when(a.when, ctx.today)
    steps = []
    for s in a.next:
        title, sep, due = s.rpartition("@")
        if not sep:
            title, due = s, ""
        steps.append((title.strip(), parse_when(due, ctx.today, future=True)[0] if due.strip() else None))
    f = api.complete_followup(ctx.db, a.id, day=day, meeting_notes=_text_arg(a.notes), outcome=_text_arg(a.outcome),
                              next_steps=steps, log=False if a.no_log else None, channel=a.channel)
    if a.json:
        emit_json(f)
    else:
        extra = f"; logged touch #{f.done_touch_id}" if f.done_touch_id else ""
        out(f"done: #{f.id} {f.title}{extra}" + (f"; {len(steps)} next step(s) added" if steps else ""))
    return 0


def cmd_followup_cancel(ctx: Ctx, a) -> int:
    from netjournal.store import api

    f = api.cancel_followup(ctx.db, a.id)
    emit_json(f) if a.json else out(f"cancelled: #{f.id} {f.title}")
    return 0


# --------------------------------------------------------------------------- search, journal, due

def cmd_search(ctx: Ctx, a) -> int:
    from netjournal.store import search

    q = " ".join(a.query)
    if not q.strip():
        raise UserError("search for what? give some words")
    hits = search.search(ctx.db, q, limit=a.limit, kinds=tuple(a.kind) if a.kind else None)
    if a.json:
        emit_json(hits)
        return 0
    bold = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
    for h in hits:
        day = h.day.isoformat() if h.day else ""
        snip = search.plain_snippet(h.snippet, *bold)
        out(f"{h.kind:8} #{h.ref_id:<6} {day:10} {h.title}" + (f" — {snip}" if snip else ""))
    if not hits:
        out(f"nothing found for {q!r}")
    return 0


def cmd_journal(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_date_only

    day = parse_date_only(a.day, ctx.today) if a.day else ctx.today
    text = " ".join(a.text)
    if text == "-":
        text = sys.stdin.read()
    if text:
        entry, unresolved = api.append_journal(ctx.db, day, text)
        if a.json:
            emit_json({"entry": entry, "unresolved_mentions": unresolved})
        else:
            linked = ", ".join(r.name for r in entry.mentions)
            out(f"journal {day.isoformat()} saved" + (f"; mentions {linked}" if linked else ""))
            for u in unresolved:
                sys.stderr.write(f"note: @{u} matches no single contact; left as text\n")
        return 0
    entry = api.get_journal(ctx.db, day)
    if a.json:
        emit_json(entry)
    elif entry.exists:
        out(f"# {day.isoformat()}")
        out(entry.body)
    else:
        out(f"no journal entry for {day.isoformat()}")
    return 0


def cmd_due(ctx: Ctx, a) -> int:
    from netjournal.store import reminders

    cfg = ctx.engine_config()
    # issue 12: --all shows everything (no budget, no caps); running `due` marks today as seen
    items = reminders.queue(ctx.db, ctx.now(), cfg, everything=a.all, mark="cli")
    held = items.held
    if a.limit:
        items = items[: a.limit]
    if a.json:
        emit_json(items)
        return 0
    if not items:
        out("nothing due today: your network is in good shape")
    for i, it in enumerate(items, 1):
        out(f"{i:3}. {it.contact_name} — {it.reason}")
        out(f"     → {it.action}  [{it.kind}, score {it.score:.2f}]" + (f"  ({it.suggestion})" if it.suggestion else ""))
        if a.why:
            for label, val in it.terms:
                out(f"       {val:+.2f}  {label}")
    for line in reminders.held_lines(held):
        out(f"  … {line}")
    return 0


def cmd_snooze(ctx: Ctx, a) -> int:
    from netjournal.store import api
    from netjournal.when import parse_date_only

    ref = api.resolve_contact(ctx.db, a.contact)
    until = parse_date_only(a.until, ctx.today, future=True)
    api.snooze(ctx.db, ref.id, until=until, today=ctx.today, kind=a.kind)
    out(f"snoozed {ref.name} until {until.isoformat()}")
    return 0


def cmd_dismiss(ctx: Ctx, a) -> int:
    from netjournal.store import api

    ref = api.resolve_contact(ctx.db, a.contact)
    api.dismiss(ctx.db, ref.id, kind=a.kind, today=ctx.today)
    out(f"dismissed the {a.kind} reminder for {ref.name}")
    return 0


# --------------------------------------------------------------------------- maintenance

def cmd_demo(ctx: Ctx, a) -> int:
    import time as _t

    from netjournal.store import demo

    from netjournal.store import maintenance

    if a.open and not a.force and maintenance.counts(ctx.db).contacts:
        sys.stderr.write("note: this journal already has contacts; opening it as it is\n")
    else:
        t0 = _t.perf_counter()
        n = demo.generate(ctx.db, contacts=a.contacts, touches=a.touches, seed=a.seed, today=ctx.today,
                          force=a.force)
        n["seconds"] = round(_t.perf_counter() - t0, 2)
        if a.json:
            emit_json(n)
        else:
            out(f"demo journal: {n['contacts']} contacts, {n['touches']} touches, {n['followups']} follow-ups, "
                f"{n['journal_entries']} journal entries in {n['seconds']} s")
    if a.open:
        gc.set_threshold(*DEFAULT_GC)
        url, cfg = ctx.db.url, ctx.config
        ctx.close()
        ctx._db = None
        from netjournal.tui import run

        return run(url, cfg)
    return 0


def cmd_db_upgrade(ctx: Ctx, a) -> int:
    from netjournal.store import schema
    from netjournal.store.db import open_database

    db = open_database(a.db, migrate=False)
    ctx._db = db
    before = schema.current_revision(db)
    backup = schema.ensure_current(db)
    after = schema.current_revision(db)
    if before == after:
        out(f"schema is current ({after})")
    else:
        out(f"upgraded schema {before or 'none'} → {after}" + (f"; backup at {backup}" if backup else ""))
    return 0


def cmd_doctor(ctx: Ctx, a) -> int:
    from netjournal.store import maintenance

    rep = maintenance.doctor(ctx.db, repair=not a.no_repair)
    if a.json:
        emit_json({"ok": rep.ok, "schema": rep.schema, "checks": rep.checks, "counts": rep.counts,
                   "database": _safe_url(ctx.db.url)})
        return 0 if rep.ok else 1
    out(f"journal: {_safe_url(ctx.db.url)}")
    for c in rep.checks:
        mark = "ok " if c.ok else ("fix" if c.repaired else "BAD")
        out(f"  [{mark}] {c.name}: {c.detail}")
    n = rep.counts
    out(f"  {n.contacts} contacts ({n.archived} archived), {n.touches} touches, {n.followups_open} open follow-ups "
        f"of {n.followups}, {n.journal_entries} journal entries, {n.handles} handles")
    out("all good" if rep.ok else "problems remain (see above)")
    return 0 if rep.ok else 1


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_replay(ctx: Ctx, a, argv: list[str]) -> int:
    from netjournal.cli_replay import replay_main

    return replay_main(argv)


# --------------------------------------------------------------------------- formats

def cmd_import(ctx: Ctx, a) -> int:
    from netjournal.formats.importing import import_path

    path = Path(a.path).expanduser()
    if not path.exists():
        raise UserError(f"no such file or folder: {a.path}")

    progress = None
    if sys.stderr.isatty() and not a.json:
        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rimporting… {done}/{total}")
            if done >= total:
                sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    rep = import_path(ctx.db, path, fmt=a.format, dry_run=a.dry_run, strict=a.strict, today=ctx.today,
                      progress=progress)
    if a.json:
        emit_json({**to_jsonable(rep), "bad_records": len(rep.bad_records)})
    else:
        out(f"{rep.format}{f' (owner: {rep.owner})' if rep.owner else ''}: {rep.summary()}")
        if rep.dry_run:
            for line in rep.details:
                out(f"  {line}")
        for c in rep.conflicts:
            out(f"  conflict: {c}")
        for p in rep.problems:
            where = f"{p.source}:{p.line}" if p.line else p.source
            sys.stderr.write(f"{'skipped' if p.fatal else 'note'} {where}: {p.reason}\n")
    if a.strict and rep.bad_records:
        sys.stderr.write(f"{PROG}: {len(rep.bad_records)} bad record(s) in {a.path}: nothing imported (--strict)\n")
        return 2
    return 0


def cmd_export(ctx: Ctx, a) -> int:
    from netjournal.formats.exporting import export
    from netjournal.store import api
    from netjournal.when import parse_date_only

    contact_id = api.resolve_contact(ctx.db, a.contact, include_archived=True).id if a.contact else None
    since = parse_date_only(a.since, ctx.today) if a.since else None
    until = parse_date_only(a.until, ctx.today) if a.until else None
    dest = Path(a.output).expanduser() if a.output and a.output != "-" else None
    text = export(ctx.db, a.format, dest, contact_id=contact_id, since=since, until=until, today=ctx.today)
    if dest is None and text is not None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    elif dest is not None:
        sys.stderr.write(f"wrote {dest}\n")
    return 0


def cmd_backup(ctx: Ctx, a) -> int:
    from netjournal.formats.backup import backup

    dest = backup(ctx.db, Path(a.dir).expanduser() if a.dir else None, keep=a.keep)
    emit_json({"backup": str(dest)}) if a.json else out(f"backup written to {dest}")
    return 0


def cmd_restore(ctx: Ctx, a) -> int:
    from netjournal.formats.backup import restore

    path = Path(a.path).expanduser()
    if not path.exists():
        raise UserError(f"no such file: {a.path}")
    counts = restore(ctx.db, path, force=a.force)
    if a.json:
        emit_json(counts)
    else:
        out("restored: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


# --------------------------------------------------------------------------- parser

def build_parser() -> Parser:
    p = Parser(prog=PROG, description="A keyboard-driven journal of your network. Run with no command to open the app.")
    p.add_argument("--db", metavar="URL", type=_path_arg, help="database URL or file (default: $NETJOURNAL_DB or the journal in your data directory)")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=Parser)

    s = sub.add_parser("add", help="add a contact")
    s.add_argument("name", nargs="+")
    _contact_options(s, edit=False)
    s.set_defaults(func=cmd_add)

    s = sub.add_parser("edit", help="change a contact")
    s.add_argument("contact", help="name (fuzzy) or #ID")
    _contact_options(s, edit=True)
    s.set_defaults(func=cmd_edit)

    s = sub.add_parser("list", aliases=["contacts"], help="list contacts")
    s.add_argument("--tag")
    s.add_argument("--tier")
    s.add_argument("--stage")
    s.add_argument("--archived", action="store_true", help="include archived contacts")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="a contact with their timeline")
    s.add_argument("contact")
    s.add_argument("--limit", type=_int_arg, default=30)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("log", help="log a touch: netjournal log alice -c coffee -w yesterday 'talked about the move'")
    s.add_argument("contact", nargs="?", help="name (fuzzy) or #ID; several separated by commas for a group touch")
    s.add_argument("summary", nargs="*")
    s.add_argument("-c", "--channel", default="message", help="in_person, call, video, email, message, social, letter, gift, event, other (or one key: p c v e m s l g t o)")
    d = s.add_mutually_exclusive_group()
    d.add_argument("--out", dest="direction", action="store_const", const="out", help="I reached out (default)")
    d.add_argument("--in", dest="direction", action="store_const", const="in", help="they reached out")
    d.add_argument("--mutual", dest="direction", action="store_const", const="mutual")
    s.add_argument("-w", "--when", default="today", help="today, yesterday, '3d ago', 'last friday', 2026-11-20, 'yesterday 23:30'")
    s.add_argument("-n", "--notes", help="notes (- reads standard input; piped input is read too)")
    s.add_argument("--value", help="value you gave: an intro, an article, help")
    s.add_argument("--platform", help="for social media: linkedin, mastodon, …")
    s.add_argument("--also", action="append", default=[], metavar="NAME", help="another contact in the touch (repeatable)")
    s.add_argument("--no-stdin", action="store_true", help="don't read notes from piped input")
    s.add_argument("--future", action="store_true", help="allow a touch dated after tomorrow (else refused as a likely typo)")
    s.add_argument("--batch", metavar="FILE", type=_path_arg, help="log one touch per line of FILE (- for standard input): JSON objects "
                   "with contact/contacts, channel, when, direction, summary, notes, value, platform")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_log)

    s = sub.add_parser("followup", aliases=["fu"], help="plan, list and complete follow-ups")
    fsub = s.add_subparsers(dest="fcmd", metavar="ACTION", parser_class=Parser)
    f = fsub.add_parser("add", help="plan a follow-up")
    f.add_argument("contact")
    f.add_argument("title", nargs="*")
    f.add_argument("--kind", help="meet, call, send, reply, introduce, other")
    f.add_argument("--due", help="when: friday, 'in 2w', 2026-12-01 14:00")
    f.add_argument("--place")
    f.add_argument("--agenda", help="(- reads standard input)")
    f.add_argument("--also", action="append", default=[], metavar="NAME")
    f.add_argument("--from-touch", type=_int_arg, metavar="ID")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_add)
    f = fsub.add_parser("list", help="open follow-ups")
    f.add_argument("--contact")
    f.add_argument("--status", choices=("open", "done", "cancelled"))
    f.add_argument("--all", action="store_true")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_list)
    f = fsub.add_parser("done", help="complete a follow-up (a meeting or call logs its touch)")
    f.add_argument("id", type=_int_arg)
    f.add_argument("--notes", help="meeting notes (- reads standard input)")
    f.add_argument("--outcome")
    f.add_argument("--next", action="append", default=[], metavar="TITLE[@WHEN]", help="a next step, becomes a follow-up (repeatable)")
    f.add_argument("--when", default="today")
    f.add_argument("--channel", help="log the touch on this channel")
    f.add_argument("--no-log", action="store_true", help="don't log a touch")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_done)
    f = fsub.add_parser("cancel", help="cancel a follow-up")
    f.add_argument("id", type=_int_arg)
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_followup_cancel)

    s = sub.add_parser("search", help="full-text search over everything")
    s.add_argument("query", nargs="+")
    s.add_argument("--kind", action="append", choices=("contact", "touch", "followup", "journal"))
    s.add_argument("--limit", type=_int_arg, default=30)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("journal", help="append to a day's journal (no text: print it)")
    s.add_argument("text", nargs="*", help="text with @mentions (- reads standard input)")
    s.add_argument("--day", help="which day (default today)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_journal)

    s = sub.add_parser("due", help="today's reminder queue, with reasons")
    s.add_argument("--all", action="store_true", help="ignore the daily budget")
    s.add_argument("--why", action="store_true", help="show each score's terms")
    s.add_argument("--limit", type=_int_arg)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_due)

    s = sub.add_parser("snooze", help="snooze a contact's reminders")
    s.add_argument("contact")
    s.add_argument("--until", default="in 7d")
    s.add_argument("--kind", help="only this kind of reminder")
    s.set_defaults(func=cmd_snooze)

    s = sub.add_parser("dismiss", help="dismiss a reminder")
    s.add_argument("contact")
    s.add_argument("--kind", required=True, help="followup, reply, date, rhythm, silence, one-sided, stage")
    s.set_defaults(func=cmd_dismiss)

    s = sub.add_parser("import", help="import vCard, LinkedIn, Google or Outlook files")
    s.add_argument("path", type=_path_arg)
    s.add_argument("--format", choices=("vcard", "linkedin-connections", "linkedin-messages", "google-csv", "outlook-csv"))
    s.add_argument("--dry-run", action="store_true")
    s.add_argument("--strict", action="store_true", help="write nothing if any record is bad")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("export", help="export to vCard, iCalendar, JSON or Markdown")
    s.add_argument("format", choices=("vcard", "vcard3", "vcard4", "ical", "json", "markdown"))
    s.add_argument("-o", "--output", type=_path_arg, help="file (default: standard output)")
    s.add_argument("--contact", help="only this contact (markdown, vcard)")
    s.add_argument("--since")
    s.add_argument("--until")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("backup", help="a consistent copy of the journal, rotated")
    s.add_argument("--dir", type=_path_arg)
    s.add_argument("--keep", type=_int_arg, default=10)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="restore a backup into an empty journal")
    s.add_argument("path", type=_path_arg)
    s.add_argument("--force", action="store_true", help="replace a non-empty journal")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("demo", help="fill an empty journal with a realistic demo network")
    s.add_argument("--contacts", type=_int_arg, default=200)
    s.add_argument("--touches", type=_int_arg, default=4000)
    s.add_argument("--seed", type=_int_arg, default=1)
    s.add_argument("--force", action="store_true", help="add to a journal that is not empty")
    s.add_argument("--open", action="store_true", help="then open the app on it (a journal already filled is just opened)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("db", help="database maintenance")
    dsub = s.add_subparsers(dest="dcmd", metavar="ACTION", parser_class=Parser)
    u = dsub.add_parser("upgrade", help="upgrade the schema (done automatically on open)")
    u.set_defaults(func=cmd_db_upgrade)

    s = sub.add_parser("doctor", help="check integrity, schema, search index; repair what is safe")
    s.add_argument("--no-repair", action="store_true")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_doctor)

    s = sub.add_parser("replay", help="replay an interaction log through the reminder engine", add_help=False)
    s.add_argument("rest", nargs=argparse.REMAINDER)
    s.set_defaults(func=cmd_replay)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A command lives for a fraction of a second and keeps what it imports: collect cyclic
    # garbage rarely (each collection walks every object SQLAlchemy and pydantic hold), which
    # takes a good share off `log`'s wall time. Reference counting still frees the rest.
    gc.set_threshold(50_000, 20, 20)
    os.umask(0o077)  # everything we write (journal, backups, exports, drafts) is the user's alone
    debug = bool(os.environ.get("NETJOURNAL_DEBUG"))
    ctx = None
    try:
        # `replay` takes its own arguments: hand them over untouched.
        if "replay" in argv:
            i = argv.index("replay")
            if all(x.startswith("-") or argv[j - 1] == "--db" for j, x in enumerate(argv[:i])):
                from netjournal.cli_replay import replay_main

                return replay_main(argv[i + 1:])
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        if extra and isinstance(getattr(args, "contact", None), str) and not any(
                isinstance(getattr(args, k, None), list) for k in ("summary", "title")) \
                and not any(x.startswith("-") and x != "-" for x in extra):
            args.contact = " ".join([args.contact, *extra])  # `show ada lovelace`
            extra = []
        if extra:
            # Words after options belong to the command's free-text argument
            # (`log alice -c call talked about the move`).
            tail = next((k for k in ("summary", "title", "text", "query", "name") if isinstance(getattr(args, k, None), list)), None)
            if tail is None or any(x.startswith("-") and x != "-" for x in extra):
                bad = next((x for x in extra if x.startswith("-")), extra[0])
                raise ArgError(f"{PROG}: unrecognized argument {bad!r} (see `{PROG} {args.cmd or ''} --help`)".replace("  ", " "))
            setattr(args, tail, [*getattr(args, tail), *extra])
        if args.version:
            from importlib.metadata import version

            out(f"netjournal {version('netjournal')}")
            return 0
        ctx = Ctx(args)
        if args.cmd is None:
            from netjournal.store.urls import resolve_url  # no SQLAlchemy before the first paint

            url = resolve_url(args.db)
            cfg = ctx.config
            gc.set_threshold(*DEFAULT_GC)  # a long-running app: Python's usual collection rhythm
            from netjournal.tui import run

            return run(url, cfg)
        if not hasattr(args, "func"):
            parser.parse_args([*argv, "--help"])
            return 2
        return args.func(ctx, args)
    except UserError as exc:
        msg = str(exc)
        if not msg.startswith(PROG):
            msg = f"{PROG}: {msg}"
        sys.stderr.write(msg.splitlines()[0] if msg else f"{PROG}: error" + "\n")
        sys.stderr.write("\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    except Exception as exc:  # noqa: BLE001 - the promise: never a traceback
        if debug:
            raise
        from netjournal.store.db import describe_db_error

        try:
            import sqlalchemy.exc as sae

            if isinstance(exc, sae.SQLAlchemyError):
                sys.stderr.write(f"{PROG}: {describe_db_error(exc)}\n")
                return 2
        except ImportError:
            pass
        if isinstance(exc, OSError):
            sys.stderr.write(f"{PROG}: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "") + "\n")
            return 2
        sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                         " (set NETJOURNAL_DEBUG=1 for details)\n")
        return 1
    finally:
        if ctx is not None:
            ctx.close()


if __name__ == "__main__":
    sys.exit(main())
