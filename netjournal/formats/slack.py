"""A Slack workspace export (the .zip as downloaded, or its folder) → touches.

Layout: ``users.json`` (people: id, real name, e-mail, bot flag), ``channels.json`` /
``groups.json`` (public / private channels with members), ``dms.json`` (direct messages, two
members) and ``mpims.json`` (group DMs), and one folder per conversation (channels by name,
DMs by id) holding one JSON list of messages per day (``2024-03-05.json``).

A day of a DM is one touch with the other person (direction from who wrote first that day); a
day of a group DM is a group touch with its members; a day of a channel is a group touch with
the people who wrote that day — only days on which you wrote too (a busy channel you read is
not a conversation with everyone in it). People are matched by the e-mail of users.json, then
by name. You are found from ``[me] emails``/``names``, else as the one person in every DM.

Quirks handled: bot messages (``bot_message``, ``bot_id``, ``is_bot`` users), joins, leaves,
topic/purpose/name changes and other subtypes (skipped and counted); edited messages (one
message); thread replies (counted on the day they were written); file shares and
``thread_broadcast`` (messages); a export nested in one top folder; a missing users.json (people
named from the messages' ``user_profile``, said); truncated or non-UTF-8 day files (named, the
rest read); zip bombs (the chat reader's cap).
"""
from __future__ import annotations

import json
import posixpath
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from netjournal.formats.records import Person, Problem, TouchRecord, import_key, name_key
from netjournal.formats.registry import Reader, ReadOptions, ReadResult

_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")
_EARLIEST = date(2000, 1, 1)   # before Slack existed: a broken ts, not a message
_INDEX = ("users.json", "channels.json", "groups.json", "dms.json", "mpims.json")
# Subtypes that are someone talking; every other subtype (joins, bots, topics, …) is skipped.
_TALK = {None, "", "thread_broadcast", "file_share", "me_message", "file_comment", "reply_broadcast"}


# ----------------------------------------------------------------------------- files (zip or folder)

class _Files:
    """The export's files by their path inside it (``a/b.json``), from a zip or a folder."""

    def __init__(self, path: Path, opts: ReadOptions, res: ReadResult, label: str):
        self.path, self.label, self.res = path, label, res
        self.zip: zipfile.ZipFile | None = None
        self.names: list[str] = []
        self.max = opts.max_unzipped
        if path.is_dir():
            self.names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*.json") if p.is_file())
        else:
            from netjournal.formats.chat import zip_refusal

            try:
                self.zip = zipfile.ZipFile(path)
                infos = self.zip.infolist()
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                res.problems.append(Problem(label, None, f"not a readable zip ({exc})"))
                self.zip = None
                return
            why = zip_refusal(infos, opts)
            if why:
                res.problems.append(Problem(label, None, why))
                self.zip.close()
                self.zip = None
                return
            self.names = sorted(i.filename for i in infos if i.filename.lower().endswith(".json") and not i.is_dir())
        # an export nested in one top folder ("My Workspace Slack export/users.json")
        roots = sorted({posixpath.dirname(n) for n in self.names if posixpath.basename(n) in _INDEX},
                       key=lambda r: (r.count("/"), r))
        self.root = roots[0] if roots else ""

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()

    def rel(self, name: str) -> str:
        return name[len(self.root) + 1:] if self.root and name.startswith(self.root + "/") else name

    def where(self, rel: str) -> str:
        return f"{self.label}/{rel}"

    def has(self, rel: str) -> bool:
        return posixpath.join(self.root, rel) in self.names if self.root else rel in self.names

    def load(self, rel: str):
        """The JSON in a file, or None (a problem line names it)."""
        name = posixpath.join(self.root, rel) if self.root else rel
        where = self.where(rel)
        try:
            if self.zip is not None:
                with self.zip.open(name) as fh:
                    data = fh.read(self.max + 1)
            else:
                with open(self.path / name, "rb") as fh:
                    data = fh.read(self.max + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, KeyError) as exc:
            self.res.problems.append(Problem(where, None, f"cannot read ({exc})"))
            return None
        if len(data) > self.max:
            self.res.problems.append(Problem(where, None, "refused: larger than the unzip cap (a zip bomb?)"))
            return None
        from netjournal.formats.textio import decode

        text, enc = decode(data)
        if enc in ("cp1252", "latin-1"):
            self.res.problems.append(Problem(where, None, f"not UTF-8: read as {enc}", fatal=False))
        try:
            return json.loads(text)
        except RecursionError:
            self.res.problems.append(Problem(where, None, "nested too deeply to read: skipped"))
            return None
        except ValueError as exc:
            self.res.problems.append(Problem(where, None, f"not valid JSON, truncated? ({exc}): skipped"))
            return None


# ----------------------------------------------------------------------------- sniffing

def _sniff(path: Path, head: bytes) -> bool:
    if path.is_dir():
        return any((path / n).is_file() for n in ("users.json", "channels.json", "dms.json")) or any(
            (d / n).is_file() for d in path.iterdir() if d.is_dir() for n in ("users.json", "channels.json"))
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            base = {posixpath.basename(n) for n in z.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return bool({"users.json", "channels.json", "dms.json", "mpims.json"} & base) and \
        not any(n.endswith(".txt") for n in base if n.startswith("_chat"))


# ----------------------------------------------------------------------------- reading

def _user_name(u: dict) -> str:
    prof = u.get("profile") if isinstance(u.get("profile"), dict) else {}
    for v in (u.get("real_name"), prof.get("real_name"), prof.get("display_name"), u.get("name")):
        if isinstance(v, str) and v.strip():
            return " ".join(v.split())
    return str(u.get("id", ""))


def read_slack(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    res = ReadResult()
    files = _Files(path, opts, res, label)
    try:
        if not files.names:
            if not res.problems:
                res.problems.append(Problem(label, None, "no Slack export files in it (users.json, channels.json…)"))
            return res
        _read(files, label, opts, res)
    finally:
        files.close()
    return res


def _list(files: _Files, rel: str, res: ReadResult) -> list:
    """An index file's list, or [] (a JSON that is not a list is named)."""
    data = files.load(rel)
    if data is None:
        return []
    if not isinstance(data, list):
        res.problems.append(Problem(files.where(rel), None, f"not a list (a {type(data).__name__}): skipped"))
        return []
    return data


def _read(files: _Files, label: str, opts: ReadOptions, res: ReadResult) -> None:
    users: dict[str, dict] = {}
    if files.has("users.json"):
        bad = 0
        for i, u in enumerate(_list(files, "users.json", res)):
            if not (isinstance(u, dict) and isinstance(u.get("id"), str) and u["id"].strip()):
                bad += 1
                continue
            if u["id"] in users:
                res.problems.append(Problem(files.where("users.json"), None,
                                            f"user {u['id'][:40]!r} is listed twice: the first kept", fatal=False))
                continue
            prof = u.get("profile") if isinstance(u.get("profile"), dict) else {}
            users[u["id"]] = {"name": _user_name(u), "email": str(prof.get("email") or "").strip().lower(),
                              "bot": bool(u.get("is_bot") or u.get("is_app_user")) or u.get("id") == "USLACKBOT"}
        if bad:
            res.problems.append(Problem(files.where("users.json"), None,
                                        f"{bad} entr{'y' if bad == 1 else 'ies'} without a user id: skipped"))
    else:
        res.problems.append(Problem(files.where("users.json"), None,
                                    "missing: people are named from the messages only, without their e-mail"))
    convs: dict[str, dict] = {}   # folder -> {id, kind, name, members}
    for index, kind in (("channels.json", "channel"), ("groups.json", "channel"), ("dms.json", "dm"),
                        ("mpims.json", "mpim")):
        if not files.has(index):
            continue
        for c in _list(files, index, res):
            if not isinstance(c, dict):
                res.problems.append(Problem(files.where(index), None, "an entry that is not a conversation: skipped"))
                continue
            cid = str(c.get("id") or c.get("name") or "")
            raw = c.get("members")
            if raw is not None and not (isinstance(raw, list) and all(isinstance(x, str) for x in raw)):
                res.problems.append(Problem(files.where(index), None,
                                            f"conversation {cid[:40]!r}: members is not a list of user ids; "
                                            "its people are taken from the messages", fatal=False))
                raw = []
            members = list(raw or [])
            folder = str(c.get("name") or cid) if kind != "dm" else cid
            convs[folder] = {"id": cid, "kind": kind if not (kind == "dm" and len(members) > 2) else "mpim",
                             "name": str(c.get("name") or ""), "members": members}
    # who you are
    me: set[str] = {uid for uid, u in users.items()
                    if (u["email"] and u["email"] in opts.me_emails) or name_key(u["name"]) in opts.me_names}
    if not me:
        dms = [set(c["members"]) for c in convs.values() if c["kind"] == "dm" and c["members"]]
        common = set.intersection(*dms) if dms else set()
        if len(common) == 1 and len(dms) > 1:
            me = common
            res.notes.append(f"{label}: you were taken to be {users.get(next(iter(me)), {}).get('name', next(iter(me)))}"
                             " (in every direct message); set [me] emails in config.toml or pass --me")
    # day files per folder
    by_folder: dict[str, list[tuple[date, str]]] = {}
    for n in files.names:
        rel = files.rel(n)
        folder, _, fname = rel.rpartition("/")
        m = _DAY_FILE.match(fname)
        if folder and "/" not in folder and m:
            try:
                by_folder.setdefault(folder, []).append((date(int(m[1]), int(m[2]), int(m[3])), rel))
            except ValueError:
                continue
    if not me and any(convs.get(f, {}).get("kind", "channel") == "channel" for f in by_folder):
        res.notes.append(f"{label}: who you are is not known, so channels were not read (only direct and group "
                         "messages); set [me] emails in config.toml or pass --me")
    for folder, days in sorted(by_folder.items()):
        conv = convs.get(folder) or {"id": folder, "kind": "channel", "name": folder, "members": []}
        if conv["kind"] == "channel" and not me:
            res.skip("Slack channels (who you are is not known)")
            continue
        msgs = []
        for _day, rel in sorted(days):
            data = files.load(rel)
            if data is None:
                continue
            if not isinstance(data, list):
                res.problems.append(Problem(files.where(rel), None, "not a list of messages: skipped"))
                continue
            for m in data:
                if not isinstance(m, dict):
                    res.problems.append(Problem(files.where(rel), None, "an entry that is not a message: skipped"))
                    continue
                sub = m.get("subtype")
                if not (sub is None or isinstance(sub, str)) or not isinstance(m.get("user"), (str, type(None))):
                    res.problems.append(Problem(files.where(rel), None, "a message with a malformed subtype or user: "
                                                                        "skipped"))
                    continue
                uid = str(m.get("user") or "")
                if sub not in _TALK or not uid or (m.get("bot_id") and not uid) or users.get(uid, {}).get("bot"):
                    res.skip("Slack bot messages, joins and other non-messages")
                    continue
                ts = m.get("ts")
                try:
                    if isinstance(ts, bool) or not isinstance(ts, (str, int, float)):
                        raise TypeError
                    when = datetime.fromtimestamp(float(ts))
                except (TypeError, ValueError, OverflowError, OSError):
                    res.problems.append(Problem(files.where(rel), None, "a message with no usable ts: skipped"))
                    continue
                if not (_EARLIEST <= when.date() <= opts.today + timedelta(days=1)):
                    res.problems.append(Problem(files.where(rel), None,
                                                f"a message dated {when.date().isoformat()} (ts {str(ts)[:30]}): "
                                                "not a plausible Slack date, skipped"))
                    continue
                if uid not in users:
                    prof = m.get("user_profile") if isinstance(m.get("user_profile"), dict) else {}
                    users[uid] = {"name": _user_name({"id": uid, "profile": prof, "real_name": prof.get("real_name"),
                                                      "name": prof.get("name")}), "email": "", "bot": False}
                msgs.append((when, uid, str(m.get("text") or "")))
        _touches(conv, msgs, users, me, opts, res)


def _person(uid: str, users: dict, messages: int = 0) -> Person:
    u = users.get(uid) or {"name": uid, "email": ""}
    return Person(name=u["name"], handles=[("email", u["email"])] if u["email"] else [], match_name=True,
                  messages=messages)


def _touches(conv: dict, msgs: list, users: dict, me: set[str], opts: ReadOptions, res: ReadResult) -> None:
    days: dict[date, list] = {}
    for item in sorted(msgs, key=lambda x: x[0]):
        if opts.since and item[0].date() < opts.since:
            continue
        days.setdefault(item[0].date(), []).append(item)
    kind = conv["kind"]
    for day, items in days.items():
        wrote: dict[str, int] = {}
        for _w, uid, _t in items:
            wrote[uid] = wrote.get(uid, 0) + 1
        if kind == "channel":
            if not (set(wrote) & me):
                res.skip("Slack channel days you did not write on")
                continue
            people = [u for u in wrote if u not in me]
        elif kind == "mpim":
            people = [u for u in dict.fromkeys([*conv["members"], *wrote]) if u not in me]
        else:
            people = [u for u in dict.fromkeys([*conv["members"], *wrote]) if u not in me]
        if not people:
            res.skip("days with only your own messages")
            continue
        first_when, first, first_text = items[0]
        n = len(items)
        what = {"channel": f"Slack #{conv['name']}", "mpim": "Slack group DM"}.get(kind, "Slack DM")
        res.touches.append(TouchRecord(
            source=import_key("chat", f"slack:{conv['id']}:{day.isoformat()}"), line=None, day=day,
            at=time(first_when.hour, first_when.minute), channel="message", platform="slack", direction="out",
            summary=f"{what}: {n} message{'s' if n != 1 else ''}", notes=first_text[:300], participants=[],
            people=[_person(u, users, wrote.get(u, 0)) for u in people],
            first=_person(first, users) if first not in me else Person()))


READER = Reader("slack", "Slack workspace export (.zip or its folder)", read_slack, _sniff, (), folders=True)
