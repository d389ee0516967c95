"""Issue 15 item 3 in the window: a return away from the chosen return point asks for a reason, and
a dossier the province flagged for review says so in its detail view."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import finish, press, settle, shortcut, type_text
from tests.ui.test_counter_safety import open_dossier

ELSEWHERE = "H52.102"


def _ready_elsewhere(core) -> str:
    from counter_app.core.admin import make_agency
    from tests.conftest import receivable_anywhere, request

    core.setup.add_served_agency(make_agency(ELSEWHERE, "UBND xã Định Hòa", "Gia Lai", own=False))
    receivable_anywhere(core)  # received here for another agency: a location-independent procedure
    d = core.intake.receive(request(competent_agency=ELSEWHERE, return_agency=ELSEWHERE))
    core.actions.result_ready(d.code, "Cán bộ B")
    return d.code


def test_the_return_screen_asks_why_when_this_counter_is_not_the_return_point(qtbot, window, core, dialogs):
    code = _ready_elsewhere(core)
    window.nav.setCurrentRow(1)
    view = window.returns
    type_text(view.code, code)
    press(view.code, Qt.Key_Return)
    assert view.form.isRowVisible(view.reason) and "Nơi trả đã chọn khi tiếp nhận: tại quầy UBND xã Định Hòa" \
        in view.info.text()
    refused = []
    dialogs.expect(lambda box: (refused.append(box.text()), box.accept()))
    shortcut(qtbot, view.receiver, Qt.Key_S, Qt.ControlModifier)  # no reason: refused before anything is asked
    qtbot.waitUntil(lambda: bool(refused), timeout=5_000)
    assert "ghi lý do trả tại quầy này" in refused[0]
    assert core.queries.get(code).status == "result_ready"
    type_text(view.reason, "Công dân đang ở gần quầy này")
    dialogs.expect(lambda box: box.button(QMessageBox.Yes).click())
    finish(qtbot, view.commit())
    settle(qtbot)
    dialogs.stop()
    payload = core.queries.get(code).events[-1].payload
    assert (payload["reason"], payload["off_return_point"]) == ("Công dân đang ở gần quầy này", ELSEWHERE)
    assert not view.form.isRowVisible(view.reason) and view.reason.text() == ""


def test_the_detail_view_asks_why_and_shows_the_provinces_review_flag(qtbot, window, core, dialogs):
    from counter_app.core.lifecycle import Action

    code = _ready_elsewhere(core)
    dialog = open_dossier(qtbot, window, code)
    asked = []

    def answer(box):
        asked.append(box.labelText())
        box.setTextValue("Công dân đến nhận tại đây")
        box.accept()

    dialogs.expect(lambda box: box.button(QMessageBox.Yes).click(), answer)
    finish(qtbot, dialog.perform(Action.RETURN))
    settle(qtbot)
    dialogs.stop()
    assert asked == [f"Quầy này không phải nơi trả đã chọn ({ELSEWHERE}). Lý do trả kết quả tại quầy này:"]
    returned = core.queries.get(code).events[-1]
    assert returned.payload["reason"] == "Công dân đến nhận tại đây"
    assert dialog.flag_labels == []

    with core.uow() as uow:  # as pulled from the server after another counter returned it too
        uow.flags.apply({"id": 7, "code": code, "reason": "double_return", "events": [returned.uuid, "other"],
                         "raised_at": "2026-06-10T03:00:00+00:00"})
        uow.commit()
    dialog.refresh()
    (label,) = dialog.flag_labels
    assert "CẦN KIỂM TRA:" in label.text() and "Hai quầy cùng ghi nhận trả kết quả hồ sơ này" in label.text()
    press(dialog, Qt.Key_Escape)
