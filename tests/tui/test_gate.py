"""The gate behind Today's side pane: calls made while it is shut run when it opens, in order,
once; an open gate lets calls through at once."""
from __future__ import annotations

from netjournal.tui.gate import Gate


class Pane:
    side = Gate.per_instance()

    def __init__(self) -> None:
        self.seen: list = []

    @Gate.waits("side")
    def got(self, value, *, extra=None) -> str:
        self.seen.append((value, extra))
        return "ran"


def test_calls_wait_while_shut_and_run_in_order_when_it_opens():
    p = Pane()
    p.side.shut()
    assert p.got(1) is None and p.got(2, extra="x") is None
    assert p.seen == []
    p.side.open()
    assert p.seen == [(1, None), (2, "x")]
    p.side.open()  # handed over once
    assert p.seen == [(1, None), (2, "x")]
    assert p.got(3) == "ran" and p.seen[-1] == (3, None)


def test_each_instance_has_its_own_gate_open_by_default():
    a, b = Pane(), Pane()
    a.side.shut()
    assert not a.side.is_open and b.side.is_open
    assert b.got("b") == "ran" and a.got("a") is None
    assert a.seen == [] and b.seen == [("b", None)]
