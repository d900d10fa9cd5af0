"""Driving the app without a terminal: shared by the tests, scripts/screenshots.py and
bench/tui_bench.py, so they all wait for the app the same way."""
from __future__ import annotations

from textual.worker import WorkerCancelled


async def settle(pilot, rounds: int = 4) -> None:
    """Wait for the workers and the messages they post, a few rounds deep."""
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()
