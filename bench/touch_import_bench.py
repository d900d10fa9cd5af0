"""Benchmark: `netjournal import` of a 100,000-message mbox and a 50,000-message chat export.

    python bench/touch_import_bench.py [--messages 100000] [--chat 50000] [--contacts 400]

Generates, in a temp folder:
* a vCard file of ``--contacts`` people (imported first, so mail and chats have contacts to
  match; not timed);
* an mbox of realistic shape over 3 years: threads of 1–8 messages between you and ~1,500
  correspondents (a quarter of them contacts), ~20% mailing-list traffic (List-Id), ~5%
  automated mail, some wide "all hands" mails, encoded-word subjects, multipart bodies of
  0.5–6 KB, References/In-Reply-To chains;
* a WhatsApp Android export with a 1:1 chat and group chats, multi-line messages and
  "<Media omitted>" lines.

Each import runs the real CLI in a child process on a fresh journal; the script prints wall
seconds and the child's peak RSS. Goal for the mbox: <= 20 s and <= 300 MB.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

FIRST = ["Ana", "Björn", "Chidi", "Dana", "Élise", "Farah", "Guo", "Hana", "Ivan", "José", "Kenji", "Lucía",
         "Mara", "Noah", "Oskar", "Priya", "Quinn", "Ravi", "Sofia", "Thao", "Uma", "Viktor", "Wen", "Yusuf"]
LAST = ["López", "Okafor", "Moreau", "Nguyen", "Sato", "Petrov", "Raman", "Brandt", "Diallo", "Kowalski",
        "Smith", "García", "Müller", "Rossi", "Kim", "Singh", "Haddad"]
TOPICS = ["lunch next week", "the proposal", "Re: intro", "photos from the trip", "quarterly numbers",
          "Café on Friday?", "book recommendation", "conference talk", "your new job", "moving day"]
WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua").split()
ME = "ada@example.org"


def person(i: int) -> tuple[str, str]:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}", f"p{i}@mail{i % 37}.example"


_POOL: list[str] = []


def body(rnd: random.Random) -> str:
    if not _POOL:
        for _ in range(300):
            n = rnd.randint(60, 700)
            words = " ".join(rnd.choice(WORDS) for _ in range(n))
            _POOL.append("\n".join(words[i:i + 72] for i in range(0, len(words), 72)))
    return rnd.choice(_POOL)


def encoded(subject: str) -> str:
    if subject.isascii():
        return subject
    return "=?utf-8?b?" + __import__("base64").b64encode(subject.encode()).decode() + "?="


def write_mbox(path: Path, n: int, rnd: random.Random) -> None:
    start = datetime(2022, 1, 1, 8, 0)
    people = 1500
    written = 0
    mid = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        while written < n:
            kind = rnd.random()
            when = start + timedelta(minutes=rnd.randint(0, 3 * 365 * 24 * 60))
            if kind < 0.20:      # list traffic
                msgs = [(f"dev{rnd.randint(1, 900)}@lists.example", "devs@lists.example", "List-Id: <devs.lists.example>\n")]
            elif kind < 0.25:    # robots
                msgs = [("no-reply@shop.example", ME, "Auto-Submitted: auto-generated\n")]
            elif kind < 0.26:    # all hands
                msgs = [(ME, ", ".join(person(rnd.randint(0, people))[1] for _ in range(15)), "")]
            else:                # a thread with one correspondent
                other = person(int(rnd.paretovariate(1.2)) % people)
                msgs = []
                for k in range(rnd.randint(1, 8)):
                    msgs.append((ME, f"{other[0]} <{other[1]}>", "") if (k + rnd.randint(0, 1)) % 2 == 0
                                else (f"{other[0]} <{other[1]}>", ME, ""))
            subject = rnd.choice(TOPICS)
            root = None
            for k, (frm, to, extra) in enumerate(msgs):
                if written >= n:
                    break
                mid += 1
                msgid = f"<m{mid}@bench.example>"
                refs = f"In-Reply-To: {root}\nReferences: {root}\n" if root else ""
                root = root or msgid
                t = when + timedelta(hours=k * rnd.randint(1, 30))
                frm_hdr = frm if "<" in frm or "@" not in frm else frm
                envelope = (frm.split("<")[-1].rstrip(">") if "<" in frm else frm)
                fh.write(f"From {envelope} {t.strftime('%a %b %d %H:%M:%S %Y')}\n"
                         f"From: {frm_hdr}\nTo: {to}\nSubject: {encoded(('Re: ' if k else '') + subject)}\n"
                         f"Date: {t.strftime('%a, %d %b %Y %H:%M:%S')} +0100\nMessage-ID: {msgid}\n{refs}{extra}"
                         f"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b{mid}\"\n\n"
                         f"--b{mid}\nContent-Type: text/plain; charset=utf-8\n\n{body(rnd)}\n"
                         f"--b{mid}\nContent-Type: text/html; charset=utf-8\n\n<p>{body(rnd)[:400]}</p>\n--b{mid}--\n\n")
                written += 1


def write_chat(path: Path, n: int, rnd: random.Random) -> None:
    t = datetime(2021, 1, 1, 9, 0)
    names = [person(i)[0] for i in range(40)]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{t.strftime('%d/%m/%y, %H:%M')} - Messages and calls are end-to-end encrypted.\n")
        for i in range(n):
            t += timedelta(minutes=rnd.choice([1, 2, 5, 30, 240, 900]))
            who = "Ada" if rnd.random() < 0.4 else rnd.choice(names)
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(2, 30)))
            if rnd.random() < 0.05:
                text = "<Media omitted>"
            elif rnd.random() < 0.1:
                text += "\n" + " ".join(rnd.choice(WORDS) for _ in range(8))
            fh.write(f"{t.strftime('%d/%m/%y, %H:%M')} - {who}: {text}\n")


def write_contacts(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            name, email = person(i)
            fh.write(f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nN:{name};;;;\nEMAIL:{email}\nEND:VCARD\n")


# The child reports its own peak RSS (RUSAGE_CHILDREN would give the largest child so far).
CHILD = ("import resource, sys\nfrom netjournal.cli import main\nrc = main(sys.argv[1:])\n"
         "sys.stderr.write(f'@@rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\nsys.exit(rc)\n")


def run(args: list[str], env: dict) -> tuple[float, float, str]:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env)
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        print(p.stdout, p.stderr, file=sys.stderr)
        raise SystemExit(f"import failed ({p.returncode})")
    rss = next(int(ln.split()[1]) for ln in p.stderr.splitlines() if ln.startswith("@@rss"))
    return secs, rss / 1024, p.stdout.splitlines()[0] if p.stdout else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--chat", type=int, default=50_000)
    ap.add_argument("--contacts", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        env = {**os.environ, "NETJOURNAL_DATA_DIR": str(d / "data"), "NETJOURNAL_CONFIG_DIR": str(d / "cfg"),
               "PYTHONDONTWRITEBYTECODE": "1"}
        vcf, mbox, chat = d / "contacts.vcf", d / "archive.mbox", d / "chat.txt"
        write_contacts(vcf, a.contacts)
        t0 = time.perf_counter()
        write_mbox(mbox, a.messages, rnd)
        write_chat(chat, a.chat, rnd)
        print(f"generated {a.messages:,} messages ({mbox.stat().st_size / 1e6:.0f} MB) and a {a.chat:,}-message "
              f"chat ({chat.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        # The chat's people are contacts by exact name.
        for label, path, extra in (("mbox", mbox, ["--me", ME]), ("chat", chat, ["--me", "Ada"])):
            db = d / f"{label}.db"
            run(["--db", str(db), "import", str(vcf)], env)
            secs, rss, line = run(["--db", str(db), "import", str(path), *extra], env)
            print(f"{label}: {secs:.1f} s, peak RSS {rss:.0f} MB  [{line[:150]}]")


if __name__ == "__main__":
    main()
