"""Results sent by post from the window (issue 15 item 4): handed to the post with its item
number, listed as «đang gửi bưu chính», then delivered (returned) or brought back after failed
attempts (waiting at the counter again); a bad item number is refused and nothing is written."""

from counter_app.core.model import ReturnMethod
from tests.conftest import request
from tests.ui.conftest import finish, settle, type_text

ITEM = "EB123456785VN"  # UPU S10 with a valid check digit (domain.md §14)


def refused(qtbot, operation):
    """The operation ended with an error (shown in the box the test answers)."""
    qtbot.waitUntil(lambda: operation.done, timeout=15_000)
    assert operation.error is not None


def error_saying(*words):
    """A handler for the error box: it must name each word, then it is closed."""
    def answer(box):
        assert all(w in box.text() for w in words), box.text()
        box.accept()
    return answer


def ready_by_post(core):
    d = core.intake.receive(request(return_method=ReturnMethod.POST, return_address="12 Lê Lợi, phường Quy Nhơn"))
    core.actions.result_ready(d.code, "Cán bộ A")
    return d


def open_panel(qtbot, window):
    window.nav.setCurrentRow(7)
    settle(qtbot)
    panel = window.handover.results
    window.handover.tabs.setCurrentWidget(panel)
    settle(qtbot)
    return panel


def test_a_result_goes_to_the_post_and_is_delivered(qtbot, window, core, dialogs):
    d = ready_by_post(core)
    panel = open_panel(qtbot, window)
    assert window.handover.tabs.tabText(window.handover.tabs.currentIndex()) == "Kết quả gửi bưu chính"
    assert panel.table.rowCount() == 0
    type_text(panel.code, d.code)
    finish(qtbot, panel.load())
    assert panel.address.text() == "12 Lê Lợi, phường Quy Nhơn" and panel.recipient.text() == d.applicant.full_name
    assert panel.give_button.isEnabled() and not panel.delivered_button.isEnabled()

    type_text(panel.item, "EB123456784VN")  # wrong check digit
    dialogs.expect(error_saying("EB123456784VN"))
    refused(qtbot, panel.give())
    settle(qtbot)
    assert [e.kind for e in core.queries.get(d.code).events][-1] == "result_ready"  # nothing written

    panel.item.clear()
    type_text(panel.item, ITEM)
    finish(qtbot, panel.give())
    settle(qtbot)
    assert core.queries.get(d.code).events[-1].kind == "result_posted"
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == ITEM
    assert panel.delivered_button.isEnabled() and not panel.give_button.isEnabled()

    finish(qtbot, panel.delivered())
    settle(qtbot)
    assert core.queries.get(d.code).status == "returned"
    assert panel.table.rowCount() == 0 and "đã trả kết quả" in panel.status.text()


def test_a_result_the_post_brings_back_waits_at_the_counter_again(qtbot, window, core, dialogs):
    d = ready_by_post(core)
    core.postal.post_result(d.code, "Cán bộ A", item=ITEM, recipient="Nguyễn Văn Ấn", address="12 Lê Lợi")
    panel = open_panel(qtbot, window)
    assert panel.table.rowCount() == 1
    panel._pick(0)
    settle(qtbot)
    assert panel.back_button.isEnabled()
    panel.attempts.setValue(1)
    dialogs.expect(error_saying("2 lần"))
    refused(qtbot, panel.brought_back())
    settle(qtbot)
    assert core.queries.get(d.code).events[-1].kind == "result_posted"  # one attempt is not enough
    panel.attempts.setValue(2)
    finish(qtbot, panel.brought_back())
    settle(qtbot)
    after = core.queries.get(d.code)
    assert after.status == "result_ready" and after.events[-1].kind == "postal_undelivered"
    assert panel.table.rowCount() == 0 and panel.give_button.isEnabled()
