"""The settings screen is built from the settings table in core.setting_defs."""

from counter_app.core.setting_defs import SETTINGS
from tests.ui.conftest import finish


def test_the_screen_shows_table_labels_and_saves_through_the_table(qtbot, window, core):
    view = window.settings
    layout = view.fields["forms.receipt_layout"]
    assert [layout.itemText(i) for i in range(layout.count())] == ["Hai trang A4", "Hai trang A5",
                                                                  "Hai nửa tờ A4 ngang"]
    assert {d.key for d in SETTINGS} - set(view.fields) <= {"register_holder"} | {
        d.key for d in SETTINGS if d.key.startswith("stamps.") and d.key != "stamps.layout"}
    layout.setCurrentIndex(2)
    view.fields["restart_due_on_supplement"].setChecked(False)
    view.fields["forms.header_lines"].setText("UBND TỈNH GIA LAI |  UBND XÃ ĐỊNH MỸ")
    finish(qtbot, view.save())
    s = core.ctx.settings
    assert (s.forms.receipt_layout, s.restart_due_on_supplement) == ("a4_halves", False)
    assert s.forms.header_lines == ("UBND TỈNH GIA LAI", "UBND XÃ ĐỊNH MỸ")
