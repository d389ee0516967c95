"""Issue 15 item 2 on the intake screen: the return point is chosen there and reaches the dossier."""

from PySide6.QtCore import Qt

from tests.conftest import receivable_anywhere
from tests.ui.conftest import finish, press, settle, type_text


def print_preview(dialog):
    dialog.print_now()


def _pick(view, code, name):
    view.new_dossier()
    type_text(view.picker, code)
    press(view.picker, Qt.Key_Return)
    type_text(view.name, name)


def choose(view, data):
    index = view.return_at.findData(data)
    assert index >= 0, [view.return_at.itemText(i) for i in range(view.return_at.count())]
    view.return_at.setCurrentIndex(index)


def test_return_point_is_chosen_on_the_intake_screen(qtbot, window, core, dialogs):
    from counter_app.core.admin import make_agency

    view = window.intake
    own = core.ctx.settings.agency
    core.setup.add_served_agency(make_agency("H52.102", "UBND xã Bình Nghi", own=False))
    _pick(view, "1193", "Lê Thị Đào")  # a new dossier offers the agency just added
    labels = [view.return_at.itemText(i) for i in range(view.return_at.count())]
    assert labels == [f"Tại quầy này – {own.name}", "Tại quầy UBND xã Bình Nghi (H52.102)",
                      "Qua dịch vụ bưu chính công ích"]
    assert view.return_at.currentData() == own.code  # this counter unless the officer says otherwise
    choose(view, "H52.102")
    dialogs.expect(print_preview)
    code = finish(qtbot, view.save()).code
    settle(qtbot)
    d = core.queries.get(code)
    assert (d.return_method.value, d.return_at) == ("counter", "H52.102")

    _pick(view, "1193", "Lê Văn Bình")
    choose(view, "post")
    type_text(view.return_address, "12 Lê Lợi, phường Quy Nhơn")
    dialogs.expect(print_preview)
    code = finish(qtbot, view.save()).code
    settle(qtbot)
    dialogs.stop()
    d = core.queries.get(code)
    assert (d.return_method.value, d.return_at, d.return_address) == ("post", "post", "12 Lê Lợi, phường Quy Nhơn")


def test_competent_agency_is_found_by_its_former_name_without_diacritics(qtbot, window, core, dialogs):
    from datetime import date

    from counter_app.core.admin import make_agency
    from counter_app.core.model import AgencyAlias

    view = window.intake
    core.setup.add_served_agency(make_agency("H52.102", "UBND xã Bình Nghi", own=False))
    core.setup.add_agency_alias(AgencyAlias("H52.102", "UBND xã Tây Bình", "000.21.33.H08", date(2025, 6, 30)))
    receivable_anywhere(core, "1.001193")
    view.load_procedures()
    _pick(view, "1193", "Phan Văn Cư")
    type_text(view.competent, "tay binh")
    assert view.competent_hint.text() == "→ UBND xã Bình Nghi (H52.102), trước đây: UBND xã Tây Bình"
    dialogs.expect(print_preview)
    code = finish(qtbot, view.save()).code
    settle(qtbot)
    assert core.queries.get(code).competent_agency == "H52.102"
    assert view.competent.text() == "" and view.competent_hint.text() == ""  # cleared for the next dossier
    type_text(view.competent, "xa khong co")
    assert view.competent_hint.text() == "Không tìm thấy cơ quan."
    dialogs.stop()
