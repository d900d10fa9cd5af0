"""A tolerant vCard 2.1 / 3.0 / 4.0 reader and a 3.0 / 4.0 writer.

Why not vobject: on real exports it drops the text after an unescaped comma in FN and NOTE,
does not decode lowercase ``quoted-printable``, needs ``allowQP`` for 2.1 soft line breaks
and raises on many device quirks, and it is too slow for 10,000 cards in a few seconds. This
reader is written for what phones and mail clients really produce:

* CR CR LF, CR, LF and mixed line endings; 3.0/4.0 folding (one space or tab removed) and
  2.1 folding (the whitespace kept); 2.1 base64 bodies that are not folded;
* quoted-printable in any case, with soft line breaks, decoded to bytes *before* the
  charset so a UTF-8 sequence split across a soft break survives;
* ``item1.`` groups with ``X-ABLabel``; bare 2.1 parameters (``TEL;CELL;PREF``); quoted
  parameter values; repeated ``type=`` parameters;
* birthdays with or without a year (``--0415``, ``--04-15``, ``1604``/``X-APPLE-OMIT-YEAR``),
  ``X-ABDATE``, Outlook/Evolution/Thunderbird anniversaries;
* every field a user would miss kept: fields netjournal has no column for (departments,
  extra titles, spouse and other related names, unreadable dates) go into the notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timezone

from netjournal.formats.records import ContactRecord, Problem

# ----------------------------------------------------------------------------- lines

_QP_RE = re.compile(r"quoted-printable", re.I)


@dataclass(slots=True)
class Prop:
    group: str
    name: str
    params: dict[str, list[str]]
    value: str            # raw value (QP already decoded to text; escapes not yet undone)
    line: int


@dataclass
class Card:
    line: int
    props: list[Prop]
    version: str = "3.0"
    ended: bool = True


def _normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return text


# A line that starts a property: what ends a quoted-printable value whose last line ends in
# a soft break "=" (a broken export), instead of being pulled into it.
_PROP_START = re.compile(
    r"(?:[A-Za-z0-9-]+\.)?(?:BEGIN|END|VERSION|N|FN|TEL|EMAIL|ADR|LABEL|ORG|TITLE|ROLE|NOTE|BDAY|URL|PHOTO|"
    r"LOGO|SOUND|KEY|UID|REV|NICKNAME|CATEGORIES|GEO|TZ|IMPP|ANNIVERSARY|GENDER|KIND|LANG|MEMBER|RELATED|"
    r"SOURCE|PRODID|CLASS|AGENT|MAILER|SORT-STRING|X-[A-Za-z0-9-]+)[;:]", re.I)


def _qp_head(head: str) -> bool:
    return bool(_QP_RE.search(head)) if "=" in head or "QUOTED" in head.upper() else False


def logical_lines(text: str):
    """Yield (first physical line number, logical line) after unfolding.

    RFC 6350 3.2: a continuation line starts with a space or a TAB and a fold may fall
    anywhere, even inside a parameter name (``TEL;TY`` / ``<TAB>PE=CELL:…``)."""
    lines = _normalize_newlines(text).split("\n")
    cur: list[str] | None = None
    cur_no = 0
    cur_qp = False
    head_open = False   # the property's name and parameters are not complete yet (no ':' so far)
    v21 = False
    for idx, raw in enumerate(lines, 1):
        if cur is not None:
            if cur_qp and cur[-1].endswith("=") and not _PROP_START.match(raw):
                cur[-1] = cur[-1][:-1]
                cur.append(raw)  # a soft line break: the next line's spaces are text
                continue
            if raw[:1] in (" ", "\t"):
                # 2.1 folds keep the whitespace (it was there before the fold), except inside
                # the name and parameters, where whitespace cannot be
                cur.append(raw if v21 and not head_open else raw[1:])
                if head_open and ":" in raw:
                    head_open = False
                    cur_qp = _qp_head("".join(cur).split(":", 1)[0])
                continue
            nxt = lines[idx] if idx < len(lines) else ""
            if raw and ":" not in raw and not head_open and nxt[:1] not in (" ", "\t"):
                cur.append(raw)  # an unfolded 2.1 base64 line, or a broken fold: keep it
                continue
            logical = "".join(cur)
            yield cur_no, logical
            if len(logical) < 20:
                up = logical.upper()
                if up.startswith("VERSION:"):
                    v21 = up.startswith("VERSION:2")
                elif up.startswith("BEGIN:VCARD"):
                    v21 = False
            cur = None
        if not raw.strip():
            continue
        cur = [raw]
        cur_no = idx
        head_open = ":" not in raw
        cur_qp = _qp_head(raw.split(":", 1)[0])
    if cur is not None:
        yield cur_no, "".join(cur)


_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}


def parse_prop(line_no: int, s: str) -> Prop:
    colon = s.find(":")
    if colon < 0:
        raise ValueError("a line without ':'")
    head = s[:colon]
    if '"' in head:
        # quoted parameter values may hold ';' and ':'
        parts, start, inq, i = [], 0, False, 0
        while i < len(s):
            ch = s[i]
            if ch == '"':
                inq = not inq
            elif not inq and ch == ";":
                parts.append(s[start:i])
                start = i + 1
            elif not inq and ch == ":":
                parts.append(s[start:i])
                value = s[i + 1:]
                break
            i += 1
        else:
            raise ValueError("a line without ':'")
    else:
        parts = head.split(";")
        value = s[colon + 1:]
    name = parts[0].strip()
    group = ""
    if "." in name:
        group, name = name.rsplit(".", 1)
    name = name.upper()
    if not name:
        raise ValueError("a property without a name")
    params: dict[str, list[str]] = {}
    for p in parts[1:]:
        if not p:
            continue
        if "=" in p:
            k, val = p.split("=", 1)
            k = k.strip().upper()
            vals = [x.strip().strip('"') for x in _split_param_values(val)]
        else:
            val = p.strip()
            k = "ENCODING" if val.upper() in _BARE_ENCODINGS else "TYPE"
            vals = [val]
        params.setdefault(k, []).extend(x for x in vals if x)
    enc = params.get("ENCODING")
    if enc and enc[0].lower() == "quoted-printable":
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        value = qp_decode(value, charset)
    return Prop(group, name, params, value, line_no)


def _split_param_values(val: str) -> list[str]:
    if '"' not in val:
        return val.split(",")
    out, cur, inq = [], [], False
    for ch in val:
        if ch == '"':
            inq = not inq
        elif ch == "," and not inq:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


_HEX = set("0123456789abcdefABCDEF")


def qp_decode(value: str, charset: str = "utf-8") -> str:
    """Quoted-printable to text: bytes first, then the charset (UTF-8 split across breaks works)."""
    cs = charset.strip().lower() or "utf-8"
    try:
        "".encode(cs)
    except LookupError:
        cs = "utf-8"
    out = bytearray()
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch == "=" and i + 2 < n + 1 and value[i + 1:i + 2] in _HEX and value[i + 2:i + 3] in _HEX and i + 2 < n:
            out.append(int(value[i + 1:i + 3], 16))
            i += 3
            continue
        if ch == "=" and i == n - 1:  # a trailing soft break
            i += 1
            continue
        try:
            out += ch.encode(cs)
        except UnicodeEncodeError:
            out += ch.encode("utf-8")
        i += 1
    try:
        return out.decode(cs)
    except UnicodeDecodeError:
        pass
    # A stray byte in otherwise valid UTF-8 (phones do this): replace that byte only.
    loose = out.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    if bad <= 2 or bad * 10 < sum(1 for ch in loose if ord(ch) > 127):
        return loose
    return out.decode("cp1252", errors="replace")


def split_cards(text: str) -> tuple[list[Card], list[Problem]]:
    """Cards in the file. A BEGIN:VCARD inside an open card is an embedded card only right
    after an empty ``AGENT:`` (vCard 2.1); anywhere else the open card lost its END:VCARD: it
    is reported (not imported) and the new card is read, so one damaged card never swallows
    the cards after it."""
    cards: list[Card] = []
    problems: list[Problem] = []
    cur: Card | None = None
    depth = 0
    for no, line in logical_lines(text):
        up = line[:12].upper()
        if up.startswith("BEGIN:VCARD"):
            if cur is not None:
                last = cur.props[-1] if cur.props else None
                if depth or (last is not None and last.name == "AGENT" and not last.value.strip()):
                    depth += 1  # an embedded card (2.1 AGENT): skipped with its parent's lines
                    continue
                problems.append(Problem("", cur.line, f"the card has no END:VCARD before the next card "
                                        f"(line {no}): skipped; add the END:VCARD line and import again"))
            cur = Card(no, [])
            continue
        if up.startswith("END:VCARD"):
            if depth:
                depth -= 1
                continue
            if cur is not None:
                cards.append(cur)
                cur = None
            continue
        if cur is None or depth:
            continue
        try:
            p = parse_prop(no, line)
        except ValueError as exc:
            problems.append(Problem("", no, f"unreadable line skipped ({exc})", fatal=False))
            continue
        if p.name == "VERSION":
            cur.version = p.value.strip()
        cur.props.append(p)
    if cur is not None:
        cur.ended = False
        cards.append(cur)
    return cards, problems


# ----------------------------------------------------------------------------- values

_UNESC = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\", '"': '"', "'": "'"}


def unescape(s: str) -> str:
    if "\\" not in s:
        return s
    out, i, n = [], 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\" and i + 1 < n and s[i + 1] in _UNESC:
            out.append(_UNESC[s[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_escaped(s: str, sep: str) -> list[str]:
    """Split on ``sep`` not preceded by a backslash; parts keep their escapes."""
    if "\\" not in s:
        return s.split(sep)
    out, cur, i, n = [], [], 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\" and i + 1 < n:
            cur.append(s[i:i + 2])
            i += 2
            continue
        if ch == sep:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def components(value: str) -> list[str]:
    return [unescape(p).strip() for p in split_escaped(value, ";")]


_YEARLESS = re.compile(r"--(\d{2})-?(\d{2})")
_FULL = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def parse_date_value(value: str, params: dict | None = None) -> tuple[int, int, int | None]:
    """(month, day, year or None) of a vCard date; ValueError if it is not one."""
    s = value.strip()
    if "T" in s[4:]:
        s = s.split("T", 1)[0]
    omit = None
    if params and params.get("X-APPLE-OMIT-YEAR"):
        try:
            omit = int(params["X-APPLE-OMIT-YEAR"][0])
        except ValueError:
            omit = None
    m = _YEARLESS.fullmatch(s)
    if m:
        mon, day, year = int(m.group(1)), int(m.group(2)), None
    else:
        m = _FULL.fullmatch(s)
        if m:
            year, mon, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            from netjournal.formats.textio import parse_loose_date

            try:
                d = parse_loose_date(s)
            except (ValueError, OverflowError):
                d = None
            if d is None:
                raise ValueError(f"not a date: {value.strip()!r}")
            year, mon, day = d.year, d.month, d.day
    if year is not None and (year == omit or year in (0, 1604) or not 1 <= year <= 9999):
        year = None
    try:
        date(year or 2000, mon, day)
    except ValueError:
        raise ValueError(f"no such date: {value.strip()!r}") from None
    return mon, day, year


# ----------------------------------------------------------------------------- cards -> records

_DROP_TYPES = {"internet", "pref", "voice", "x400", "dom", "intl", "postal", "parcel", "msg", "x-", ""}
_SOCIAL_TYPES = {"twitter": "x", "x": "x", "linkedin": "linkedin", "facebook": "facebook", "github": "github",
                 "instagram": "instagram", "mastodon": "mastodon", "bluesky": "bluesky", "website": "website"}
_IM_PROPS = {"X-AIM": "AIM", "X-ICQ": "ICQ", "X-JABBER": "Jabber", "X-MSN": "MSN", "X-YAHOO": "Yahoo",
             "X-SKYPE": "Skype", "X-SKYPE-USERNAME": "Skype", "X-GTALK": "Google Talk", "X-QQ": "QQ",
             "X-GOOGLE-TALK": "Google Talk", "X-MS-IMADDRESS": "IM", "X-GADUGADU": "Gadu-Gadu"}
_RELATED = {"X-ABRELATEDNAMES": "", "X-EVOLUTION-SPOUSE": "Spouse", "X-MS-SPOUSE": "Spouse", "X-SPOUSE": "Spouse",
            "X-EVOLUTION-MANAGER": "Manager", "X-MS-MANAGER": "Manager", "X-MANAGER": "Manager",
            "X-EVOLUTION-ASSISTANT": "Assistant", "X-MS-ASSISTANT": "Assistant", "X-ASSISTANT": "Assistant",
            "RELATED": "Related", "X-MS-CHILD": "Child"}
_ANNIV = {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
NJ = "X-NETJOURNAL-"
NJ_FIELDS = {  # property suffix -> contact field
    "LOCATION": "location", "MET-HOW": "met_how", "MET-ON": "met_on", "TIER": "tier", "STAGE": "stage",
    "TARGET-PRIORITY": "target_priority", "TARGET-WHY": "target_why", "TARGET-OFFER": "target_offer",
    "RHYTHM-DAYS": "rhythm_days", "INTERESTS": "interests", "ASK-NEXT": "ask_next", "KIN": "kin",
    "ARCHIVED": "archived",
}


def clean_label(label: str) -> str:
    s = label.strip()
    m = re.fullmatch(r"_\$!<(.*)>!\$_", s)
    if m:
        s = m.group(1).lower()
    return s[:100]


def _type_label(params: dict) -> str:
    types = []
    for t in params.get("TYPE", ()):
        for part in t.split(","):
            p = part.strip().lower()
            if p and p not in _DROP_TYPES and p not in types:
                types.append(p)
    return " ".join(types)[:100]


def card_to_record(card: Card, source: str) -> tuple[ContactRecord | None, list[Problem]]:
    from netjournal.store.validate import guess_handle_kind

    rec = ContactRecord(source=source, line=card.line)
    problems: list[Problem] = []
    labels = {p.group.lower(): clean_label(unescape(p.value)) for p in card.props
              if p.name == "X-ABLABEL" and p.group}
    fn = ""
    n_parts: list[str] = []
    nicknames: list[str] = []
    notes: list[str] = []
    extra_lines: list[str] = []
    postal_labels: list[tuple[str, str]] = []
    has_adr = False
    org_seen = title_seen = False

    def label_of(p: Prop) -> str:
        if p.group and p.group.lower() in labels:
            return labels[p.group.lower()]
        return _type_label(p.params)

    for p in card.props:
        name = p.name
        try:
            if name == "FN":
                if not fn:
                    fn = " ".join(unescape(p.value).split())
            elif name == "N":
                if not n_parts:
                    n_parts = components(p.value)
            elif name == "NICKNAME":
                for nick in split_escaped(p.value, ","):
                    nick = " ".join(unescape(nick).split())
                    if nick and nick not in nicknames:
                        nicknames.append(nick)
            elif name == "ORG":
                comps = [c for c in components(p.value) if c]
                if not comps:
                    continue
                if not org_seen:
                    rec.company = comps[0]
                    if len(comps) > 1:
                        extra_lines.append("Department: " + ", ".join(comps[1:]))
                    org_seen = True
                else:
                    extra_lines.append("Organization: " + ", ".join(comps))
            elif name in ("TITLE", "ROLE"):
                val = " ".join(unescape(p.value).split())
                if not val:
                    continue
                if not title_seen:
                    rec.role = val
                    title_seen = True
                elif val != rec.role:
                    extra_lines.append(("Title: " if name == "TITLE" else "Role: ") + val)
            elif name == "EMAIL":
                val = unescape(p.value).strip().removeprefix("mailto:")
                rec.add_handle("email", val, label_of(p))
            elif name == "TEL":
                val = unescape(p.value).strip()
                if val.lower().startswith("tel:"):
                    val = val[4:]
                rec.add_handle("phone", val, label_of(p))
            elif name == "URL":
                val = unescape(p.value).strip()
                kind = guess_handle_kind(val)
                if kind not in ("linkedin", "x", "github", "bluesky", "facebook", "instagram", "mastodon"):
                    kind = "website"
                rec.add_handle(kind, val, label_of(p))
            elif name == "X-SOCIALPROFILE":
                val = unescape(p.value).strip()
                types = [t.lower() for t in p.params.get("TYPE", ())]
                kind = next((_SOCIAL_TYPES[t] for t in types if t in _SOCIAL_TYPES), None)
                if kind is None:
                    kind = (p.params.get("X-NETJOURNAL-KIND") or [""])[0].lower() or guess_handle_kind(val)
                    if kind in ("email", "phone"):
                        kind = "other"
                lab = labels.get(p.group.lower(), "") if p.group else ""
                if not lab and kind == "other" and types:
                    lab = types[0]
                rec.add_handle(kind, val, lab)
            elif name == NJ + "HANDLE":
                kind = (p.params.get("TYPE") or ["other"])[0].lower()
                rec.add_handle(kind, unescape(p.value).strip(), labels.get(p.group.lower(), "") if p.group else "")
            elif name == "IMPP":
                val = unescape(p.value).strip()
                scheme = val.split(":", 1)[0] if ":" in val else ""
                rec.add_handle("other", val, (label_of(p) or scheme)[:100])
            elif name in _IM_PROPS:
                rec.add_handle("other", unescape(p.value).strip(), label_of(p) or _IM_PROPS[name])
            elif name == "ADR":
                comps = components(p.value)
                parts = [" ".join(c.replace("\n", ", ").split()).strip(", ") for c in comps]
                # street first: pobox, extended, street, locality, region, code, country
                order = [2, 1, 0, 3, 4, 5, 6] if len(parts) >= 7 else list(range(len(parts)))
                val = ", ".join(parts[i] for i in order if i < len(parts) and parts[i])
                if val:
                    has_adr = True
                    rec.add_handle("address", val[:500], label_of(p))
            elif name == "LABEL":
                val = ", ".join(x.strip() for x in unescape(p.value).splitlines() if x.strip())
                if val:
                    postal_labels.append((val[:500], label_of(p)))
            elif name == "BDAY" or name in _ANNIV or name == "X-ABDATE" or name == NJ + "DATE":
                raw = unescape(p.value).strip()
                if not raw:
                    continue
                if name == "BDAY":
                    kind, lab = "birthday", ""
                elif name in _ANNIV:
                    kind, lab = "anniversary", ""
                else:
                    lab = labels.get(p.group.lower(), "") if p.group else ""
                    if lab.lower() == "anniversary":
                        kind, lab = "anniversary", ""
                    elif lab.lower() in ("birthday", "bday"):
                        kind, lab = "birthday", ""
                    else:
                        kind = "custom"
                njk = (p.params.get("X-NETJOURNAL-KIND") or [""])[0].lower()
                if njk in ("birthday", "anniversary", "custom"):
                    kind = njk
                    lab = labels.get(p.group.lower(), "") if p.group else ""
                try:
                    mon, day, year = parse_date_value(raw, p.params)
                except ValueError as exc:
                    extra_lines.append(f"{(lab or kind).capitalize()}: {raw}")
                    problems.append(Problem(source, p.line, f"{exc}; kept in the notes", fatal=False))
                    continue
                rec.add_date(kind, mon, day, year, lab)
            elif name == "NOTE":
                val = unescape(p.value).replace("\r\n", "\n").replace("\r", "\n")
                if val.strip() and val.strip() not in notes:
                    notes.append(val.strip("\n"))
            elif name == "CATEGORIES":
                for t in re.split(r",", unescape(p.value)):
                    t = " ".join(t.split())
                    if t and t.lower() not in (x.lower() for x in rec.tags):
                        rec.tags.append(t)
            elif name in _RELATED:
                val = " ".join(unescape(p.value).split())
                if val:
                    lab = labels.get(p.group.lower(), "") if p.group else ""
                    kind = (lab or _RELATED[name] or _type_label(p.params) or "Related")
                    extra_lines.append(f"{kind[:1].upper()}{kind[1:]}: {val}")
            elif name.startswith(NJ):
                key = NJ_FIELDS.get(name[len(NJ):])
                if key:
                    rec.extra[key] = unescape(p.value)
        except Exception as exc:  # noqa: BLE001 - one bad property never loses the card
            problems.append(Problem(source, p.line, f"{name} could not be read ({type(exc).__name__}); skipped",
                                    fatal=False))
    if not has_adr:
        for val, lab in postal_labels:
            rec.add_handle("address", val, lab)
    if n_parts:
        n_parts += [""] * (5 - len(n_parts))
        rec.family_name = n_parts[0]
        rec.given_name = n_parts[1]
    rec.nickname = ", ".join(nicknames)
    name = fn
    if not name and n_parts:
        name = " ".join(x for x in (n_parts[3], n_parts[1], n_parts[2], n_parts[0], n_parts[4]) if x)
    if not name:
        name = rec.nickname or rec.company
    if not name:
        first = next((h for h in rec.handles if h[0] in ("email", "phone")), None)
        name = first[1] if first else ""
    rec.name = " ".join(name.split())
    if notes:
        rec.about = "\n\n".join(notes)
    if extra_lines:
        rec.add_note("\n".join(extra_lines))
    if not rec.name:
        if not rec.handles and not rec.about:
            problems.append(Problem(source, card.line, "an empty card (no name, email or phone): skipped"))
        else:
            problems.append(Problem(source, card.line, "a card without a name, email or phone: skipped"))
        return None, problems
    if not card.ended:
        problems.append(Problem(source, card.line, "the card has no END:VCARD (the file may be cut short); "
                                "imported what was there", fatal=False))
    return rec, problems


def read_vcards(text: str, source: str) -> tuple[list[ContactRecord], list[Problem]]:
    cards, problems = split_cards(text)
    for pr in problems:
        pr.source = source
    if not cards:
        problems.append(Problem(source, None, "no BEGIN:VCARD found: not a vCard file"))
    records: list[ContactRecord] = []
    for card in cards:
        try:
            rec, probs = card_to_record(card, source)
        except Exception as exc:  # noqa: BLE001 - reported as a bad record, the rest go on
            rec, probs = None, [Problem(source, card.line, f"unreadable card ({type(exc).__name__}: {exc})")]
        problems.extend(probs)
        if rec is not None:
            records.append(rec)
    return records, problems


# ----------------------------------------------------------------------------- writing

_TYPE_WORDS = {"home", "work", "cell", "fax", "pager", "main", "other", "school", "text", "video", "car",
               "iphone", "voice", "textphone"}
_SOCIAL_KINDS = ("linkedin", "x", "mastodon", "bluesky", "facebook", "instagram", "github")


def escape(s: str) -> str:
    return (s.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
            .replace(",", "\\,").replace(";", "\\;"))


def fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 sequence (RFC 6350 3.2)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    out, cur, size, limit = [], [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(cur))
            cur, size, limit = [], 0, 74
        cur.append(ch)
        size += n
    out.append("".join(cur))
    return "\r\n ".join(out)


def _date_text(month: int, day: int, year: int | None, version: str) -> tuple[str, str]:
    """(parameters, value) of a date; year-less dates per version."""
    if year:
        return "", f"{year:04d}-{month:02d}-{day:02d}" if version == "3.0" else f"{year:04d}{month:02d}{day:02d}"
    if version == "3.0":
        return ";X-APPLE-OMIT-YEAR=1604", f"1604-{month:02d}-{day:02d}"
    return "", f"--{month:02d}{day:02d}"


def split_display_name(name: str) -> tuple[str, str]:
    """(given, family) for a card's N when only a display name is known: the last word is the
    family name ("Ada King Lovelace" -> "Ada King", "Lovelace"); one word is a given name."""
    words = " ".join((name or "").split()).split(" ")
    if len(words) < 2:
        return " ".join(words), ""
    return " ".join(words[:-1]), words[-1]
# A link read from the card's contact ("child of" X) → what X is to them: the vCard 4.0 RELATED
# TYPE (RFC 6350 6.6.6) and Apple's X-ABRELATEDNAMES label (3.0).
_RELATED_OUT = {
    "child of": ("parent", "_$!<Parent>!$_"), "parent of": ("child", "_$!<Child>!$_"),
    "sibling of": ("sibling", "sibling"), "spouse of": ("spouse", "_$!<Spouse>!$_"),
    "partner of": ("sweetheart", "_$!<Partner>!$_"), "friend of": ("friend", "_$!<Friend>!$_"),
    "colleague of": ("colleague", "colleague"), "knows": ("acquaintance", "knows"),
    "reports to": ("co-worker", "_$!<Manager>!$_"), "manages": ("co-worker", "reports to them"),
    "introduced by": ("contact", "introduced me"), "introduced you to": ("contact", "introduced by me"),
}


def card_lines(c: dict, version: str = "3.0") -> list[str]:
    """The lines of one contact's card. ``c``: contact fields plus handles, tags, dates, id."""
    from netjournal.store.validate import guess_handle_kind

    out = ["BEGIN:VCARD", f"VERSION:{version}", "PRODID:-//netjournal//netjournal//EN"]
    if version == "4.0":
        out.append("KIND:individual")
    out.append("FN:" + escape(c["name"]))
    given, family = c.get("given_name") or "", c.get("family_name") or ""
    if not given and not family:
        given, family = split_display_name(c["name"])
    out.append(f"N:{escape(family)};{escape(given)};;;")
    if c.get("nickname"):
        out.append("NICKNAME:" + escape(c["nickname"]))
    if c.get("company"):
        out.append("ORG:" + escape(c["company"]))
    if c.get("role"):
        out.append("TITLE:" + escape(c["role"]))
    item = 0

    def labelled(prop: str, value: str, label: str, params: str = "") -> None:
        nonlocal item
        words = label.split()
        if not label:
            out.append(f"{prop}{params}:{value}")
        elif label == label.lower() and all(w in _TYPE_WORDS for w in words) and len(set(words)) == len(words):
            out.append(f"{prop}{params};TYPE={','.join(words)}:{value}")
        else:
            item += 1
            out.append(f"item{item}.{prop}{params}:{value}")
            out.append(f"item{item}.X-ABLabel:{escape(label)}")

    for kind, value, label in c.get("handles", ()):
        if kind == "email":
            labelled("EMAIL", escape(value), label)
        elif kind == "phone":
            labelled("TEL", escape(value), label)
        elif kind == "address":
            labelled("ADR", ";;" + escape(value) + ";;;;", label)
        elif kind == "website" and guess_handle_kind(value) in ("website", "other", "phone", "email"):
            if guess_handle_kind(value) == "website" or value.startswith(("http://", "https://")):
                labelled("URL", escape(value), label)
            else:
                labelled("X-SOCIALPROFILE", escape(value), label, ";TYPE=website")
        elif kind in _SOCIAL_KINDS or kind == "website":
            labelled("X-SOCIALPROFILE", escape(value), label, f";TYPE={kind}")
        else:
            labelled("X-NETJOURNAL-HANDLE", escape(value), label, f";TYPE={kind}")
    plain_bday = plain_anniv = False
    for kind, month, day, year, label in c.get("dates", ()):
        params, val = _date_text(month, day, year, version)
        if kind == "birthday" and not label and not plain_bday:
            out.append(f"BDAY{params}:{val}")
            plain_bday = True
        elif kind == "anniversary" and not label and not plain_anniv:
            out.append(f"{'ANNIVERSARY' if version == '4.0' else 'X-ANNIVERSARY'}{params}:{val}")
            plain_anniv = True
        else:
            item += 1
            out.append(f"item{item}.X-ABDATE;X-NETJOURNAL-KIND={kind}{params}:{val}")
            if label:
                out.append(f"item{item}.X-ABLabel:{escape(label)}")
    for kind, words, other, label in c.get("related", ()):  # issue 16: the people they know
        t4, apple = _RELATED_OUT.get(words, ("contact", label or words))
        if version == "4.0":
            out.append(f"RELATED;TYPE={t4};VALUE=text:{escape(other)}")
        else:
            item += 1
            out.append(f"item{item}.X-ABRELATEDNAMES:{escape(other)}")
            out.append(f"item{item}.X-ABLabel:{escape(apple)}")
    if c.get("about"):
        out.append("NOTE:" + escape(c["about"]))
    if c.get("tags"):
        out.append("CATEGORIES:" + ",".join(escape(t) for t in c["tags"]))
    for key, field_name in NJ_FIELDS.items():
        val = c.get(field_name)
        if val in (None, "", False) or (field_name in ("tier", "stage") and val in ("network", "attention")):
            continue
        if field_name == "met_on":
            val = val.isoformat()
        elif isinstance(val, bool):
            val = "true"
        out.append(f"{NJ}{key}:{escape(str(val))}")
    if c.get("uid"):
        out.append(f"UID:{escape(c['uid'])}")
    elif c.get("id") is not None:
        out.append(f"UID:urn:netjournal:contact:{c['id']}")
    rev = c.get("updated_at")
    if rev is not None:
        out.append("REV:" + rev.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    out.append("END:VCARD")
    return out


def write_vcards(contacts: list[dict], version: str = "3.0") -> str:
    lines: list[str] = []
    for c in contacts:
        lines.extend(fold(ln) for ln in card_lines(c, version))
    return "\r\n".join(lines) + ("\r\n" if lines else "")
