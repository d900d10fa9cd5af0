"""Readers for the CSV exports people have: LinkedIn (connections, messages), Google, Outlook."""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date, datetime, time, timezone

from netjournal.errors import UserError
from netjournal.formats.records import ContactRecord, Problem, TouchRecord
from netjournal.formats.textio import csv_rows as _csv_rows
from netjournal.formats.textio import parse_loose_date, sniff_delimiter


def _open_quote_at_end(text: str, delim: str = ",") -> bool:
    """True when the text ends inside a quoted cell (a quote that is never closed)."""
    inq = False
    at_start = True      # at the start of a cell: only there does a quote open one
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if inq:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 2
                    continue
                inq = False
        elif ch == '"' and at_start:
            inq = True
            at_start = False
        else:
            at_start = ch in (delim, "\n", "\r")
        i += 1
    return inq


def _broken_record(text: str, header: list[str], rows: list[tuple[int, list[str]]]) -> int | None:
    """The line where a record with an unterminated quote starts, else None. Its sign: a quoted
    cell that holds a line break followed by a whole line as wide as the header (the next
    record, swallowed), or a file that ends inside a quote."""
    lines = text.splitlines(keepends=True)
    first = next((ln for ln in lines[:20] if ln.strip() and not ln.startswith('"') and ":" not in ln[:10]), "")
    delim = sniff_delimiter(first) if first else ","  # as csv_rows picks it
    width = len(header)
    if width >= 3:
        for start, cells in rows:
            for cell in cells:
                if "\n" not in cell and "\r" not in cell:
                    continue
                for part in cell.splitlines()[1:]:
                    if part.count(delim) >= width - 1 and len(next(csv.reader([part], delimiter=delim), [])) == width:
                        return start
    if rows:
        start = rows[-1][0]
        if _open_quote_at_end("".join(lines[start - 1:]), delim):
            return start
    return None


def _rows(text: str, source: str, skip_until=None) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """``csv_rows`` that survives an unterminated quote: without this the open quote makes one
    cell of the whole rest of the file (one contact named with every line after it). The line
    where the broken record starts is reported and left out, and the rows after it are read."""
    problems: list[Problem] = []
    for _ in range(1000):
        header, rows = _csv_rows(text, skip_until=skip_until)
        start = _broken_record(text, header, rows)
        if start is None:
            return header, rows, problems
        lines = text.splitlines(keepends=True)
        shown = "".join(ch if ch.isprintable() else "?" for ch in lines[start - 1].strip())
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        problems.append(Problem(source, start, f"a quote (\") that is never closed: this line was skipped "
                                f"({shown!r}); the rows after it were read"))
        # blank that line (line numbers stay right) and read again
        lines[start - 1] = "\n"
        text = "".join(lines)
    raise UserError(f"{source}: not a readable CSV file (too many unterminated quotes)")

def _norm_header(h: str) -> str:
    return " ".join(h.strip().lstrip("\ufeff").lower().split())


def _get(row: list[str], idx: dict[str, int], *names: str) -> str:
    for n in names:
        i = idx.get(n)
        if i is not None and i < len(row):
            v = row[i].strip()
            if v:
                return v
    return ""


def _index(header: list[str]) -> dict[str, int]:
    idx: dict[str, int] = {}
    for i, h in enumerate(header):
        idx.setdefault(_norm_header(h), i)
    return idx


def _split_name(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".split())


# ----------------------------------------------------------------------------- LinkedIn connections

def _is_connections_header(cells: list[str]) -> bool:
    low = [_norm_header(c) for c in cells]
    return "first name" in low and "last name" in low and ("connected on" in low or "company" in low)


def read_linkedin_connections(text: str, source: str) -> tuple[list[ContactRecord], list[Problem]]:
    header, rows, problems = _rows(text, source, skip_until=_is_connections_header)
    if not header:
        return [], [Problem(source, None, "no 'First Name,Last Name,…' header: not a LinkedIn Connections.csv")]
    idx = _index(header)
    out: list[ContactRecord] = []
    for line, row in rows:
        first, last = _get(row, idx, "first name"), _get(row, idx, "last name")
        url, email = _get(row, idx, "url", "profile url"), _get(row, idx, "email address", "email")
        name = _split_name(first, last) or email or url
        if not name:
            problems.append(Problem(source, line, "a connection without a name or profile: skipped"))
            continue
        rec = ContactRecord(source=source, line=line, name=name, given_name=first, family_name=last,
                            company=_get(row, idx, "company"), role=_get(row, idx, "position"))
        if url:
            rec.add_handle("linkedin", url)
        if email:
            rec.add_handle("email", email)
        connected = _get(row, idx, "connected on")
        if connected:
            try:
                rec.met_on = parse_loose_date(connected)
                rec.met_how = "LinkedIn connection"
            except (ValueError, OverflowError):
                problems.append(Problem(source, line, f"'Connected On' {connected!r} is not a date; left empty",
                                        fatal=False))
        out.append(rec)
    return out, problems


# ----------------------------------------------------------------------------- LinkedIn messages

def _split_people(names: str, urls: str) -> list[tuple[str, str]]:
    url_list = [u for u in re.split(r"[\s,;]+", urls or "") if u]
    name_list = [n.strip() for n in (names or "").split(",") if n.strip()]
    if url_list and len(name_list) != len(url_list):
        # names holding commas: trust the URLs, keep the names only when they line up
        name_list = [names.strip()] if len(url_list) == 1 else [""] * len(url_list)
    if not url_list:
        return [(n, "") for n in name_list]
    return list(zip(name_list, url_list))


def _person_key(name: str, url: str) -> str:
    if url:
        from netjournal.store.validate import handle_norm

        return "u:" + handle_norm("linkedin", url)
    return "n:" + " ".join(name.lower().split())


def _parse_utc(s: str) -> datetime:
    s = s.strip()
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(UTC|Z|[+-]\d{2}:?\d{2})?", s)
    if m:
        dt = datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}")
        zone = m.group(3)
        if zone and zone not in ("UTC", "Z"):
            z = zone.replace(":", "")
            from datetime import timedelta

            off = timedelta(hours=int(z[1:3]), minutes=int(z[3:5])) * (1 if z[0] == "+" else -1)
            return dt.replace(tzinfo=timezone(off))
        return dt.replace(tzinfo=timezone.utc)
    d = parse_loose_date(s)
    if d is None:
        raise ValueError("empty date")
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def read_linkedin_messages(text: str, source: str) -> tuple[list[TouchRecord], list[Problem], dict]:
    """One touch per conversation per local day. Returns (touches, problems, info)."""
    header, rows, problems = _rows(text, source,
                                   skip_until=lambda c: "conversation id" in [_norm_header(x) for x in c])
    if not header:
        return [], [Problem(source, None, "no 'CONVERSATION ID,…' header: not a LinkedIn messages.csv")], {}
    idx = _index(header)
    msgs = []
    for line, row in rows:
        conv = _get(row, idx, "conversation id")
        sender = (_get(row, idx, "from"), _get(row, idx, "sender profile url"))
        recips = _split_people(_get(row, idx, "to"), _get(row, idx, "recipient profile urls"))
        raw_date = _get(row, idx, "date")
        if not conv or not raw_date or not (sender[0] or sender[1]):
            problems.append(Problem(source, line, "a message without conversation, sender or date: skipped"))
            continue
        try:
            when = _parse_utc(raw_date).astimezone()  # the user's local day
        except (ValueError, OverflowError):
            problems.append(Problem(source, line, f"message date {raw_date!r} not understood: skipped"))
            continue
        msgs.append(dict(line=line, conv=conv, title=_get(row, idx, "conversation title"), sender=sender,
                         recips=recips, when=when, subject=_get(row, idx, "subject"),
                         content=_get(row, idx, "content"), folder=_get(row, idx, "folder").upper()))
    if not msgs:
        return [], problems, {}
    # The export's owner is in every conversation.
    conv_people: dict[str, set[str]] = defaultdict(set)
    names: dict[str, tuple[str, str]] = {}
    sent_by: Counter = Counter()
    seen: Counter = Counter()
    for m in msgs:
        for nm, url in [m["sender"], *m["recips"]]:
            k = _person_key(nm, url)
            conv_people[m["conv"]].add(k)
            seen[k] += 1
            if nm or k not in names:
                names[k] = (nm or names.get(k, ("", ""))[0], url)
        if m["folder"] == "SENT":
            sent_by[_person_key(*m["sender"])] += 1
    common = set.intersection(*conv_people.values())
    if not common:
        problems.append(Problem(source, None, "cannot tell whose export this is (nobody is in every "
                                "conversation): no messages imported"))
        return [], problems, {}
    owner = sorted(common, key=lambda k: (-sent_by[k], -seen[k], k))[0]
    groups: dict[tuple[str, date], list[dict]] = defaultdict(list)
    for m in msgs:
        groups[(m["conv"], m["when"].date())].append(m)
    touches: list[TouchRecord] = []
    for (conv, day), ms in groups.items():
        ms.sort(key=lambda m: m["when"])
        from_owner = [_person_key(*m["sender"]) == owner for m in ms]
        direction = "out" if all(from_owner) else "in" if not any(from_owner) else "mutual"
        others: dict[str, tuple[str, str]] = {}
        for m in ms:
            for nm, url in [m["sender"], *m["recips"]]:
                k = _person_key(nm, url)
                if k != owner:
                    others.setdefault(k, names.get(k, (nm, url)))
        if not others:
            continue
        first = ms[0]
        subject = first["subject"] or first["title"]
        snippet = " ".join(first["content"].split())
        summary = subject or (snippet[:117] + "…" if len(snippet) > 120 else snippet) or "LinkedIn message"
        lines = []
        for m in ms:
            who = "me" if _person_key(*m["sender"]) == owner else (m["sender"][0] or m["sender"][1])
            body = m["content"].replace("\r\n", "\n").strip()
            head = f"{m['when'].strftime('%H:%M')} {who}" + (f" — {m['subject']}" if m["subject"] and m is not first else "")
            lines.append(f"{head}: {body}" if "\n" not in body else f"{head}:\n{body}")
        touches.append(TouchRecord(
            source=f"linkedin-msg:{conv}:{day.isoformat()}"[:300], line=first["line"], day=day,
            at=time(first["when"].hour, first["when"].minute), channel="message", platform="linkedin",
            direction=direction, summary=summary[:500], notes="\n".join(lines), participants=list(others.values())))
    touches.sort(key=lambda t: (t.day, t.at or time.min, t.source))
    return touches, problems, {"owner": names.get(owner, ("", ""))[0] or names.get(owner, ("", ""))[1]}


# ----------------------------------------------------------------------------- Google Contacts

_GROUP_RE = re.compile(r"^(e-mail|phone|address|website|event|relation|im|custom field|organization|external id|"
                       r"calendar link|jot|location|user defined field)\s+(\d+)\s+-\s+(.+)$")
GOOGLE_SYSTEM_LABELS = {"mycontacts", "my contacts", "starred", "other contacts", "imported on"}


def _multi(v: str) -> list[str]:
    return [x.strip() for x in v.split(":::") if x.strip()]


def _tags_from_labels(v: str) -> list[str]:
    out = []
    for lab in _multi(v):
        lab = lab.lstrip("* ").strip()
        if lab.lower() in ("mycontacts", "my contacts") or lab.lower().startswith("imported on"):
            continue
        out.append(lab)
    return out


def _add_date(rec: ContactRecord, kind: str, raw: str, label: str, problems: list[Problem], line: int) -> None:
    from netjournal.formats.vcard import parse_date_value

    try:
        mon, day, year = parse_date_value(raw)
    except ValueError:
        rec.add_note(f"{(label or kind).capitalize()}: {raw}")
        problems.append(Problem(rec.source, line, f"{kind} {raw!r} is not a date; kept in the notes", fatal=False))
        return
    rec.add_date(kind, mon, day, year, label)


def read_google(text: str, source: str) -> tuple[list[ContactRecord], list[Problem]]:
    from netjournal.store.validate import guess_handle_kind

    header, rows, problems = _rows(text, source)
    idx = _index(header)
    groups: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for h, i in idx.items():
        m = _GROUP_RE.match(h)
        if m:
            groups[m.group(1)][m.group(2)][m.group(3)] = i
    out: list[ContactRecord] = []

    def cell(row, i):
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in rows:
        first = _get(row, idx, "first name", "given name")
        middle = _get(row, idx, "middle name", "additional name")
        last = _get(row, idx, "last name", "family name")
        prefix, suffix = _get(row, idx, "name prefix"), _get(row, idx, "name suffix")
        nick = _get(row, idx, "nickname")
        rec = ContactRecord(source=source, line=line, given_name=first, family_name=last, nickname=nick)
        name = _get(row, idx, "name") or " ".join(x for x in (prefix, first, middle, last, suffix) if x)
        for g in sorted(groups.get("organization", {}), key=int):
            f = groups["organization"][g]
            rec.company = rec.company or cell(row, f.get("name"))
            rec.role = rec.role or cell(row, f.get("title"))
        rec.company = _get(row, idx, "organization name") or rec.company
        rec.role = _get(row, idx, "organization title") or rec.role or _get(row, idx, "occupation")
        dept = _get(row, idx, "organization department")
        for kind_col, kind in (("e-mail", "email"), ("phone", "phone"), ("website", None), ("im", "other")):
            for g in sorted(groups.get(kind_col, {}), key=int):
                f = groups[kind_col][g]
                label = cell(row, f.get("label") or f.get("type")).lstrip("* ").strip()
                for val in _multi(cell(row, f.get("value"))):
                    k = kind
                    if k is None:
                        k = guess_handle_kind(val)
                        if k not in ("linkedin", "x", "github", "bluesky", "facebook", "instagram", "mastodon"):
                            k = "website"
                    if kind_col == "im":
                        label = label or cell(row, f.get("service"))
                    rec.add_handle(k, val, label[:100])
        for g in sorted(groups.get("address", {}), key=int):
            f = groups["address"][g]
            label = cell(row, f.get("label") or f.get("type")).lstrip("* ").strip()
            formatted = cell(row, f.get("formatted"))
            if formatted:
                vals = _multi(formatted)
            else:
                parts = [cell(row, f.get(k)) for k in ("street", "extended address", "po box", "city", "region",
                                                       "postal code", "country")]
                vals = [", ".join(p for p in parts if p)] if any(parts) else []
            for val in vals:
                rec.add_handle("address", ", ".join(x.strip() for x in val.splitlines() if x.strip())[:500], label[:100])
        bday = _get(row, idx, "birthday")
        if bday:
            _add_date(rec, "birthday", bday, "", problems, line)
        for g in sorted(groups.get("event", {}), key=int):
            f = groups["event"][g]
            label = cell(row, f.get("label") or f.get("type")).lstrip("* ").strip()
            for val in _multi(cell(row, f.get("value"))):
                if label.lower() == "anniversary":
                    _add_date(rec, "anniversary", val, "", problems, line)
                else:
                    _add_date(rec, "custom", val, label[:200], problems, line)
        notes = _get(row, idx, "notes")
        if notes:
            rec.add_note(notes.replace("\r\n", "\n"))
        extra = []
        if dept:
            extra.append(f"Department: {dept}")
        for g in sorted(groups.get("relation", {}), key=int):
            f = groups["relation"][g]
            label = cell(row, f.get("label") or f.get("type")).lstrip("* ").strip() or "Related"
            for val in _multi(cell(row, f.get("value"))):
                extra.append(f"{label}: {val}")
        for g in sorted(groups.get("custom field", {}), key=int):
            f = groups["custom field"][g]
            label = cell(row, f.get("label") or f.get("type")) or "Field"
            for val in _multi(cell(row, f.get("value"))):
                extra.append(f"{label}: {val}")
        if extra:
            rec.add_note("\n".join(extra))
        rec.tags = _tags_from_labels(_get(row, idx, "labels", "group membership"))
        name = name or _get(row, idx, "file as") or nick or rec.company
        if _named(rec, name, problems, source, line):
            out.append(rec)
    return out, problems


def _named(rec, name: str, problems: list, source: str, line: int) -> bool:
    """Give the record its name (else its first email or phone); False, with a problem noted,
    when it has none of them."""
    if not name:
        name = next((h[1] for h in rec.handles if h[0] in ("email", "phone")), "")
    rec.name = " ".join(name.split())
    if not rec.name:
        problems.append(Problem(source, line, "a contact without a name, email or phone: skipped"))
    return bool(rec.name)


# ----------------------------------------------------------------------------- Outlook

# English headers and the German/French/Spanish ones Outlook writes in those languages.
OUTLOOK_ALIASES = {
    "title": ["title", "anrede", "titre", "tratamiento"],
    "first name": ["first name", "vorname", "prénom", "nombre"],
    "middle name": ["middle name", "weitere vornamen", "deuxième prénom", "segundo nombre"],
    "last name": ["last name", "nachname", "nom", "apellidos"],
    "suffix": ["suffix", "suffix", "suffixe", "sufijo"],
    "company": ["company", "firma", "société", "organización", "compañía"],
    "department": ["department", "abteilung", "service", "departamento"],
    "job title": ["job title", "position", "fonction", "puesto"],
    "birthday": ["birthday", "geburtstag", "anniversaire", "cumpleaños"],
    "anniversary": ["anniversary", "jahrestag", "anniversaire de mariage", "aniversario"],
    "categories": ["categories", "kategorien", "catégories", "categorías"],
    "notes": ["notes", "notizen", "notes", "notas"],
    "web page": ["web page", "webseite", "page web", "página web"],
    "personal web page": ["personal web page", "persönliche webseite"],
    "nickname": ["nickname", "spitzname", "surnom", "alias"],
    "e-mail address": ["e-mail address", "e-mail-adresse", "adresse de messagerie", "dirección de correo electrónico"],
    "e-mail 2 address": ["e-mail 2 address", "e-mail 2: adresse", "adresse de messagerie 2"],
    "e-mail 3 address": ["e-mail 3 address", "e-mail 3: adresse", "adresse de messagerie 3"],
    "e-mail type": ["e-mail type", "e-mail-typ"],
    "spouse": ["spouse", "partner", "conjoint", "cónyuge"],
    "children": ["children", "kinder", "enfants", "hijos"],
    "manager's name": ["manager's name", "name des vorgesetzten"],
    "assistant's name": ["assistant's name", "name assistent"],
    "profession": ["profession", "beruf"],
}
OUTLOOK_PHONES = {
    "business phone": "work", "business phone 2": "work", "home phone": "home", "home phone 2": "home",
    "mobile phone": "cell", "car phone": "car", "primary phone": "main", "company main phone": "company",
    "other phone": "other", "pager": "pager", "business fax": "work fax", "home fax": "home fax",
    "other fax": "fax", "assistant's phone": "assistant", "callback": "callback", "radio phone": "radio",
    "isdn": "isdn", "tty/tdd phone": "tty", "telefon geschäftlich": "work", "telefon privat": "home",
    "mobiltelefon": "cell", "téléphone bureau": "work", "téléphone domicile": "home", "tél. mobile": "cell",
    "teléfono del trabajo": "work", "teléfono particular": "home", "teléfono móvil": "cell",
}
OUTLOOK_ADDRESSES = {"business": "work", "home": "home", "other": "other",
                     "geschäftlich": "work", "privat": "home"}


def read_outlook(text: str, source: str) -> tuple[list[ContactRecord], list[Problem]]:
    header, rows, problems = _rows(text, source)
    idx = _index(header)
    col = {k: next((idx[a] for a in aliases if a in idx), None) for k, aliases in OUTLOOK_ALIASES.items()}
    dayfirst = any(h in idx for h in ("vorname", "prénom", "nombre"))
    out: list[ContactRecord] = []

    def g(row, key):
        i = col.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in rows:
        first, middle, last = g(row, "first name"), g(row, "middle name"), g(row, "last name")
        rec = ContactRecord(source=source, line=line, given_name=first, family_name=last,
                            nickname=g(row, "nickname"), company=g(row, "company"), role=g(row, "job title"))
        for key in ("e-mail address", "e-mail 2 address", "e-mail 3 address"):
            val = g(row, key)
            if val and "@" in val and not val.startswith("/"):
                rec.add_handle("email", val)
        for h, i in idx.items():
            if h in OUTLOOK_PHONES and i < len(row) and row[i].strip():
                rec.add_handle("phone", row[i].strip(), OUTLOOK_PHONES[h])
        for prefix, label in OUTLOOK_ADDRESSES.items():
            parts = []
            for suffix in ("street", "street 2", "street 3", "po box", "city", "state", "postal code",
                           "country/region", "country"):
                i = idx.get(f"{prefix} {suffix}")
                if i is not None and i < len(row) and row[i].strip():
                    parts.append(" ".join(row[i].split()))
            if parts:
                rec.add_handle("address", ", ".join(parts)[:500], label)
        for key in ("web page", "personal web page"):
            val = g(row, key)
            if val:
                from netjournal.store.validate import guess_handle_kind

                k = guess_handle_kind(val)
                rec.add_handle(k if k in ("linkedin", "x", "github", "bluesky", "facebook", "instagram") else "website",
                               val, "personal" if key.startswith("personal") else "")
        for key, kind in (("birthday", "birthday"), ("anniversary", "anniversary")):
            raw = g(row, key)
            if not raw:
                continue
            try:
                d = parse_loose_date(raw, dayfirst=dayfirst)
            except (ValueError, OverflowError):
                rec.add_note(f"{kind.capitalize()}: {raw}")
                problems.append(Problem(source, line, f"{kind} {raw!r} is not a date; kept in the notes", fatal=False))
                continue
            if d is not None:
                rec.add_date(kind, d.month, d.day, None if d.year in (1604, 4501) else d.year)
        notes = g(row, "notes")
        if notes:
            rec.add_note(notes.replace("\r\n", "\n"))
        extra = []
        for key, label in (("department", "Department"), ("profession", "Profession"), ("spouse", "Spouse"),
                           ("children", "Children"), ("manager's name", "Manager"), ("assistant's name", "Assistant")):
            val = g(row, key)
            if val:
                extra.append(f"{label}: {val}")
        if extra:
            rec.add_note("\n".join(extra))
        cats = g(row, "categories")
        rec.tags = [c.strip() for c in re.split(r"[;,]", cats) if c.strip()] if cats else []
        name = " ".join(x for x in (g(row, "title"), first, middle, last, g(row, "suffix")) if x)
        name = name if (first or last) else ""
        if _named(rec, name or rec.nickname or rec.company, problems, source, line):
            out.append(rec)
    return out, problems
