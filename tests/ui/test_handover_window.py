"""The Bàn giao screen, offscreen: the postal hand-over lists (pending, a day's list for a
direction, its signing, a reprint) and the hand-overs to the commune's specialists with the
day's list, each PDF read back."""

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt

from counter_app.core.model import Channel
from counter_app.core.officers import Operator
from counter_app.core.postal import PostalIntake
from tests.conftest import pdf_text, request
from tests.ui.conftest import finish, press, settle, type_text

A, C = "RR123456785VN", "RR111111115VN"


def open_screen(qtbot, window):
    window.nav.setCurrentRow(7)
    settle(qtbot)
    return window.handover


def test_postal_lists_are_drawn_up_signed_reprinted_and_reconciled(qtbot, window, core, tmp_path):
    d = core.intake.receive(request(channel=Channel.POST, postal=PostalIntake(A, employee="Phạm Văn Bưu")))
    view = open_screen(qtbot, window)
    panel = view.postal
    assert window.nav.item(7).text().startswith("Bàn giao")
    assert panel.table.rowCount() == 0 and panel.pending.rowCount() == 0
    assert panel.direction.currentText() == "Bưu chính giao hồ sơ cho Bộ phận một cửa"
    type_text(panel.items, C)  # on the post's list, not received here
    out = tmp_path / "in.pdf"
    message = finish(qtbot, panel.prepare(str(out)))
    text = pdf_text(out)
    assert "BIÊN BẢN GIAO NHẬN HỒ SƠ" in text and A in text and C in text and "Chưa tiếp nhận" in text
    settle(qtbot)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 4).text() == "Chưa ký"
    code = panel.table.item(0, 0).text()
    assert code in message and code in text

    assert panel.sign() is None and "Chọn một biên bản" in panel.status.text()  # nothing selected yet
    panel.table.selectRow(0)
    type_text(panel.employee, "Phạm Văn Bưu")
    panel.signed_at.setDateTime(QDateTime(datetime(2026, 6, 10, 9, 10)))
    finish(qtbot, panel.sign())
    settle(qtbot)
    assert panel.table.item(0, 4).text() == "09:10 10/06/2026" and panel.table.item(0, 5).text() == "Phạm Văn Bưu"
    # The dossier's submission time is the signing; the item on the list not received is pending.
    assert core.queries.get(d.code).events[-1].payload["submitted_at"] == "2026-06-10T09:10:00+07:00"
    assert [panel.pending.item(0, c).text() for c in (0, 1)] == [code, C] and panel.pending.rowCount() == 1

    panel.table.selectRow(0)
    again = tmp_path / "again.pdf"
    finish(qtbot, panel.reprint(str(again)))
    assert "Phạm Văn Bưu" in pdf_text(again) and "09 giờ 10 phút, ngày 10/06/2026" in pdf_text(again)

    core.intake.receive(request(channel=Channel.POST, postal=PostalIntake(C, employee="Phạm Văn Bưu")))
    panel.refresh()
    settle(qtbot)
    assert panel.pending.rowCount() == 0  # the late item is now accounted for

    # Results to the post: the other direction, its own list.
    ready = core.intake.receive(request())
    core.actions.result_ready(ready.code, "Cán bộ A")
    core.postal.post_result(ready.code, "Cán bộ A", item="EE876543216VN", recipient="Nguyễn Văn Ấn",
                            address="Thôn 1, xã Định Mỹ", cod_vnd=15_000)
    panel.direction.setCurrentIndex(panel.direction.findData("out"))
    out = tmp_path / "out.pdf"
    finish(qtbot, panel.prepare(str(out)))
    assert "BIÊN BẢN GIAO NHẬN KẾT QUẢ" in pdf_text(out) and "EE876543216VN" in pdf_text(out)
    settle(qtbot)
    assert panel.table.rowCount() == 2


def test_hand_overs_to_the_specialists_and_the_days_list(qtbot, window, core, tmp_path, dialogs):
    d1, d2 = core.intake.receive(request()), core.intake.receive(request())
    panel = open_screen(qtbot, window).staff
    window.handover.tabs.setCurrentWidget(panel)
    assert panel.giver.text() == "Trần Thị Bích"  # the officer at the window gives by default
    type_text(panel.codes, f"{d1.code}, {d2.code.lower()}")
    type_text(panel.receiver, "Lê Văn Cường")
    message = finish(qtbot, panel.record())
    assert d1.code in message and d2.code in message and panel.codes.text() == ""
    settle(qtbot)
    assert panel.table.rowCount() == 2 and panel.table.item(0, 4).text() == "Lê Văn Cường"
    assert core.queries.get(d2.code).events[-1].kind == "staff_handover"
    # The same person on both sides is refused with its reason; nothing recorded.
    type_text(panel.codes, d1.code)
    panel.receiver.setText("Trần Thị Bích")
    shown = []
    dialogs.expect(lambda box: (shown.append(box.text()), box.accept()))
    failed = panel.record()
    qtbot.waitUntil(lambda: failed.done, timeout=15_000)
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    assert "hai người khác nhau" in shown[0] and failed.error is not None
    assert len(core.queries.get(d1.code).events) == 2
    out = tmp_path / "day.pdf"
    finish(qtbot, panel.print_day(str(out)))
    text = pdf_text(out)
    assert "DANH SÁCH BÀN GIAO HỒ SƠ" in text and "ngày 10/06/2026" in text and "Lê Văn Cường" in text
    assert d1.code in text.replace(" ", "") and d2.code in text.replace(" ", "")


def test_the_postal_officer_at_the_window_receives_for_the_commune(qtbot, window, core):
    core.officers.add(Operator("root"), "an.bd", "Phạm Thị An", "mật-khẩu-2026", organisation="Bưu điện xã Định Mỹ")
    window.intake.officer = core.officers.authenticate("an.bd", "mật-khẩu-2026")
    view = window.intake
    view.picker.setFocus()
    type_text(view.picker, "1612")
    press(view.picker, Qt.Key_Return)
    type_text(view.name, "Lê Thị Đào")
    wanted = view.request()
    assert (wanted.officer, wanted.operator) == ("Phạm Thị An", "Bưu điện xã Định Mỹ")
    d = core.intake.receive(wanted)
    assert d.events[0].payload["operator"] == {"organisation": "Bưu điện xã Định Mỹ", "officer": "Phạm Thị An"}
