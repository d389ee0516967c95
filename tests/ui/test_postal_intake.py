"""The intake screen's postal fields: shown for the channel «Bưu chính», committed with the dossier."""

from PySide6.QtCore import Qt

from tests.ui.conftest import press, shortcut, type_text

ITEM = "RR123456785VN"


def test_postal_fields_follow_the_channel_and_reach_the_dossier(qtbot, window, core, dialogs):
    view = window.intake
    shortcut(qtbot, window, Qt.Key_F2)
    type_text(view.picker, "1612")
    press(view.picker, Qt.Key_Return)
    type_text(view.name, "Lê Thị Đào")
    assert not view.postal_box.isVisible() and view.request().postal is None
    view.channel.setCurrentIndex(view.channel.findText("Bưu chính"))
    assert view.postal_box.isVisible()
    type_text(view.postal_item, "rr123456785vn")
    type_text(view.postal_employee, "Phạm Văn Bưu")
    view.seal_intact.setCurrentIndex(view.seal_intact.findText("Không nguyên vẹn"))
    dialogs.expect(lambda dialog: dialog.print_now())
    shortcut(qtbot, view.picker, Qt.Key_S, Qt.ControlModifier)
    qtbot.waitUntil(lambda: bool(list(window.prints_dir.glob("*.pdf"))), timeout=10_000)
    code = view.last_printed[0]
    d = core.queries.get(code)
    assert (d.channel.value, d.postal_item) == ("post", ITEM)
    assert d.events[0].payload["postal"]["seal_intact"] is False
    assert view.postal_item.text() == ""  # the next dossier starts without the last one's item
