"""Reading text files the way real exports are written: BOMs, cp1252, odd line endings, CSV."""
from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from netjournal.errors import UserError

MAX_IMPORT_BYTES = 512 * 1024 * 1024


@contextmanager
def _reading(path: Path):
    """An OSError while reading ``path`` as the one line the user sees."""
    try:
        yield
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder") from None
    except PermissionError:
        raise UserError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_bytes(path: Path) -> bytes:
    with _reading(path):
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UserError(f"{path.name} is too large to import ({size // (1024 * 1024)} MB)")
        return path.read_bytes()


def read_head(path: Path, n: int) -> bytes:
    """The first ``n`` bytes of a file (for sniffing a format or a magic number)."""
    with _reading(path), open(path, "rb") as fh:
        return fh.read(n)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_text(path: Path) -> str:
    return decode(read_bytes(path))[0]


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(text: str, *, skip_until=None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) rows. ``skip_until(cells)`` finds the header row.

    Line numbers are 1-based physical lines of the file where each record starts (quoted
    cells may span several lines).
    """
    lines = text.splitlines()
    delim = ","
    for ln in lines[:20]:
        if ln.strip() and not ln.startswith('"') and ":" not in ln[:10]:
            delim = sniff_delimiter(ln)
            break
    buf = io.StringIO(text, newline="")
    reader = csv.reader(buf, delimiter=delim, strict=False)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            start = line
            line = reader.line_num + 1
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                if skip_until is None or skip_until(cells):
                    header = [c.strip().lstrip("\ufeff") for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        raise UserError(f"not a readable CSV file (line {reader.line_num}): {exc}") from None
    return header or [], rows


MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def parse_loose_date(text: str, *, dayfirst: bool = False) -> date | None:
    """'07 Mar 2021', '2021-03-07', '3/7/21', '7.3.2021'. None for empty or '0/0/00'."""
    s = (text or "").strip()
    if not s or re.fullmatch(r"0+[/.\-]0+[/.\-]0+", s):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", s)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[ \-]([A-Za-z]{3,})\.?[ \-,]*(\d{2,4})", s)
    if m and m.group(2)[:3].lower() in MONTHS:
        y = int(m.group(3))
        y += 2000 if y < 100 else 0
        return date(y, MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    m = re.fullmatch(r"([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})", s)
    if m and m.group(1)[:3].lower() in MONTHS:
        return date(int(m.group(3)), MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})([/.])(\d{1,2})\2(\d{2,4})(?: .*)?", s)
    if m:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if len(m.group(4)) == 2:
            y += 2000 if y < 50 else 1900
        if sep == "." or dayfirst:
            d, mo = a, b
        else:
            mo, d = a, b
        if mo > 12 and d <= 12:
            mo, d = d, mo
        return date(y, mo, d)
    raise ValueError(f"not a date: {s!r}")
