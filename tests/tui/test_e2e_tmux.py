"""End to end: the installed `netjournal` in a real terminal (tmux) logs a touch with keystrokes,
and `netjournal show` finds it."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

pytestmark = pytest.mark.slow

TMUX = shutil.which("tmux")
NJ = shutil.which("netjournal")


def _wait_for(session: str, text: str, timeout: float = 300.0) -> str:
    end = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < end:
        screen = subprocess.run([TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.skipif(NJ is None, reason="the netjournal command is not installed (pip install -e .)")
def test_log_touch_in_real_terminal(nj_env):
    env = dict(os.environ)
    db = str(nj_env / "data" / "e2e.db")
    subprocess.run([NJ, "--db", db, "demo", "--contacts", "30", "--touches", "200"], env=env, check=True,
                   capture_output=True)
    subprocess.run([NJ, "--db", db, "add", "Zed Tmuxer"], env=env, check=True, capture_output=True)
    session = f"nj-e2e-{os.getpid()}"
    cmd = f"{NJ} --db {db}"
    subprocess.run([TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
                    "env", *[f"{k}={env[k]}" for k in ("NETJOURNAL_DATA_DIR", "NETJOURNAL_CONFIG_DIR",
                                                     "NETJOURNAL_TODAY")], *cmd.split()], check=True)
    try:
        _wait_for(session, "Reach out today")
        keys = ["J", "l"]
        for k in keys:
            subprocess.run([TMUX, "send-keys", "-t", session, k], check=True)
            time.sleep(0.3)
        _wait_for(session, "Log a touch")

        def send(*keys: str, literal: bool = False) -> None:
            subprocess.run([TMUX, "send-keys", "-t", session, *(["-l"] if literal else []), *keys], check=True)

        # Each step waits for the screen to show the next one, so a slow machine cannot make a
        # key land in the previous step.
        send("zed tmux", literal=True)
        _wait_for(session, "Zed Tmuxer")
        send("Enter")
        _wait_for(session, "With: Zed Tmuxer")
        send("Enter")
        _wait_for(session, "one key picks the channel")
        send("c")
        _wait_for(session, "reached out")
        send("Enter")
        _wait_for(session, "when:")
        time.sleep(0.5)
        send("Enter")  # when: empty = today; the summary gets the focus
        time.sleep(1.0)
        send("tmux e2e call", literal=True)
        send("Enter")
        _wait_for(session, "Logged:")
        _wait_for(session, "tmux e2e call")
        subprocess.run([TMUX, "send-keys", "-t", session, "q"], check=True)
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)
    found = subprocess.run([NJ, "--db", db, "show", "Zed Tmuxer"], env=env, capture_output=True, text=True)
    assert "tmux e2e call" in found.stdout, found.stdout + found.stderr
