#!/usr/bin/env python3
"""Wall time of `netjournal sync vdir` on a folder of 10,000 cards (issue 15's targets).

    python bench/sync_bench.py [--cards 10000] [--rounds 5]

Writes a vdir of realistic cards (Sabre/Apple style: emails, phones, ORG with units, ADR,
PHOTO, X- properties, categories, birthdays) plus 1,000 contacts that exist only in the journal,
then times, each as the `netjournal` command a user runs (a fresh process, so start-up is in):

* the first sync (10,000 cards in, 1,000 cards out)      target <= 10 s
* a sync with nothing changed (median of --rounds)       target <= 1 s
* a sync after one card changed in the folder (median)   target <= 1 s
* a sync after one contact changed in the journal (median)

Uses a temporary data directory and journal: never the user's.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

FIRST = ["Ada", "Grace", "Mira", "Jonas", "Tomas", "Aiko", "Bilal", "Chiara", "Dmitri", "Esra", "Farah", "Goran",
         "Hana", "Ines", "Jamal", "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Sven"]
LAST = ["Lovelace", "Hopper", "Okafor", "Weber", "Lindqvist", "Tanaka", "Haddad", "Rossi", "Volkov", "Yilmaz",
        "Karimi", "Petrovic", "Novak", "Silva", "Mensah", "Becker", "Garcia", "Ivanova", "Berg", "Patel"]
ORGS = ["Harbour Labs", "Northwind Traders", "Tidewater", "Acme", "Globex", "Initech", "Umbrella", "Hooli"]
TAGS = ["Climbing", "Book Club", "Work", "Family", "School", "Chess", "Neighbours"]


def card(i: int, rnd: random.Random) -> tuple[str, str]:
    uid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
    first, last = rnd.choice(FIRST), rnd.choice(LAST)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Sabre//Sabre VObject 4.3.0//EN", f"UID:{uid}",
             f"FN:{first} {last} {i}", f"N:{last} {i};{first};;;", f"ORG:{rnd.choice(ORGS)};Unit {i % 17}",
             "ADR;TYPE=HOME:;;12 Quay Street;Bristol;;BS1 4DJ;United Kingdom",
             f"EMAIL;TYPE=HOME:{first.lower()}.{last.lower()}{i}@example.org",
             f'TEL;TYPE="HOME,VOICE":+44 20 7946 {i:04d}',
             f"CATEGORIES:{','.join(rnd.sample(TAGS, 2))}",
             "PHOTO;VALUE=uri:http://localhost/photo.jpg", f"X-CUSTOM-ID:{i}"]
    if i % 3 == 0:
        lines.append(f"BDAY:19{50 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}")
    if i % 5 == 0:
        lines.append("NOTE:Met at the conference\\, talked about boats.")
    lines += ["REV;VALUE=DATE-AND-OR-TIME:20201227T103400Z", "END:VCARD"]
    return uid, "\n".join(lines) + "\n"


CPU: list[float] = []   # user+sys CPU seconds of each run (what a loaded machine does not inflate much)


def run(argv: list[str], env: dict) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(argv, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {p.stderr[-500:]}")
    return dt, p.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=10_000)
    ap.add_argument("--journal-only", type=int, default=1_000, help="contacts only in the journal at the start")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    rnd = random.Random(15)
    with tempfile.TemporaryDirectory(prefix="nj-sync-bench-") as tmp:
        tmp = Path(tmp)
        book = tmp / "book"
        book.mkdir()
        names = []
        for i in range(a.cards):
            uid, text = card(i, rnd)
            (book / f"{uid}.vcf").write_text(text)
            names.append(f"{uid}.vcf")
        env = {**os.environ, "NETJOURNAL_DATA_DIR": str(tmp / "data"), "NETJOURNAL_CONFIG_DIR": str(tmp / "cfg")}
        env.pop("NETJOURNAL_DB", None)
        db = str(tmp / "j.db")
        nj = [sys.executable, "-m", "netjournal.cli", "--db", db]
        # contacts only in the journal (one transaction, through the store)
        code = ("import sys; from netjournal.store.db import open_database; from netjournal.store.models import Contact; "
                f"db = open_database({db!r}); s = db.write().__enter__(); "
                f"s.add_all([Contact(name=f'Journal Only {{i}}') for i in range({a.journal_only})]); "
                "s.commit(); s.close()")
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        first, summary = run([*nj, "sync", "vdir", str(book)], env)
        print(f"first sync         {first:6.2f} s wall  {CPU[-1]:6.2f} s CPU   ({summary})")
        nochange, one_card, one_contact = [], [], []
        cpu = {"nochange": [], "card": [], "contact": []}
        for r in range(a.rounds):
            dt, summary = run([*nj, "sync", "vdir", str(book)], env)
            assert "0 contact(s) updated, 0 card(s) updated" in summary, summary
            nochange.append(dt)
            cpu["nochange"].append(CPU[-1])
            p = book / names[r * 7]
            p.write_text(p.read_text().replace("TEL;", f"EMAIL:changed{r}@example.org\nTEL;", 1))
            dt, summary = run([*nj, "sync", "vdir", str(book)], env)
            assert "1 contact(s) updated" in summary, summary
            one_card.append(dt)
            cpu["card"].append(CPU[-1])
            run([*nj, "edit", f"Journal Only {r}", "--role", f"Role {r}"], env)
            dt, summary = run([*nj, "sync", "vdir", str(book)], env)
            assert "1 card(s) updated" in summary, summary
            one_contact.append(dt)
            cpu["contact"].append(CPU[-1])
        med = statistics.median
        for label, wall, key in (("no-change sync", nochange, "nochange"), ("one card changed", one_card, "card"),
                                 ("one contact edited", one_contact, "contact")):
            print(f"{label:18} {med(wall):6.2f} s wall  {med(cpu[key]):6.2f} s CPU   (medians of {a.rounds})")
        floor, _ = run([sys.executable, "-c", "import sqlmodel"], env)
        print(f"floor: python -c 'import sqlmodel' {floor:.2f} s wall  {CPU[-1]:.2f} s CPU; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"cards: {a.cards} in the folder + {a.journal_only} journal-only contacts; python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
