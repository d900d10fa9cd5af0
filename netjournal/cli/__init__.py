"""The ``netjournal`` command: the TUI by default, and commands for capture and scripting.

Exit codes scripts can trust: 0 done; 1 a check failed (``doctor``) or an internal error;
2 bad input (unknown or ambiguous contact, impossible date, unknown channel, over-long field,
bad ``--db``, unwritable data directory…): one line on stderr and nothing written;
130 interrupted.

Imports stay light: the store is imported when a command needs it, Textual only when the TUI
opens.

Each command lives in one module of this package, its parser next to its handler; a module
registers its commands with ``register(sub)``, and ``COMMANDS`` lists the modules in the order
``--help`` shows them. A new command is one new module plus one line here.
"""
from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Sequence

from netjournal.cli.common import DEFAULT_GC, PROG, ArgError, Ctx, Parser, check_argv_text, out, path_arg
from netjournal.errors import UserError

COMMANDS = (
    "contacts",     # add, edit, list, show
    "touches",      # log
    "followups",    # followup add/list/done/cancel
    "search",       # search
    "journal",      # journal
    "queue",        # due, snooze, dismiss
    "links",        # link, unlink, introduce, graph, links
    "transfer",     # import, export, backup, restore
    "maintenance",  # demo, db upgrade, doctor
    "replay",       # replay
    "sync",         # sync vdir
)


def build_parser() -> Parser:
    p = Parser(prog=PROG, description="A keyboard-driven journal of your network. Run with no command to open the app.")
    p.add_argument("--db", metavar="URL", type=path_arg, help="database URL or file (default: $NETJOURNAL_DB or the journal in your data directory)")
    p.add_argument("--create", action="store_true", help="with --db: make the folders of a new journal if they are missing")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"netjournal.cli.{name}").register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A command lives for a fraction of a second and keeps what it imports: collect cyclic
    # garbage rarely (each collection walks every object SQLAlchemy and pydantic hold), which
    # takes a good share off `log`'s wall time. Reference counting still frees the rest.
    gc.set_threshold(50_000, 20, 20)
    os.umask(0o077)  # everything we write (journal, backups, exports, drafts) is the user's alone
    debug = bool(os.environ.get("NETJOURNAL_DEBUG"))
    ctx = None
    try:
        # `replay` takes its own arguments: hand them over untouched.
        if "replay" in argv:
            i = argv.index("replay")
            if all(x.startswith("-") or argv[j - 1] == "--db" for j, x in enumerate(argv[:i])):
                from netjournal.cli.replay import replay_main

                return replay_main(argv[i + 1:])
        parser = build_parser()
        args, extra = parser.parse_known_args(argv)
        if extra and isinstance(getattr(args, "contact", None), str) and not any(
                isinstance(getattr(args, k, None), list) for k in ("summary", "title")) \
                and not any(x.startswith("-") and x != "-" for x in extra):
            args.contact = " ".join([args.contact, *extra])  # `show ada lovelace`
            extra = []
        if extra:
            # Words after options belong to the command's free-text argument
            # (`log alice -c call talked about the move`).
            tail = next((k for k in ("summary", "title", "text", "query", "name") if isinstance(getattr(args, k, None), list)), None)
            if tail is None or any(x.startswith("-") and x != "-" for x in extra):
                bad = next((x for x in extra if x.startswith("-")), extra[0])
                raise ArgError(f"{PROG}: unrecognized argument {bad!r} (see `{PROG} {args.cmd or ''} --help`)".replace("  ", " "))
            setattr(args, tail, [*getattr(args, tail), *extra])
        check_argv_text(parser, args)
        if args.version:
            from importlib.metadata import version

            out(f"netjournal {version('netjournal')}")
            return 0
        ctx = Ctx(args)
        if args.cmd is None:
            from netjournal.store.urls import resolve_url  # no SQLAlchemy before the first paint

            url = resolve_url(args.db)
            cfg = ctx.config
            gc.set_threshold(*DEFAULT_GC)  # a long-running app: Python's usual collection rhythm
            from netjournal.tui import run

            return run(url, cfg)
        if not hasattr(args, "func"):
            parser.parse_args([*argv, "--help"])
            return 2
        return args.func(ctx, args)
    except UserError as exc:
        from netjournal.textsafe import neutralise

        msg = neutralise(str(exc), keep="\n")  # a message may quote stored or typed text
        if not msg.startswith(PROG):
            msg = f"{PROG}: {msg}"
        sys.stderr.write(msg.splitlines()[0] if msg else f"{PROG}: error" + "\n")
        sys.stderr.write("\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except SystemExit as exc:  # --help
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    except Exception as exc:  # noqa: BLE001 - the promise: never a traceback
        if debug:
            raise
        try:
            from netjournal.store.db import db_error_line

            line = db_error_line(exc)
            if line is not None:
                sys.stderr.write(f"{PROG}: {line}\n")
                return 2
        except ImportError:
            pass
        if isinstance(exc, OSError):
            sys.stderr.write(f"{PROG}: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "") + "\n")
            return 2
        sys.stderr.write(f"{PROG}: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                         " (set NETJOURNAL_DEBUG=1 for details)\n")
        return 1
    finally:
        if ctx is not None:
            ctx.close()
