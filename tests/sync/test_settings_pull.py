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
