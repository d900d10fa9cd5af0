"""Fast start: today's queue ranked while Textual loads, before SQLAlchemy is imported.

:func:`prefetch` (called by :func:`netjournal.tui.run` before it imports Textual, and by the
app itself if nobody did) reads the reminder engine's inputs from a SQLite journal with the
standard library (:func:`netjournal.store.fastread.sqlite_inputs`) and ranks them. Where it can,
it does that in a forked child process, so the work runs on another core while this process
imports Textual and paints the frame; elsewhere (no ``fork``, or threads already running) in a
thread. The app's Today screen picks the ranked queue up in a worker (:meth:`Prefetch.result`)
and paints it; the store (SQLAlchemy) opens afterwards and adopts the same inputs
(:meth:`Prefetch.inputs`) instead of reading them again.

Anything unusual (not SQLite, a URL with options, a missing file, an older schema, an empty
journal, any error) makes the result None: the app then goes the ordinary way. Where no fast
start runs at all (a database handed in, PostgreSQL), :func:`take` gives :data:`NO_FAST_START`,
which has the same three members (``done``, ``result()``, ``inputs()``) and nothing in them: the
Today screen paints the same way either way.

Imports only the standard library here; the child imports ``fastread`` and the engine.
"""
from __future__ import annotations

import gc
import os
import pickle
import struct
import sys
import threading
from pathlib import Path
from typing import Any

_HEADER = struct.Struct("!Q")
_started: dict[str, "Prefetch"] = {}
_lock = threading.Lock()
_gc_paused = False


def pause_gc() -> None:
    """Hold the cyclic garbage collector until the first paint: importing Textual and building
    the first screen allocate a great many objects (and no garbage worth collecting), and the
    collections they trigger were ~15% of the start-up's CPU time. See :func:`resume_gc`."""
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> None:
    """After the first paint: what start-up made is moved out of the collector's way for good
    (``gc.freeze``), then collection resumes. A no-op unless :func:`pause_gc` paused it."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def sqlite_path(url: str | None) -> Path | None:
    """The SQLite file behind ``url`` (as the CLI passes it), or None when not plainly one
    (see :func:`netjournal.store.urls.plain_sqlite_file`: no SQLAlchemy)."""
    from netjournal.store.urls import plain_sqlite_file

    return plain_sqlite_file(url)


class FastQueue:
    """What the fast start hands the Today screen: the ranked queue and the day it is for."""

    __slots__ = ("items", "now")

    def __init__(self, items: list, now: Any) -> None:
        self.items, self.now = items, now


def _compute(path: Path, config: Any) -> tuple[FastQueue | None, list | None]:
    from netjournal import clock, engine
    from netjournal.store.fastread import sqlite_inputs

    inputs = sqlite_inputs(path)
    if not inputs:  # missing, older schema, unreadable, or empty (the welcome text needs the names)
        return None, None
    try:
        cfg = config.engine_config() if config is not None else None
    except Exception:  # noqa: BLE001 - the app reports a bad [engine] section and uses the defaults
        cfg = None
    now = clock.now()
    from netjournal.store.fastread import sqlite_seen  # issue 12: the days the queue was seen, as the full queue
    items = engine.QueueCache(inputs, now, cfg or engine.EngineConfig(), seen=sqlite_seen(path) or []).queue()
    return FastQueue(items, now), inputs


class Prefetch:
    """One fast start in flight (a forked child, or a thread)."""

    def __init__(self, path: Path, config: Any) -> None:
        self.path = path
        self._done = threading.Event()
        self._queue: FastQueue | None = None
        self._inputs: list | None = None
        self._inputs_raw: bytes | None = None
        self._inputs_ready = threading.Event()
        self._pid: int | None = None
        if _can_fork():
            try:
                self._fork(config)
                return
            except OSError:
                self._pid = None
        threading.Thread(target=self._in_thread, args=(config,), name="netjournal-faststart", daemon=True).start()

    # ------------------------------------------------------------------ thread
    def _in_thread(self, config: Any) -> None:
        try:
            self._queue, self._inputs = _compute(self.path, config)
        except BaseException:  # noqa: BLE001 - the ordinary way will report it
            self._queue = self._inputs = None
        finally:
            self._done.set()
            self._inputs_ready.set()

    # ------------------------------------------------------------------ fork
    def _fork(self, config: Any) -> None:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, write two messages, leave without any clean-up
            code = 0
            try:
                gc.disable()  # a short-lived process: collecting would only cost time
                os.close(r)
                queue, inputs = _compute(self.path, config)
                _send(w, queue)
                if queue is not None:
                    _send(w, inputs)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(w)
        self._pid = pid
        threading.Thread(target=self._read_child, args=(r,), name="netjournal-faststart", daemon=True).start()

    def _read_child(self, fd: int) -> None:
        try:
            with os.fdopen(fd, "rb", buffering=0) as f:
                try:
                    raw = _recv(f)
                    self._queue = pickle.loads(raw) if raw is not None else None
                except Exception:  # noqa: BLE001
                    self._queue = None
                self._done.set()
                if self._queue is not None:
                    try:
                        self._inputs_raw = _recv(f)  # unpickled when (and if) the store wants them
                    except Exception:  # noqa: BLE001
                        self._inputs_raw = None
        finally:
            self._done.set()
            self._inputs_ready.set()
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass

    # ------------------------------------------------------------------ results
    @property
    def done(self) -> bool:
        """Whether :meth:`result` would return at once."""
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> FastQueue | None:
        """The ranked queue, or None (blocks: call it from a worker)."""
        self._done.wait(timeout)
        return self._queue

    def inputs(self, timeout: float | None = 30.0) -> list | None:
        """The engine inputs the queue was ranked from, once (None if unavailable)."""
        if not self._inputs_ready.wait(timeout):
            return None
        if self._inputs is None and self._inputs_raw is not None:
            raw, self._inputs_raw = self._inputs_raw, None
            try:
                self._inputs = pickle.loads(raw)
            except Exception:  # noqa: BLE001
                self._inputs = None
        inputs, self._inputs = self._inputs, None
        return inputs


class NoFastStart:
    """The null fast start: nothing was ranked ahead (the store ranks the queue once open)."""

    done = True

    def result(self, timeout: float | None = None) -> None:
        return None

    def inputs(self, timeout: float | None = None) -> None:
        return None


NO_FAST_START = NoFastStart()


def _can_fork() -> bool:
    # Forking is safe only while this process runs a single thread (as when the CLI starts).
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def _send(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _recv(f) -> bytes | None:
    head = _read_exactly(f, _HEADER.size)
    if head is None:
        return None
    return _read_exactly(f, _HEADER.unpack(head)[0])


def _read_exactly(f, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        b = f.read(min(left, 1 << 20))
        if not b:
            return None
        chunks.append(b)
        left -= len(b)
    return b"".join(chunks)


def prefetch(url: str | None, config: Any = None, *, hold_gc: bool = True) -> Prefetch | None:
    """Start ranking today's queue for the journal at ``url`` (once per file); None if not SQLite.

    Call it before importing Textual. It also pauses the garbage collector (``hold_gc``) until
    the app's first paint (:func:`pause_gc`; the app resumes it, at the latest when it exits).
    """
    if hold_gc:
        pause_gc()
    try:
        path = sqlite_path(url)
    except Exception:  # noqa: BLE001
        return None
    if path is None or not path.is_file():
        return None
    key = str(path)
    with _lock:
        pre = _started.get(key)
        if pre is None:
            pre = _started[key] = Prefetch(path, config)
        return pre


def take(url: str | None, config: Any = None) -> "Prefetch | NoFastStart":
    """The fast start for ``url`` (started now if :func:`prefetch` was not called), handed over
    once; :data:`NO_FAST_START` where there is none."""
    pre = prefetch(url, config, hold_gc=False)
    if pre is None:
        return NO_FAST_START
    with _lock:
        _started.pop(str(pre.path), None)
    return pre


class StartUp:
    """The app's start-up, one object whether or not a fast start ran (no Textual here).

    It holds the fast start (a :class:`Prefetch`, or :data:`NO_FAST_START`), whether its queue
    was painted, and what was asked for (a key at start-up) before the journal was open. Today
    paints from :meth:`queue`; the store adopts :meth:`inputs` once; :meth:`finished` marks the
    first paint done (the garbage collector resumes); :meth:`later` / :meth:`opened` carry keys
    pressed early over to the open journal.
    """

    MAX_WAITING = 8

    def __init__(self, fast: "Prefetch | NoFastStart" = NO_FAST_START) -> None:
        self._fast = fast
        self.painted = False  # the fast start's queue is on screen: the journal has active contacts
        self._waiting: list = []

    @classmethod
    def for_url(cls, url: str | None, config: Any = None) -> "StartUp":
        return cls(take(url, config))

    # ------------------------------------------------------------------ the first queue
    @property
    def ready(self) -> bool:
        """Whether :meth:`queue` would return at once (always, without a fast start)."""
        return self._fast.done

    def queue(self, timeout: float | None = None) -> FastQueue | None:
        """The queue ranked ahead, or None (blocks until ready: call it from a worker)."""
        return self._fast.result(timeout)

    def inputs(self) -> list | None:
        """The engine inputs the first queue was ranked from, handed over once."""
        fast, self._fast = self._fast, NO_FAST_START
        return fast.inputs()

    def finished(self) -> None:
        """The first paint is done: the garbage collector resumes (see :func:`resume_gc`)."""
        resume_gc()

    # ------------------------------------------------------------------ keys pressed early
    def later(self, fn, *, open_: bool, failed: bool) -> bool:
        """True (``fn`` is kept for :meth:`opened`, a few at most) while the journal is not open."""
        if open_:
            return False
        if not failed and len(self._waiting) < self.MAX_WAITING:
            self._waiting.append(fn)
        return True

    def opened(self) -> list:
        """What waited for the journal, in order (handed over once)."""
        waiting, self._waiting = self._waiting, []
        return waiting

    def failed(self) -> None:
        """The journal did not open: nothing waits for it any more."""
        self._waiting.clear()
