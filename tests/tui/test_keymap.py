"""[keys] remaps as a user writes them in config.toml: a clash is said, the hints follow."""
from __future__ import annotations

from tests.tui.conftest import SIZE, make_app, settle
from tests.tui.test_flows import screen_text


def _config(**keys):
    from netjournal.config import Config

    return Config(keys=dict(keys))


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_remap_onto_a_key_taken_on_a_screen_is_warned(small_db):
    # log_touch = "n" took the contact screen's n ("who can introduce") — logging had no key there
    app = make_app(small_db, _config(log_touch="n"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("log_touch = 'n'" in t and "contact_introduce on Contact" in t for t in _toasts(app))


async def test_a_free_remap_is_quiet_and_todays_hint_uses_it(small_db):
    app = make_app(small_db, _config(log_touch="ctrl+n", snooze="z"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not any("[keys]" in t for t in _toasts(app))
        text = screen_text(app)
        assert "ctrl+n log · z snooze · d dismiss" in text
        assert "l log" not in text
        await pilot.press("z")  # the remapped key does what the hint says
        await settle(pilot)
        assert app.screen.__class__.__name__ == "SnoozeModal"


async def test_palette_help_text_shows_config_names_literally(small_db):
    from netjournal.tui.commands import NetjournalCommands

    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        for ch in "sync address":
            await pilot.press("space" if ch == " " else ch)
        await settle(pilot)
        assert "[sync] vdir in config.toml" in screen_text(app)
        assert NetjournalCommands  # (the provider that lists it)
