"""Benchmark: `netjournal import` of 10,000 varied vCards (one file) into an empty journal.

    python bench/import_bench.py [--cards 10000] [--in-process]

Generates realistic cards (2.1/3.0/4.0 mixed; quoted-printable notes with soft breaks;
folded lines; item groups with labels; birthdays with and without a year; several emails,
phones, URLs, addresses, categories; ~3% duplicates that must merge) into a temp file,
then times the CLI on an empty temp journal. Goal: <= 5 s for 10,000 cards.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ["Ana", "Björn", "Chidi", "Dana", "Élise", "Farah", "Guo", "Hana", "Ivan", "José", "Kenji", "Lucía",
         "Mara", "Noah", "Oskar", "Priya", "Quinn", "Ravi", "Sofia", "Thao", "Uma", "Viktor", "Wen", "Yusuf", "Zoë"]
LAST = ["López", "Ødegård", "Okafor", "Moreau", "Nguyen", "Sato", "Petrov", "Raman", "Brandt", "Diallo",
        "Kowalski", "Fernández", "Smith", "O'Neil", "García", "Müller", "Rossi", "Kim", "Singh", "Haddad"]
ORGS = ["Acme, Inc.", "Lumen Labs", "Nordlys AS", "Brandt & Söhne", "Example Corp", "Viagenie", "Widgets Ltd"]
TITLES = ["CTO", "Engineer", "Head of Partnerships", "Designer, illustrator", "VP, Engineering", "Founder"]
TAGS = ["work", "climbing", "book club", "family", "pycon", "investors", "neighbours"]


def qp(text: str) -> str:
    raw = text.encode("utf-8")
    out = "".join(chr(b) if 33 <= b <= 126 and b != 61 else f"={b:02X}" for b in raw)
    return "=\r\n".join(out[i:i + 70] for i in range(0, len(out), 70))


def card(i: int, rnd: random.Random) -> str:
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    name = f"{first} {last} {i}"
    version = rnd.choice(["2.1", "3.0", "3.0", "3.0", "4.0"])
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"N:{last};{first} {i};;;", f"FN:{name}"]
    if rnd.random() < 0.3:
        lines.append(f"NICKNAME:{first[:3]}{i % 7}")
    lines.append("ORG:" + rnd.choice(ORGS).replace(",", "\\,") + (";R&D" if rnd.random() < 0.2 else ""))
    lines.append("TITLE:" + rnd.choice(TITLES).replace(",", "\\,"))
    email = f"{first.lower()}.{i}@example.org".encode("ascii", "ignore").decode()
    lines.append(f"EMAIL;TYPE=INTERNET,WORK:{email}")
    if rnd.random() < 0.4:
        lines.append(f"item1.EMAIL;type=INTERNET:home{i}@mail.example")
        lines.append("item1.X-ABLabel:_$!<Home>!$_")
    lines.append(f"TEL;TYPE=CELL:+1 415 555 {i:04d}")
    if rnd.random() < 0.3:
        lines.append(f"TEL;TYPE=WORK,VOICE:(030) 555-{i:04d}")
    if rnd.random() < 0.4:
        lines.append(f"URL:https://www.linkedin.com/in/{first.lower()}-{i}")
    if rnd.random() < 0.3:
        lines.append(f"ADR;TYPE=HOME:;;{i} Main St\\nApt {i % 40};Springfield;IL;62701;USA")
    r = rnd.random()
    if r < 0.3:
        lines.append(f"BDAY:{rnd.randint(1950, 2000)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}")
    elif r < 0.4:
        lines.append(f"BDAY:--{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}")
    elif r < 0.45:
        lines.append(f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29")
    if rnd.random() < 0.5:
        note = f"Met {first} at a meetup; talked about climbing, kids and the café near the station. #{i}"
        if version == "2.1":
            lines.append("NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp(note))
        else:
            lines.append("NOTE:" + note.replace(",", "\\,").replace(";", "\\;"))
    if rnd.random() < 0.4:
        lines.append("CATEGORIES:" + ",".join(rnd.sample(TAGS, 2)))
    lines.append("END:VCARD")
    out = []
    for ln in lines:
        while len(ln) > 75 and "QUOTED-PRINTABLE" not in ln:
            out.append(ln[:75])
            ln = " " + ln[75:]
        out.append(ln)
    return "\r\n".join(out)


def generate(path: Path, n: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    cards = [card(i, rnd) for i in range(n)]
    for j in range(n // 33):  # duplicates: the same card again, to be merged/skipped
        cards[rnd.randrange(n)] = cards[rnd.randrange(n)]
    path.write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=10_000)
    ap.add_argument("--in-process", action="store_true", help="time import_path() instead of the CLI")
    a = ap.parse_args()
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        vcf = tmp / "cards.vcf"
        generate(vcf, a.cards)
        db = tmp / "journal.db"
        env = dict(os.environ, NETJOURNAL_DATA_DIR=str(tmp / "data"), NETJOURNAL_CONFIG_DIR=str(tmp / "config"),
                   PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        # create the empty journal first so the timing is the import alone
        subprocess.run([sys.executable, "-m", "netjournal.cli", "--db", str(db), "doctor"], env=env,
                       capture_output=True)
        if a.in_process:
            os.environ.update(NETJOURNAL_DATA_DIR=env["NETJOURNAL_DATA_DIR"],
                              NETJOURNAL_CONFIG_DIR=env["NETJOURNAL_CONFIG_DIR"])
            sys.path.insert(0, str(root))
            from datetime import date

            from netjournal.formats.importing import import_path
            from netjournal.store.db import open_database

            d = open_database("sqlite:///" + str(db))
            t0 = time.perf_counter()
            rep = import_path(d, vcf, today=date.today())
            dt = time.perf_counter() - t0
            print(rep.summary())
        else:
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "netjournal.cli", "--db", str(db), "import", str(vcf)],
                                  env=env, capture_output=True, text=True)
            dt = time.perf_counter() - t0
            print(proc.stdout.strip())
            if proc.returncode != 0:
                print(proc.stderr.strip()[-2000:], file=sys.stderr)
                return proc.returncode
        size = vcf.stat().st_size / 1e6
        print(f"{a.cards} cards ({size:.1f} MB): {dt:.2f} s ({'in process' if a.in_process else 'netjournal import, whole process'})"
              f" — goal <= 5 s: {'OK' if dt <= 5 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
