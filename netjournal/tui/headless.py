"""Driving the app without a terminal: shared by the tests, scripts/screenshots.py and
bench/tui_bench.py, so they all wait for the app the same way."""
from __future__ import annotations

from textual.worker import WorkerCancelled


async def settle(pilot, rounds: int = 4) -> None:
    """Wait for the keys typed ahead, the workers and the messages they post, a few rounds deep."""
    gate = getattr(pilot.app, "key_gate", None)
    for _ in range(rounds):
        if gate is not None:
            await gate.wait_open()   # keys typed ahead are handed on first
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()
