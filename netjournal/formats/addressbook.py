"""Contact files: vCard (a file or a folder of .vcf) and the LinkedIn/Google/Outlook CSVs.

The parsers live in :mod:`vcard` and :mod:`csvformats`; this module only declares them to the
registry (name, aliases, how each is recognised).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from netjournal.errors import UserError
from netjournal.formats.records import Problem
from netjournal.formats.registry import Reader, ReadOptions, ReadResult


def vcf_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".vcf", ".vcard"))
    except OSError as exc:
        raise UserError(f"cannot read the folder {folder}: {exc.strerror or exc}") from None


@lru_cache(maxsize=8)
def _kind(head: bytes) -> str | None:
    from netjournal.formats.textio import decode

    text, _ = decode(head)
    stripped = text.lstrip("\ufeff \t\r\n")
    up = stripped[:4000].upper()
    if up.startswith("BEGIN:VCARD") or "\nBEGIN:VCARD" in up[:2000]:
        return "vcard"
    if up.startswith("BEGIN:VCALENDAR") or stripped.startswith("{"):
        return None
    lines = [ln.strip().lstrip("\ufeff").lower() for ln in stripped.splitlines()[:25]]
    for ln in lines:
        cells = [c.strip().strip('"').strip() for c in re.split(r"[,;\t]", ln)]
        if "conversation id" in cells:
            return "linkedin-messages"
        if "first name" in cells and "last name" in cells and ("connected on" in cells or "url" in cells):
            return "linkedin-connections"
        if any(re.fullmatch(r"e-mail \d+ - (value|label|type)", c) for c in cells) or \
                ("given name" in cells and "family name" in cells) or "labels" in cells or "group membership" in cells:
            return "google-csv"
        if any(c in cells for c in ("e-mail address", "job title", "business phone", "mobile phone", "vorname",
                                    "e-mail-adresse", "prénom", "adresse de messagerie")):
            return "outlook-csv"
        if "first name" in cells and "last name" in cells and "company" in cells and "position" in cells:
            return "linkedin-connections"
    if lines and lines[0].rstrip(",") == "notes:":
        return "linkedin-connections"
    return None


def _sniffer(name: str):
    def sniff(path: Path, head: bytes) -> bool:
        if not head:
            return name == "vcard" and path.is_dir() and bool(vcf_files(path))
        return _kind(head) == name
    return sniff


def _text_reader(parse, touches: bool = False):
    def read(path: Path, label: str, opts: ReadOptions) -> ReadResult:
        from netjournal.formats.textio import read_text

        res = ReadResult()
        if touches:
            res.touches, res.problems, info = parse(read_text(path), label)
            res.owner = info.get("owner", "")
        else:
            res.contacts, res.problems = parse(read_text(path), label)
        return res
    return read


def _read_vcard(path: Path, label: str, opts: ReadOptions) -> ReadResult:
    from netjournal.formats import vcard
    from netjournal.formats.textio import read_text

    res = ReadResult()
    files = [(p, str(p.relative_to(path))) for p in vcf_files(path)] if path.is_dir() else [(path, label)]
    for p, lab in files:
        try:
            recs, probs = vcard.read_vcards(read_text(p), lab)
        except UserError as exc:
            res.problems.append(Problem(lab, None, exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable file never stops the rest
            res.problems.append(Problem(lab, None, f"could not read the file ({type(exc).__name__}: {exc})"))
            continue
        res.contacts.extend(recs)
        res.problems.extend(probs)
    return res


def _csv(fn: str, touches: bool = False):
    def parse(text, label):
        from netjournal.formats import csvformats
        return getattr(csvformats, fn)(text, label)
    return _text_reader(parse, touches)


READERS = (
    Reader("vcard", "vCard (.vcf, or a folder of them)", _read_vcard, _sniffer("vcard"), ("vcf",), folders=True),
    Reader("linkedin-connections", "LinkedIn Connections.csv", _csv("read_linkedin_connections"),
           _sniffer("linkedin-connections"), ("linkedin", "connections")),
    Reader("linkedin-messages", "LinkedIn messages.csv", _csv("read_linkedin_messages", touches=True),
           _sniffer("linkedin-messages"), ("messages",)),
    Reader("google-csv", "Google Contacts CSV", _csv("read_google"), _sniffer("google-csv"), ("google",)),
    Reader("outlook-csv", "Outlook CSV", _csv("read_outlook"), _sniffer("outlook-csv"), ("outlook",)),
)
