"""A deterministic, realistic demo journal (``netjournal demo``).

Same ``seed`` and ``today``, same journal. Tiers follow the layered proportions of personal
networks (5 / 15 / 50 / 150 / 500); each person has their own rhythm (lognormal around the
tier's), bursts of several touches on consecutive days, an inbound/outbound balance of their
own (some relationships one-sided), channels that fit the tier, relationships that faded,
group touches, follow-ups (open ones due around today, done ones with meeting notes),
birthdays (some without a year, some on 29 February), handles, tags, targets, and journal
entries with @mentions.

Written set-wise (executemany in one transaction), so 10,000 contacts and 200,000 touches
take seconds rather than minutes.
"""
from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from netjournal import vocab
from netjournal.errors import UserError
from netjournal.store.db import Database, fix_sequences
from netjournal.store.models import (
    Contact, ContactTag, FollowUp, FollowUpContact, Handle, ImportantDate, JournalEntry,
    JournalMention, SearchDoc, Touch, TouchContact,
)

FIRST = """Ada Alan Alice Amara Ana Andrea Anil Anna Aria Arjun Astrid Ben Bianca Boris Carla Carlos Chen Chiara
Chloe Clara Dana Daniel David Diego Dmitri Elena Eli Elif Emma Eric Esme Ethan Eva Fatima Felix Fiona Finn Gabriel
Grace Hana Hannah Hugo Ian Ines Ingrid Isaac Ivan Jack Jamal Jana Javier Jin Joao Jonas Julia Kai Karim Kate Kenji
Laila Lars Leo Lina Lucas Lucia Luis Maya Marco Maria Mark Marta Mateo Mei Mila Nadia Nina Noah Nora Olga Omar Oscar
Paula Pedro Priya Rafael Rana Ravi Rosa Ruth Sam Sara Sasha Sofia Sven Tariq Tess Theo Tom Uma Vera Victor Wen Yara
Yusuf Zoe Zara Abel Bea Cyril Dalia Emil Farah Gus Hiro Iris Jude Kira Leon Mira Nils Odette Pia""".split()
LAST = """Abbott Adeyemi Alvarez Andersen Bauer Becker Bianchi Brown Campbell Chen Costa Cruz Dang Davies Dubois
Eriksson Evans Fischer Fontaine Garcia Gomez Green Gupta Haas Hall Hansen Hoffmann Hughes Ibrahim Ito Jansen Jensen
Johansson Jones Kaur Keller Kim Klein Kowalski Kumar Lambert Larsen Laurent Lee Lopez Martin Meyer Moreau Morris Muller
Murphy Nakamura Nguyen Nielsen Novak Okafor Olsen Ortiz Park Patel Perez Peters Petrov Phillips Popescu Quinn Ramos
Reyes Richter Rossi Russo Sato Schmidt Schneider Silva Singh Smith Sorensen Suzuki Tan Taylor Thomas Torres Tran
Turner Vargas Vogel Wagner Walker Wang Weber Williams Wilson Wong Wright Yamamoto Yilmaz Young Zhang Ziegler Zimmer
Arslan Bergstrom Castillo Delgado Eze Ferreira Gallo Horvat Iqbal Jovanovic Kovacs Lindqvist Moretti Nowak""".split()
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella Labs", "Stark Industries", "Wayne Enterprises", "Hooli",
             "Pied Piper", "Vandelay Industries", "Soylent", "Aperture", "Cyberdyne", "Tyrell", "Wonka",
             "Northwind", "Contoso", "Fabrikam", "Blue Sun", "Oscorp", "Massive Dynamic", "the university",
             "the city council", "freelance", "a climate startup", "the hospital"]
ROLES = ["engineer", "designer", "product manager", "founder", "CTO", "researcher", "teacher", "doctor",
         "lawyer", "writer", "investor", "recruiter", "sales lead", "data scientist", "nurse", "architect",
         "student", "photographer", "chef", "consultant"]
CITIES = ["Berlin", "Lisbon", "London", "Paris", "New York", "Toronto", "Tokyo", "Nairobi", "Sao Paulo",
          "Copenhagen", "Madrid", "Melbourne", "Seoul", "Mexico City", "Amsterdam", "Oslo"]
INTERESTS = ["climbing", "jazz", "sourdough", "chess", "running", "poetry", "board games", "cycling",
             "gardening", "photography", "open source", "sailing", "pottery", "birding", "film", "tea"]
TAGS = ["work", "family", "school", "climbing", "conference", "neighbour", "mentor", "investor", "client",
        "book-club", "former-colleague", "music"]
MET = ["at a conference", "through work", "at university", "introduced by a friend", "on a climbing trip",
       "at a meetup", "neighbours", "online, on Mastodon", "at a wedding", "in a workshop"]
SUMMARIES = {
    "in_person": ["coffee near the office", "lunch", "dinner at theirs", "walk in the park", "drinks after work",
                  "met at the market", "breakfast before the flight"],
    "call": ["quick call", "long catch-up call", "called about the job", "birthday call", "called to check in"],
    "video": ["video call", "catch-up on video", "pairing session", "video chat about the project"],
    "email": ["sent the article we talked about", "email about the intro", "thank-you email", "replied to their email",
              "shared the slides"],
    "message": ["texted", "quick messages back and forth", "sent a photo", "chatted about the weekend",
                "congratulated them"],
    "social": ["liked their post", "commented on their launch", "shared their article", "replied to their thread"],
    "letter": ["sent a postcard", "wrote a thank-you card", "holiday card"],
    "gift": ["sent a book", "brought flowers", "gave a small gift"],
    "event": ["saw them at the meetup", "met at the conference", "at the birthday party", "at the concert"],
    "other": ["bumped into them", "helped with their move"],
}
NOTES = ["They're thinking about changing jobs; ask how the interviews went.",
         "Kids started school; the older one loves robotics.",
         "Training for a marathon in spring.",
         "Wants an intro to someone in climate tech.",
         "Moving to a new flat next month.",
         "Recommended a book on negotiation.",
         "Their mother has been unwell; ask gently.",
         "Excited about the new product launch.",
         "Planning a trip to Japan.",
         "Offered to review my talk."]
VALUE = ["an intro to a recruiter", "the article on habits", "feedback on their CV", "a book recommendation",
         "help with the move", "a reference"]
JOURNAL = ["Good day. Coffee with {a}; {b} sent a message out of the blue.",
           "Thinking about who I haven't seen in a while. Should call {a}.",
           "{a} introduced me to {b}. Follow up next week.",
           "Long walk with {a}. We talked about their new role.",
           "Busy week. Owe {a} a reply; {b}'s birthday soon.",
           "Met {a} at the meetup. Need to send them the slides."]
TIER_GAP = {"inner": 6, "close": 20, "friend": 55, "network": 110, "acquaintance": 240}
TIER_CHANNELS = {
    "inner": {"in_person": 30, "call": 20, "message": 35, "video": 8, "gift": 3, "event": 4},
    "close": {"in_person": 20, "call": 15, "message": 35, "video": 10, "email": 8, "event": 8, "gift": 2, "letter": 2},
    "friend": {"in_person": 12, "call": 10, "message": 30, "email": 15, "social": 15, "event": 10, "video": 8},
    "network": {"email": 30, "social": 25, "message": 15, "video": 10, "call": 8, "in_person": 6, "event": 6},
    "acquaintance": {"social": 45, "email": 25, "message": 12, "event": 10, "in_person": 4, "call": 4},
}


def _tier_counts(n: int) -> dict[str, int]:
    """How many of ``n`` people sit in each tier: each layer's own members (5, 10, 35, 100 and
    350 of 500, from the cumulative layer sizes 5 / 15 / 50 / 150 / 500), scaled to ``n``."""
    sizes = [vocab.TIER_LAYER_SIZE[t] for t in vocab.TIERS]
    own = {t: size - (sizes[i - 1] if i else 0) for i, (t, size) in enumerate(zip(vocab.TIERS, sizes))}
    total = sizes[-1]
    counts = {t: max(1 if n >= 5 else 0, round(n * own[t] / total)) for t in vocab.TIERS}
    counts["acquaintance"] += n - sum(counts.values())
    return counts


def generate(db: Database, *, contacts: int = 200, touches: int = 4000, seed: int = 1, today: date,
             force: bool = False) -> dict[str, int]:
    if contacts < 1 or contacts > 1_000_000:
        raise UserError("--contacts must be between 1 and 1,000,000")
    if touches < 0 or touches > 20_000_000:
        raise UserError("--touches must be between 0 and 20,000,000")
    from netjournal.engine import RelationshipState

    rng = random.Random(seed)
    with db.read() as s:
        existing = s.connection().exec_driver_sql("SELECT count(*) FROM contact").scalar()
    if existing and not force:
        raise UserError(f"this journal already has {existing} contacts; demo data goes into an empty journal "
                        "(use --db to pick another file, or --force to add to it)")
    if existing and force:
        with db.read() as s:
            base_cid = int(s.connection().exec_driver_sql("SELECT coalesce(max(id),0) FROM contact").scalar())
            base_tid = int(s.connection().exec_driver_sql("SELECT coalesce(max(id),0) FROM touch").scalar())
            base_fid = int(s.connection().exec_driver_sql("SELECT coalesce(max(id),0) FROM followup").scalar())
    else:
        base_cid = base_tid = base_fid = 0

    stamp = datetime.combine(today, time(12, 0), tzinfo=timezone.utc)
    # ---- people
    combos = [(f, l) for f in FIRST for l in LAST]
    rng.shuffle(combos)
    tiers: list[str] = []
    for t, k in _tier_counts(contacts).items():
        tiers += [t] * k
    rng.shuffle(tiers)
    people = []
    for i in range(contacts):
        f, l = combos[i % len(combos)]
        name = f"{f} {l}" if i < len(combos) else f"{f} {l} {i // len(combos) + 1}"
        tier = tiers[i]
        gap = TIER_GAP[tier] * math.exp(rng.gauss(0, 0.45))
        out_share = min(0.97, max(0.03, rng.betavariate(4, 3)))
        if rng.random() < 0.06:
            out_share = 0.95  # one-sided: I always start
        elif rng.random() < 0.04:
            out_share = 0.08  # one-sided: they always do
        fade = rng.random() < 0.12  # a relationship that faded
        people.append(dict(id=base_cid + i + 1, name=name, first=f, last=l, tier=tier, gap=gap,
                           out_share=out_share, fade=fade, weight=1.0 / gap))
    # ---- touches: shares proportional to each person's frequency
    span_days = 3 * 365
    start = today - timedelta(days=span_days)
    wsum = sum(p["weight"] for p in people)
    touch_rows, link_rows, hist = [], [], {p["id"]: [] for p in people}
    tid = base_tid
    by_tier: dict[str, list[dict]] = {}
    for p in people:
        by_tier.setdefault(p["tier"], []).append(p)
    for p in people:
        n = int(round(touches * p["weight"] / wsum * 0.8))  # ~20% more come as replies below
        if n == 0:
            continue
        channels = TIER_CHANNELS[p["tier"]]
        ch_names, ch_w = list(channels), list(channels.values())
        end = today - timedelta(days=int(p["gap"] * rng.uniform(3, 8))) if p["fade"] else today
        first_day = max(start, end - timedelta(days=int(n * p["gap"] * 0.9) + 1))
        span = max(1, (end - first_day).days)
        days = sorted(first_day + timedelta(days=rng.randrange(span + 1)) for _ in range(n))
        # bursts: some touches land the day after the previous one
        for j in range(1, len(days)):
            if rng.random() < 0.15:
                days[j] = min(end, days[j - 1] + timedelta(days=rng.choice((0, 1, 1, 2))))
        days.sort()
        for d in days:
            tid += 1
            ch = rng.choices(ch_names, ch_w)[0]
            r = rng.random()
            direction = "out" if r < p["out_share"] * 0.9 else ("in" if r < 0.9 else "mutual")
            if ch in ("in_person", "event"):
                direction = "mutual" if rng.random() < 0.6 else direction
            note = rng.choice(NOTES) if rng.random() < 0.12 else ""
            touch_rows.append(dict(
                id=tid, occurred_on=d, occurred_time=time(rng.randrange(8, 23), rng.choice((0, 15, 30, 45)))
                if rng.random() < 0.4 else None, channel=ch,
                platform=rng.choice(["linkedin", "mastodon", "bluesky", "instagram"]) if ch == "social" else "",
                direction=direction, summary=rng.choice(SUMMARIES[ch]), notes=note,
                value_given=rng.choice(VALUE) if rng.random() < 0.05 else "", source=None, created_at=stamp,
                updated_at=stamp))
            ids = [p["id"]]
            if rng.random() < 0.04 and len(by_tier[p["tier"]]) > 3:  # group touch
                for other in rng.sample(by_tier[p["tier"]], 2):
                    if other["id"] not in ids:
                        ids.append(other["id"])
            for cid in ids:
                link_rows.append(dict(touch_id=tid, contact_id=cid))
                hist[cid].append((d, ch, direction))
            # Most messages that reach you get an answer within a couple of days.
            if direction == "in" and ch not in vocab.LIVE_CHANNELS and rng.random() < 0.9:
                rd = d + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
                if rd <= today:
                    tid += 1
                    touch_rows.append(dict(
                        id=tid, occurred_on=rd, occurred_time=None, channel=ch, platform=touch_rows[-1]["platform"],
                        direction="out", summary="replied", notes="", value_given="", source=None,
                        created_at=stamp, updated_at=stamp))
                    link_rows.append(dict(touch_id=tid, contact_id=p["id"]))
                    hist[p["id"]].append((rd, ch, "out"))
    # ---- contacts (with their engine summaries computed from the history above)
    contact_rows, handle_rows, tag_rows, date_rows = [], [], [], []
    stage_by_tier = {"inner": (0, 0, 1, 3, 6), "close": (0, 1, 3, 4, 2), "friend": (1, 2, 5, 2, 1),
                     "network": (3, 4, 3, 1, 0), "acquaintance": (6, 3, 1, 0, 0)}
    targets = rng.sample(people, min(12, len(people)))
    target_rank = {p["id"]: i + 1 for i, p in enumerate(targets)}
    for p in people:
        h = hist[p["id"]]
        st = RelationshipState.from_history(h) if h else None
        interests = ", ".join(rng.sample(INTERESTS, rng.randint(0, 3)))
        tier = p["tier"]
        contact_rows.append(dict(
            id=p["id"], name=p["name"], given_name=p["first"], family_name=p["last"],
            nickname=p["first"][:3] if rng.random() < 0.05 else "",
            company=rng.choice(COMPANIES) if rng.random() < 0.8 else "",
            role=rng.choice(ROLES) if rng.random() < 0.7 else "",
            location=rng.choice(CITIES) if rng.random() < 0.6 else "",
            met_how=rng.choice(MET) if rng.random() < 0.5 else "",
            met_on=(start - timedelta(days=rng.randrange(0, 3000))) if rng.random() < 0.3 else None,
            tier=tier, stage=vocab.STAGES[rng.choices(range(5), stage_by_tier[tier])[0]],
            target_priority=target_rank.get(p["id"]),
            target_why="Knows the climate-tech investors I want to meet." if p["id"] in target_rank else "",
            target_offer="Can help with hiring engineers." if p["id"] in target_rank else "",
            rhythm_days=rng.choice((7, 14, 30)) if tier in ("inner", "close") and rng.random() < 0.1 else None,
            about=rng.choice(NOTES) if rng.random() < 0.3 else "", interests=interests,
            ask_next=rng.choice(["How was the trip?", "Did the job offer come through?", "How is the new flat?",
                                 "How did the race go?"]) if rng.random() < 0.15 else "",
            kin=tier in ("inner", "close") and rng.random() < 0.25, archived=rng.random() < 0.01,
            state_json=st.to_json() if st else None, last_touch_on=max(x[0] for x in h) if h else None,
            touch_count=len(h), created_at=stamp, updated_at=stamp))
        slug = f"{p['first']}.{p['last']}".lower()
        if rng.random() < 0.8:
            handle_rows.append(dict(contact_id=p["id"], kind="email", value=f"{slug}@example.com",
                                    norm=f"{slug}@example.com", label="work" if rng.random() < 0.5 else ""))
        if rng.random() < 0.5:
            num = f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
            handle_rows.append(dict(contact_id=p["id"], kind="phone", value=num,
                                    norm="".join(ch for ch in num if ch.isdigit())[-10:], label="mobile"))
        if rng.random() < 0.3:
            url = f"https://www.linkedin.com/in/{slug.replace('.', '-')}"
            handle_rows.append(dict(contact_id=p["id"], kind="linkedin", value=url, norm=url[12:], label=""))
        for t in rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2))):
            tag_rows.append(dict(contact_id=p["id"], tag=t))
        r = rng.random()
        if r < 0.45:
            if r < 0.01:
                m, d_ = 2, 29
            else:
                m = rng.randint(1, 12)
                d_ = rng.randint(1, 28)
            year = rng.randint(1950, 2004) if rng.random() < 0.75 else None
            date_rows.append(dict(contact_id=p["id"], kind="birthday", month=m, day=d_, year=year, label=""))
        if p["tier"] in ("inner", "close") and rng.random() < 0.15:
            date_rows.append(dict(contact_id=p["id"], kind="anniversary", month=rng.randint(1, 12),
                                  day=rng.randint(1, 28), year=rng.randint(1995, 2022), label="wedding"))
    # A birthday coming up in the next few days, so the demo's Today shows one.
    if people:
        soon = today + timedelta(days=3)
        date_rows.append(dict(contact_id=people[0]["id"], kind="birthday", month=soon.month, day=soon.day,
                              year=None, label=""))
    # ---- follow-ups
    fu_rows, fu_links = [], []
    fid = base_fid
    active = [p for p in people if hist[p["id"]]]
    n_fu = max(1, contacts // 25) if active else 0
    kinds = ["meet", "call", "send", "reply", "introduce", "other"]
    for _ in range(n_fu):
        p = rng.choice(active)
        fid += 1
        kind = rng.choices(kinds, (35, 20, 15, 10, 10, 10))[0]
        done = rng.random() < 0.45
        due = today + timedelta(days=rng.randint(-10, 30)) if not done else today - timedelta(days=rng.randint(5, 300))
        title = {"meet": f"Coffee with {p['first']}", "call": f"Call {p['first']}",
                 "send": f"Send {p['first']} the article", "reply": f"Reply to {p['first']}",
                 "introduce": f"Introduce {p['first']} to a founder", "other": f"Check in with {p['first']}"}[kind]
        fu_rows.append(dict(
            id=fid, kind=kind, title=title, due_on=due, due_time=time(rng.choice((9, 12, 15, 18)), 0) if kind in ("meet", "call") else None,
            place=rng.choice(["Café Central", "their office", "the park", "video"]) if kind == "meet" else "",
            agenda="- catch up\n- ask about the new role\n- mention the intro" if kind in ("meet", "call") else "",
            status="done" if done else "open",
            meeting_notes=("## Notes\n- They are hiring two engineers.\n- Wants feedback on the pitch deck.\n"
                           "## Next steps\n- Send the deck comments by Friday") if done and kind == "meet" else "",
            outcome="Good conversation; agreed to meet again next quarter." if done else "",
            from_touch_id=None, done_touch_id=None, parent_id=None, created_at=stamp, updated_at=stamp,
            completed_at=datetime.combine(due, time(18, 0), tzinfo=timezone.utc) if done else None))
        fu_links.append(dict(followup_id=fid, contact_id=p["id"]))
    # ---- journal: every third day of the last year, with mentions
    j_rows, j_links = [], []
    if active:
        for k in range(0, 365, 3):
            d = today - timedelta(days=k + 1)
            a, b = rng.sample(active, 2) if len(active) > 1 else (active[0], active[0])
            body = rng.choice(JOURNAL).format(a=f"@[{a['name']}]", b=f"@[{b['name']}]")
            j_rows.append(dict(day=d, body=body, created_at=stamp, updated_at=stamp))
            j_links.append((d, {a["id"], b["id"]}))
    # ---- write everything in one transaction
    with db.write() as s:
        conn = s.connection()
        # The ids were planned from a read before the write lock; a `log` (or anything) may
        # have written since. Read them again under the lock and move the new rows past them.
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("LOCK TABLE contact, touch, followup IN EXCLUSIVE MODE")
        now_c, now_t, now_f = (int(conn.exec_driver_sql(f"SELECT coalesce(max(id),0) FROM {t}").scalar())
                               for t in ("contact", "touch", "followup"))
        _shift_ids(now_c - base_cid, now_t - base_tid, now_f - base_fid, people=people, contact_rows=contact_rows,
                   contact_refs=(handle_rows, tag_rows, date_rows, link_rows, fu_links), touch_rows=touch_rows,
                   link_rows=link_rows, fu_rows=fu_rows, fu_links=fu_links)
        if now_c != base_cid:
            j_links = [(d, {c + now_c - base_cid for c in ids}) for d, ids in j_links]
        # days that already have a journal entry (read under the lock too): the demo skips them
        taken = set(conn.exec_driver_sql("SELECT day FROM journal_entry").scalars())
        taken = {x if isinstance(x, date) else date.fromisoformat(str(x)) for x in taken}
        keep = [i for i, r in enumerate(j_rows) if r["day"] not in taken]
        j_rows = [j_rows[i] for i in keep]
        j_links = [j_links[i] for i in keep]
        _bulk(conn, Contact, contact_rows)
        _bulk(conn, Handle, handle_rows)
        _bulk(conn, ContactTag, tag_rows)
        _bulk(conn, ImportantDate, date_rows)
        _bulk(conn, Touch, touch_rows)
        _bulk(conn, TouchContact, link_rows)
        _bulk(conn, FollowUp, fu_rows)
        _bulk(conn, FollowUpContact, fu_links)
        _bulk(conn, JournalEntry, j_rows)
        day_to_id = {(d if isinstance(d, date) else date.fromisoformat(str(d))): i for i, d in conn.execute(
            sa.select(JournalEntry.id, JournalEntry.day)).all()}
        mention_rows = [dict(entry_id=day_to_id[d], contact_id=c) for d, ids in j_links for c in ids]
        _bulk(conn, JournalMention, mention_rows)
        # search documents
        names = {p["id"]: p["name"] for p in people}
        tags_by = {}
        for r in tag_rows:
            tags_by.setdefault(r["contact_id"], []).append(r["tag"])
        handles_by = {}
        for r in handle_rows:
            handles_by.setdefault(r["contact_id"], []).append(r["value"])
        docs = []
        for r in contact_rows:
            title = r["name"] + (f" ({r['nickname']})" if r["nickname"] else "")
            body = "\n".join(x for x in (r["company"], r["role"], r["location"], r["met_how"], r["about"],
                                         r["interests"], r["ask_next"], r["target_why"], r["target_offer"],
                                         " ".join("#" + t for t in tags_by.get(r["id"], [])),
                                         " ".join(handles_by.get(r["id"], []))) if x)
            docs.append(dict(kind="contact", ref_id=r["id"], contact_id=r["id"], day=None, title=title, body=body))
        links_by = {}
        for r in link_rows:
            links_by.setdefault(r["touch_id"], []).append(r["contact_id"])
        for r in touch_rows:
            ids = links_by[r["id"]]
            who = " ".join(names[c] for c in ids)
            docs.append(dict(kind="touch", ref_id=r["id"], contact_id=ids[0], day=r["occurred_on"],
                             title=r["summary"], body="\n".join(x for x in (r["notes"], r["value_given"], who) if x)))
        for r, l in zip(fu_rows, fu_links):
            docs.append(dict(kind="followup", ref_id=r["id"], contact_id=l["contact_id"], day=r["due_on"],
                             title=r["title"], body="\n".join(x for x in (r["place"], r["agenda"], r["meeting_notes"],
                                                                          r["outcome"], names[l["contact_id"]]) if x)))
        for d, ids in j_links:
            eid = day_to_id[d]
            body = next(r["body"] for r in j_rows if r["day"] == d)
            docs.append(dict(kind="journal", ref_id=eid, contact_id=min(ids), day=d, title=f"Journal {d.isoformat()}",
                             body=body))
        _bulk(conn, SearchDoc, docs)
        fix_sequences(conn)
    return {"contacts": len(contact_rows), "touches": len(touch_rows), "followups": len(fu_rows),
            "journal_entries": len(j_rows), "dates": len(date_rows), "handles": len(handle_rows),
            "links": generate_links(db, first_id=base_cid + 1, seed=seed, today=today)}  # issue 16: people know each other


def _shift_ids(dc: int, dt: int, df: int, *, people, contact_rows, contact_refs, touch_rows, link_rows, fu_rows,
               fu_links) -> None:
    """Move planned ids by (contacts, touches, follow-ups) deltas, with every reference to them."""
    if dc:
        for r in (*people, *contact_rows):
            r["id"] += dc
        for rows in contact_refs:
            for r in rows:
                r["contact_id"] += dc
    if dt:
        for r in touch_rows:
            r["id"] += dt
        for r in link_rows:
            r["touch_id"] += dt
    if df:
        for r in fu_rows:
            r["id"] += df
        for r in fu_links:
            r["followup_id"] += df


def _bulk(conn, model, rows: list[dict], chunk: int = 20_000) -> None:
    table = model.__table__
    for i in range(0, len(rows), chunk):
        conn.execute(sa.insert(table), rows[i:i + chunk])


def generate_links(db: Database, *, first_id: int, seed: int, today: date) -> int:
    """Plausible links among the demo's contacts from ``first_id`` on (issue 16): colleagues by
    company (some reporting to a manager), partners, families sharing a surname, friends among
    close people, and who introduced whom (a few well-connected introducers, dated at the first
    touch). Its own random stream, so the rest of the demo is unchanged. Returns the count."""
    from netjournal.store.models import ContactLink

    rng = random.Random(seed * 7919 + 16)
    with db.read() as s:
        conn = s.connection()
        people = conn.execute(sa.select(Contact.id, Contact.company, Contact.family_name, Contact.tier)
                              .where(Contact.id >= first_id).order_by(Contact.id)).all()
        first_seen = dict(conn.execute(sa.select(TouchContact.contact_id, sa.func.min(Touch.occurred_on))
                                       .join(Touch, Touch.id == TouchContact.touch_id)
                                       .where(TouchContact.contact_id >= first_id)
                                       .group_by(TouchContact.contact_id)).all())
    if len(people) < 2:
        return 0
    stamp = datetime.combine(today, time(12, 0), tzinfo=timezone.utc)
    rows: list[dict] = []
    seen: set[tuple] = set()

    def link(kind: str, a: int, b: int, *, symmetric: bool, company: str = "", since=None) -> None:
        if a == b:
            return
        if symmetric and a > b:
            a, b = b, a
        key = (a, b) if symmetric else (min(a, b), max(a, b))
        if (kind, key) in seen:
            return
        seen.add((kind, key))
        rows.append(dict(a_id=a, b_id=b, kind=kind, label="", company=company, since=since, touch_id=None,
                         created_at=stamp))

    by_company: dict[str, list[int]] = {}
    by_family: dict[str, list[int]] = {}
    close_ids = []
    for cid, company, family, tier in people:
        if company and company != "freelance":
            by_company.setdefault(company, []).append(cid)
        if family:
            by_family.setdefault(family, []).append(cid)
        if tier in ("inner", "close", "friend"):
            close_ids.append(cid)
    for company, ids in by_company.items():
        if len(ids) < 2:
            continue
        managers = set(rng.sample(ids, max(1, len(ids) // 25)))
        for cid in ids:
            for other in rng.sample(ids, min(len(ids), rng.choice((0, 1, 1, 2)))):
                link("colleague", cid, other, symmetric=True, company=company)
            if cid not in managers and rng.random() < 0.15:
                link("reports_to", cid, rng.choice(sorted(managers)), symmetric=False)
    all_ids = [p[0] for p in people]
    for _ in range(len(people) // 30):
        link("partner", rng.choice(all_ids), rng.choice(all_ids), symmetric=True)
    for ids in by_family.values():
        if len(ids) >= 2:
            for _ in range(max(1, len(ids) // 60)):
                a, b = rng.sample(ids, 2)
                kind = rng.choice(("sibling", "sibling", "parent"))
                link(kind, a, b, symmetric=kind == "sibling")
    for _ in range(len(close_ids) // 4):
        link("friend", rng.choice(close_ids), rng.choice(close_ids), symmetric=True)
    introducers = rng.sample(close_ids or all_ids, max(1, min(len(close_ids or all_ids), len(people) // 40)))
    weights = [1.0 / (i + 1) for i in range(len(introducers))]  # a few bring most people
    for cid in all_ids:
        if rng.random() < 0.15:
            link("introduced_by", cid, rng.choices(introducers, weights)[0], symmetric=False,
                 since=first_seen.get(cid))
    with db.write() as s:
        _bulk(s.connection(), ContactLink, rows)
    return len(rows)
