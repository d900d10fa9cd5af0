from tests.tui.conftest import SIZE, make_app, settle


async def test_today_paints(small_db):
    app = make_app(small_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from netjournal.tui.widgets.vtable import VirtualTable

        q = app.screen.query_one("#queue", VirtualTable)
        print([ (r.contact_name, r.kind) for r in q.rows])
        assert q.rows
