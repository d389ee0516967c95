"""Settings the province sends through the pull: applied through the one settings table."""

from counter_app.core import protocol
from counter_app.sync.engine import SyncEngine, SyncReport


def test_a_settings_change_applies_only_what_the_province_may_set(app):
    report = SyncReport()
    change = {"kind": protocol.CHANGE_SETTINGS, "seq": 1,
              "data": {"values": {"forms.form_set": "2018", "max_reschedules": 3, "forms.unit_name": "KHÁC"}}}
    with app.uow() as uow:
        SyncEngine.__new__(SyncEngine)._apply(uow, change, report)  # no server: the change as pulled
        uow.commit()
    s = app.ctx.settings
    assert (s.forms.form_set, s.max_reschedules) == ("2018", 3)
    assert s.forms.unit_name != "KHÁC"
    assert report.settings_changed and report.applied == {"settings:partly": 1}


def test_the_province_publishes_settings_and_the_counter_applies_them(province, make_counter, tmp_path, capsys):
    import json

    from provincial_server.cli import main as server

    counter = make_counter(province)
    url = str(province.db.engine.url.render_as_string(hide_password=False))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"values": {"forms.unit_name": "KHÁC"}}), "utf-8")
    assert server(["--db", url, "publish-settings", str(bad)]) == 2  # the counter decides its own name
    assert "do quầy quyết định" in capsys.readouterr().err
    bad.write_text(json.dumps({"max_reschedules": "nhiều"}), "utf-8")
    assert server(["--db", url, "publish-settings", str(bad)]) == 2
    good = tmp_path / "settings.json"
    good.write_text(json.dumps({"values": {"forms.form_set": "2018", "max_reschedules": 3}}), "utf-8")
    assert server(["--db", url, "publish-settings", str(good), "--agency", "H52.101"]) == 0
    report = counter.sync()
    assert report.ok and report.settings_changed and report.applied.get("settings:applied") == 1
    s = counter.app.ctx.settings
    assert (s.forms.form_set, s.max_reschedules) == ("2018", 3)
    assert counter.sync().pulled == 0
