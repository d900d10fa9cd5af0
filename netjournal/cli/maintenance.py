"""Maintenance: the demo journal, schema upgrades, doctor."""
from __future__ import annotations

import gc
import sys

from netjournal.cli.common import DEFAULT_GC, Ctx, Parser, emit_json, int_arg, out, safe_url


def cmd_demo(ctx: Ctx, a) -> int:
    import time as _t

    from netjournal.store import demo, maintenance

    if a.open and not a.force and maintenance.counts(ctx.db).contacts:
        sys.stderr.write("note: this journal already has contacts; opening it as it is\n")
    else:
        t0 = _t.perf_counter()
        n = demo.generate(ctx.db, contacts=a.contacts, touches=a.touches, seed=a.seed, today=ctx.today,
                          force=a.force)
        n["seconds"] = round(_t.perf_counter() - t0, 2)
        if a.json:
            emit_json(n)
        else:
            out(f"demo journal: {n['contacts']} contacts, {n['touches']} touches, {n['followups']} follow-up{'' if n['followups'] == 1 else 's'}, "
                f"{n['journal_entries']} journal entries in {n['seconds']} s")
    if a.open:
        gc.set_threshold(*DEFAULT_GC)
        url, cfg = ctx.db.url, ctx.config
        ctx.close()
        ctx._db = None
        from netjournal.tui import run

        return run(url, cfg)
    return 0


def cmd_db_upgrade(ctx: Ctx, a) -> int:
    from netjournal.store import schema
    from netjournal.store.db import open_database

    db = open_database(a.db, migrate=False)
    ctx._db = db
    before = schema.current_revision(db)
    backup = schema.ensure_current(db)
    after = schema.current_revision(db)
    if before == after:
        out(f"schema is current ({after})")
    else:
        out(f"upgraded schema {before or 'none'} → {after}" + (f"; backup at {backup}" if backup else ""))
    return 0


def cmd_doctor(ctx: Ctx, a) -> int:
    from netjournal.store import maintenance

    rep = maintenance.doctor(ctx.db, repair=not a.no_repair)
    if a.json:
        emit_json({"ok": rep.ok, "schema": rep.schema, "checks": rep.checks, "counts": rep.counts,
                   "database": safe_url(ctx.db.url), "advice": rep.advice})
        return 0 if rep.ok else 1
    out(f"journal: {safe_url(ctx.db.url)}")
    for c in rep.checks:
        mark = "ok " if c.ok else ("fix" if c.repaired else "BAD")
        out(f"  [{mark}] {c.name}: {c.detail}")
    n = rep.counts
    if n is not None:
        out(f"  {n.contacts} contacts ({n.archived} archived), {n.touches} touches, {n.followups_open} open follow-ups "
            f"of {n.followups}, {n.journal_entries} journal entries, {n.handles} handles")
    for line in rep.advice:
        out(f"  → {line}")
    out("all good" if rep.ok else "problems remain (see above)")
    return 0 if rep.ok else 1


def register(sub) -> None:
    s = sub.add_parser("demo", help="fill an empty journal with a realistic demo network")
    s.add_argument("--contacts", type=int_arg, default=200)
    s.add_argument("--touches", type=int_arg, default=4000)
    s.add_argument("--seed", type=int_arg, default=1)
    s.add_argument("--force", action="store_true", help="add to a journal that is not empty")
    s.add_argument("--open", action="store_true", help="then open the app on it (a journal already filled is just opened)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("db", help="database maintenance")
    dsub = s.add_subparsers(dest="dcmd", metavar="ACTION", parser_class=Parser)
    u = dsub.add_parser("upgrade", help="upgrade the schema (done automatically on open)")
    u.set_defaults(func=cmd_db_upgrade)

    s = sub.add_parser("doctor", help="check integrity, schema, search index; repair what is safe")
    s.add_argument("--no-repair", action="store_true")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_doctor)
