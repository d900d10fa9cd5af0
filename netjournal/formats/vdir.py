"""Cards of a vdir (one .vcf per contact): read the fields netjournal syncs, patch them in place.

Pure functions over text; no database. The fields netjournal *owns* on a card are the ones in
:data:`FIELDS`. Patching a card replaces only the properties of the fields that changed and
leaves every other line as it was (PHOTO, ADR, X- properties, groups, unknown parameters), so a
card edited on a phone or in khard keeps what netjournal does not model.

A field set ("fields") is a plain dict, normalised so that equal meaning compares equal:

* ``name, given_name, family_name, nickname, company, role``: one-line text;
* ``about``: multi-line text (the card's NOTE);
* ``emails, phones, urls``: sorted lists of values (emails lower-cased);
* ``tags``: sorted list of lower-case tags (CATEGORIES);
* ``birthday, anniversary``: ``YYYY-MM-DD``, ``--MM-DD`` or "".
"""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from netjournal.formats.vcard import (
    Prop, components, escape, split_display_name, fold, parse_date_value, parse_prop, split_escaped, unescape,
)

TEXT_FIELDS = ("name", "given_name", "family_name", "nickname", "company", "role")
LIST_FIELDS = ("emails", "phones", "urls", "tags")
DATE_FIELDS = ("birthday", "anniversary")
FIELDS = (*TEXT_FIELDS, "about", *LIST_FIELDS, *DATE_FIELDS)
FIELD_LABELS = {"name": "name", "given_name": "given name", "family_name": "family name", "nickname": "nickname",
                "company": "company", "role": "role", "about": "notes", "emails": "emails", "phones": "phones",
                "urls": "websites", "tags": "tags", "birthday": "birthday", "anniversary": "anniversary"}
_LIST_PROPS = {"emails": "EMAIL", "phones": "TEL", "urls": "URL"}
_ANNIV_PROPS = ("ANNIVERSARY", "X-ANNIVERSARY")


class CardError(ValueError):
    """A card that cannot be synced (not a vCard, no UID, more than one card…)."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_uid() -> str:
    return str(uuid.uuid4())


def empty_fields() -> dict:
    f: dict = {k: "" for k in (*TEXT_FIELDS, "about", *DATE_FIELDS)}
    f.update({k: [] for k in LIST_FIELDS})
    return f


# ----------------------------------------------------------------------------- normalising

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # what the journal drops from text


def one_line(s: str | None) -> str:
    return " ".join(_CTRL.sub("", s or "").split())


def multi_line(s: str | None) -> str:
    s = _CTRL.sub("", (s or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(x.rstrip() for x in s.split("\n")).strip("\n")


def norm_value(key: str, value: str) -> str:
    value = one_line(value)
    if key == "emails":
        return value.lower().removeprefix("mailto:")
    if key == "phones" and value.lower().startswith("tel:"):
        return value[4:]
    if key == "tags":
        return value.lstrip("#").lower()
    return value


def normalize(raw: dict) -> dict:
    """Any field dict (journal side or card side) in the comparable form."""
    out = empty_fields()
    for k in TEXT_FIELDS:
        out[k] = one_line(raw.get(k))
    out["about"] = multi_line(raw.get("about"))
    for k in LIST_FIELDS:
        out[k] = sorted({norm_value(k, x) for x in raw.get(k) or () if one_line(x)})
    for k in DATE_FIELDS:
        out[k] = raw.get(k) or ""
    return out


def date_text(month: int, day: int, year: int | None) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def date_parts(text: str) -> tuple[int, int, int | None] | None:
    if not text:
        return None
    if text.startswith("--"):
        return int(text[2:4]), int(text[5:7]), None
    return int(text[5:7]), int(text[8:10]), int(text[0:4])


# ----------------------------------------------------------------------------- reading

@dataclass
class Line:
    """One logical line of a card file with its original text (all physical lines)."""

    raw: list[str]                 # physical lines, without line endings
    prop: Prop | None = None       # None for BEGIN/END and blank or unreadable lines


@dataclass
class CardFile:
    lines: list[Line]
    newline: str = "\r\n"
    uid: str = ""
    version: str = "3.0"
    is_group: bool = False
    fields: dict = field(default_factory=empty_fields)


def parse_card(text: str) -> CardFile:
    """Read one card file (one pass). Raises :class:`CardError` if it is not exactly one vCard."""
    from netjournal.formats.vcard import logical_lines

    if "\x00" in text:
        raise CardError("a NUL byte in the file")
    newline = "\r\n" if "\r\n" in text else "\n"
    physical = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    logical = list(logical_lines(text))
    lines: list[Line] = []
    if logical and logical[0][0] > 1:
        lines.append(Line(physical[:logical[0][0] - 1]))
    cards = depth = 0
    version = "3.0"
    props: list[Prop] = []
    for i, (no, log) in enumerate(logical):
        end = logical[i + 1][0] - 1 if i + 1 < len(logical) else len(physical)
        raw = physical[no - 1:end]
        head = log[:12].upper()
        prop = None
        if head.startswith("BEGIN:VCARD"):
            cards += depth == 0
            depth += 1
        elif head.startswith("END:VCARD"):
            depth = max(depth - 1, 0)
        elif depth == 1:
            prop = _prop(no, log)
            if prop is not None:
                props.append(prop)
                if prop.name == "VERSION":
                    version = prop.value.strip()
        lines.append(Line(raw, prop))
    if not cards:
        raise CardError("no BEGIN:VCARD: not a vCard")
    if cards > 1:
        raise CardError(f"{cards} cards in one file (a vdir holds one per file)")
    if depth:
        raise CardError("no END:VCARD (the file may be cut short)")
    cf = CardFile(lines, newline, version=version)
    cf.uid = next((unescape(p.value).strip() for p in props if p.name == "UID"), "")
    cf.is_group = any(
        (p.name == "X-ADDRESSBOOKSERVER-KIND" and p.value.strip().lower() == "group")
        or (p.name == "KIND" and p.value.strip().lower() == "group") for p in props)
    cf.fields = read_fields(props)
    return cf


# Properties read in full; any other one (PHOTO, ADR, X-…) only needs its name: it is written
# back exactly as it was, so its (possibly large) value is never decoded.
_READ = {"FN", "N", "NICKNAME", "ORG", "TITLE", "NOTE", "EMAIL", "TEL", "URL", "CATEGORIES", "BDAY",
         "ANNIVERSARY", "X-ANNIVERSARY", "UID", "VERSION", "KIND", "X-ADDRESSBOOKSERVER-KIND"}


def _prop(no: int, log: str) -> Prop | None:
    colon, semi = log.find(":"), log.find(";")
    cut = semi if 0 <= semi < colon else colon
    if cut < 0:
        return None
    head = log[:cut].strip()
    group, _, name = head.rpartition(".")
    name = name.upper()
    if name in _READ or "=" in log[:cut]:
        try:
            return parse_prop(no, log)
        except ValueError:
            return None
    return Prop(group, name, {}, "", no) if name else None


def _date_of(p: Prop) -> str:
    try:
        mon, day, year = parse_date_value(unescape(p.value), p.params)
    except ValueError:
        return ""
    return date_text(mon, day, year)


def read_fields(props: list[Prop]) -> dict:
    raw: dict = {k: [] for k in LIST_FIELDS}
    fn = ""
    n: list[str] = []
    notes: list[str] = []
    nick: list[str] = []
    for p in props:
        name = p.name
        if name == "FN" and not fn:
            fn = one_line(unescape(p.value))
        elif name == "N" and not n:
            n = components(p.value) + [""] * 5
        elif name == "NICKNAME":
            nick += [one_line(unescape(x)) for x in split_escaped(p.value, ",") if one_line(unescape(x))]
        elif name == "ORG" and "company" not in raw:
            raw["company"] = (components(p.value) or [""])[0]
        elif name == "TITLE" and "role" not in raw:
            raw["role"] = unescape(p.value)
        elif name == "NOTE":
            notes.append(multi_line(unescape(p.value)))
        elif name in ("EMAIL", "TEL", "URL"):
            key = {"EMAIL": "emails", "TEL": "phones", "URL": "urls"}[name]
            raw[key].append(unescape(p.value))
        elif name == "CATEGORIES":
            raw["tags"] += [unescape(t) for t in split_escaped(p.value, ",")]
        elif name == "BDAY" and "birthday" not in raw:
            raw["birthday"] = _date_of(p)
        elif name in _ANNIV_PROPS and "anniversary" not in raw:
            raw["anniversary"] = _date_of(p)
    if n:
        raw["family_name"], raw["given_name"] = n[0], n[1]
    raw["nickname"] = ", ".join(dict.fromkeys(nick))
    raw["about"] = "\n\n".join(x for x in notes if x)
    name = fn or one_line(" ".join(x for x in (n[3], n[1], n[2], n[0], n[4]) if x) if n else "")
    raw["name"] = name or raw["nickname"] or raw.get("company", "") or next(
        (one_line(x) for x in raw["emails"] + raw["phones"] if one_line(x)), "")
    return normalize(raw)


# ----------------------------------------------------------------------------- writing

def split_name(name: str) -> tuple[str, str]:
    """(given, family) from a display name: the last word is the family name."""
    return split_display_name(name)


def rev_stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def _vdate(text: str, version: str = "3.0") -> tuple[str, str]:
    parts = date_parts(text)
    if parts is None:
        return "", ""
    mon, day, year = parts
    if version.startswith("4"):
        return "", f"{year:04d}{mon:02d}{day:02d}" if year else f"--{mon:02d}{day:02d}"
    if year:
        return "", f"{year:04d}-{mon:02d}-{day:02d}"
    return ";X-APPLE-OMIT-YEAR=1604", f"1604-{mon:02d}-{day:02d}"


def _prop_lines(key: str, f: dict, version: str = "3.0") -> list[str]:
    """The property lines for one field of ``f`` (empty list: the field is empty)."""
    v = f[key]
    if key == "name":
        return [f"FN:{escape(v)}"] if v else []
    if key in ("given_name", "family_name"):
        return []  # written together as N (see _n_line)
    if key == "nickname":
        return [f"NICKNAME:{escape(v)}"] if v else []
    if key == "company":
        return [f"ORG:{escape(v)}"] if v else []
    if key == "role":
        return [f"TITLE:{escape(v)}"] if v else []
    if key == "about":
        return [f"NOTE:{escape(v)}"] if v else []
    if key in _LIST_PROPS:
        return [f"{_LIST_PROPS[key]}:{escape(x)}" for x in v]
    if key == "tags":
        return [f"CATEGORIES:{','.join(escape(t) for t in v)}"] if v else []
    if key == "birthday":
        params, val = _vdate(v, version)
        return [f"BDAY{params}:{val}"] if val else []
    if key == "anniversary":
        params, val = _vdate(v, version)
        prop = "ANNIVERSARY" if version.startswith("4") else "X-ANNIVERSARY"
        return [f"{prop}{params}:{val}"] if val else []
    raise KeyError(key)


def _n_value(f: dict) -> tuple[str, str]:
    given, family = f["given_name"], f["family_name"]
    if not given and not family:
        given, family = split_name(f["name"])
    return family, given


def new_card(f: dict, uid: str, *, now: datetime | None = None) -> str:
    """A new vCard 3.0 for a contact created in netjournal (only the fields netjournal owns)."""
    family, given = _n_value(f)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//netjournal//netjournal//EN", f"UID:{escape(uid)}",
             f"N:{escape(family)};{escape(given)};;;"]
    for key in FIELDS:
        lines += _prop_lines(key, f)
    lines += [f"REV:{rev_stamp(now)}", "END:VCARD"]
    return "\r\n".join(fold(x) for x in lines) + "\r\n"


def _owned(key: str, p: Prop) -> bool:
    """Whether property ``p`` carries field ``key`` (and is replaced when the field changes)."""
    n = p.name
    return {"name": n == "FN", "nickname": n == "NICKNAME", "role": n == "TITLE", "about": n == "NOTE",
            "tags": n == "CATEGORIES", "birthday": n == "BDAY", "anniversary": n in _ANNIV_PROPS,
            }.get(key, False)


def patch_card(cf: CardFile, new: dict, *, now: datetime | None = None) -> str:
    """The card's text with the fields that differ from ``cf.fields`` replaced by ``new``'s values.

    Only the properties of changed fields are touched; ORG keeps its units and N its middle
    name, prefixes and suffixes; an email, phone or URL is removed or added one by one, with
    its parameters and group kept when it stays. REV is set to now."""
    old = cf.fields
    changed = [k for k in FIELDS if old[k] != new[k]]
    nl = cf.newline
    if not changed:
        return render(cf)
    out: list[list[str]] = []
    added: list[str] = []
    done: set[str] = set()
    for ln in cf.lines:
        p = ln.prop
        if p is None:
            if ln.raw and ln.raw[0][:9].upper() == "END:VCARD":
                for k in changed:
                    if k not in done and k not in ("given_name", "family_name", "company", *_LIST_PROPS):
                        added += _prop_lines(k, new, cf.version)
                if ("given_name" in changed or "family_name" in changed) and "N" not in done:
                    family, given = _n_value(new)
                    added.append(f"N:{escape(family)};{escape(given)};;;")
                if "company" in changed and "ORG" not in done and new["company"]:
                    added.append(f"ORG:{escape(new['company'])}")
                added.append(f"REV:{rev_stamp(now)}")
                out += [[fold(x)] for x in added]
            out.append(ln.raw)
            continue
        if p.name == "REV":
            continue  # written anew before END
        if p.name == "N" and ("given_name" in changed or "family_name" in changed):
            if "N" in done:
                continue
            comps = [escape(x) for x in components(p.value)] + [""] * 5
            comps[0], comps[1] = escape(new["family_name"]), escape(new["given_name"])
            out.append([fold(_head(p) + ":" + ";".join(comps[:max(5, len(components(p.value)))]))])
            done.add("N")
            continue
        if p.name == "ORG" and "company" in changed:
            if "ORG" in done:
                out.append(ln.raw)
                continue
            done.add("ORG")
            rest = [escape(x) for x in components(p.value)[1:]]
            if not new["company"] and not any(rest):
                continue
            out.append([fold(_head(p) + ":" + ";".join([escape(new["company"]), *rest]))])
            continue
        if p.name in ("EMAIL", "TEL", "URL"):
            key = {"EMAIL": "emails", "TEL": "phones", "URL": "urls"}[p.name]
            if key in changed:
                val = norm_value(key, unescape(p.value))
                if val and val not in new[key]:
                    continue  # removed on the other side
                if val:
                    done.add(f"{key}:{val}")
            out.append(ln.raw)
            continue
        key = next((k for k in changed if _owned(k, p)), None)
        if key is None:
            out.append(ln.raw)
            continue
        if key in done:
            continue
        done.add(key)
        if key == "name" and new["name"]:
            out.append([fold(_head(p) + ":" + escape(new["name"]))])
        elif key == "role" and new["role"]:
            out.append([fold(_head(p) + ":" + escape(new["role"]))])
        else:
            out += [[fold(x)] for x in _prop_lines(key, new, cf.version)]
    # emails/phones/urls: add the values the card does not have yet, just before END
    extra = []
    for key in _LIST_PROPS:
        if key in changed:
            extra += [f"{_LIST_PROPS[key]}:{escape(v)}" for v in new[key] if f"{key}:{v}" not in done]
    if extra:
        end = max(i for i, raw in enumerate(out) if raw and raw[0][:9].upper() == "END:VCARD")
        out[end:end] = [[fold(x)] for x in extra]
    text = nl.join(x for raw in out for x in raw)
    return text.replace("\r\n ", "\x00").replace("\r\n", nl).replace("\x00", nl + " ") + nl


def _head(p: Prop) -> str:
    """A property's name and parameters as written (group kept)."""
    head = (p.group + "." if p.group else "") + p.name
    for k, vals in p.params.items():
        if k == "ENCODING" and any(v.lower() == "quoted-printable" for v in vals):
            continue  # the value is written back decoded
        if k == "CHARSET":
            continue
        q = ",".join(f'"{v}"' if any(c in v for c in ",;:") else v for v in vals)
        head += f";{k}={q}"
    return head


def render(cf: CardFile) -> str:
    return cf.newline.join(x for ln in cf.lines for x in ln.raw) + cf.newline


_SAFE = re.compile(r"[^A-Za-z0-9@._-]")


def file_name_for(uid: str) -> str:
    """A file name for a new card: its UID where that is a safe name, else a fresh one."""
    if uid and not _SAFE.search(uid) and len(uid) <= 200 and not uid.startswith("."):
        return uid + ".vcf"
    return new_uid() + ".vcf"


# ----------------------------------------------------------------------------- three-way merge

@dataclass(frozen=True)
class Conflict:
    key: str
    kept: object       # the winner's value
    other: object      # the loser's value, kept as a note on the contact
    kept_side: str     # "journal" | "vdir"


def merge(base: dict, journal: dict, card: dict, prefer: str = "journal") -> tuple[dict, list[Conflict]]:
    """Merge both sides' edits since ``base``. Lists (emails, phones, websites, tags) merge item
    by item (added on either side: added; removed on either side: removed); other fields take the
    side that changed; a field changed differently on both sides is a conflict, won by ``prefer``."""
    out: dict = {}
    conflicts: list[Conflict] = []
    empty = empty_fields()
    for k in FIELDS:
        b, j, c = base.get(k, empty[k]), journal[k], card[k]
        if j == c:
            out[k] = j
        elif k in LIST_FIELDS:
            bs, js, cs = set(b), set(j), set(c)
            out[k] = sorted((js & cs) | (js - bs) | (cs - bs))
        elif j == b:
            out[k] = c
        elif c == b:
            out[k] = j
        elif prefer == "vdir":
            out[k] = c
            conflicts.append(Conflict(k, c, j, "vdir"))
        else:
            out[k] = j
            conflicts.append(Conflict(k, j, c, "journal"))
    return out, conflicts


def conflict_note(conflicts: list[Conflict], day: str) -> str:
    """The losing values, as a note on the contact (nothing either side typed is lost)."""
    lines = [f"Address-book sync {day}, conflicting edits:"]
    for c in conflicts:
        where = "address book" if c.kept_side == "journal" else "journal"
        lines.append(f"- {FIELD_LABELS[c.key]}: the {where} had {show_value(c.other)} (kept {show_value(c.kept)})")
    return "\n".join(lines)


def show_value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "nothing"
    return repr(value) if value else "nothing"
