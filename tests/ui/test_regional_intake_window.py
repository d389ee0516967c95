"""Issue 15 item 1 on the intake screen: a regional counter names the competent agency; for another
agency only location-independent procedures are offered, and the dossier gets that agency's code,
its calendar's due date and a receipt issued in its name."""

import io
from datetime import date

from PySide6.QtCore import Qt

from tests.conftest import pdf_text
from tests.ui.conftest import finish, press, settle, type_text


def listed_codes(view) -> list[str]:
    return [view.matches.item(i).data(Qt.UserRole) for i in range(view.matches.count())]


def test_regional_intake_with_the_competent_agency_choice(qtbot, window, core, dialogs):
    from counter_app.core.admin import make_agency
    from counter_app.core.calendar import CalendarOverride, OverrideKind
    from counter_app.core.location_free import parse_list

    view = window.intake
    core.setup.add_served_agency(make_agency("H52.102", "UBND xã Bình Nghi", own=False))
    # Bình Nghi's office is closed on Thursday 11 June; Định Mỹ (this counter) is open.
    core.calendar_admin.replace_overrides([CalendarOverride(date(2026, 6, 11), OverrideKind.DAY_OFF, "H52.102",
                                                            "nghỉ theo quyết định của xã")])
    core.catalogue.import_location_free(parse_list({"entries": [
        {"procedure_code": "1.001612", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
         "effective_from": "2025-11-24"}]}))
    qtbot.waitUntil(lambda: view.free_codes == {"1.001612"}, timeout=10_000)  # the screen follows the import

    view.new_dossier()
    assert len(listed_codes(view)) > 1  # its own agency: the whole catalogue
    type_text(view.competent, "binh nghi")
    assert view.competent_hint.text() == "→ UBND xã Bình Nghi (H52.102)"
    assert listed_codes(view) == ["1.001612"]  # another agency: only what the province's list allows
    view.competent.clear()
    view.competent_changed()
    assert len(listed_codes(view)) > 1

    type_text(view.competent, "H52.102")
    type_text(view.picker, "1612")
    press(view.picker, Qt.Key_Return)
    assert view.procedure.code == "1.001612" and view.competent.isEnabled()
    type_text(view.name, "Lý Văn Tư")
    now = core.clock.now()
    theirs = core.ctx.calendar.for_agency("H52.102").due_at(now, 3)
    assert theirs != core.ctx.calendar.due_at(now, 3)  # the closed Thursday moves their due date
    assert f"{theirs:%d/%m/%Y}" in view.due.text()
    previews = []
    dialogs.expect(lambda dialog: (previews.append(dialog), dialog.print_now()))
    code = finish(qtbot, view.save()).code
    settle(qtbot)
    qtbot.waitUntil(lambda: bool(previews) and previews[0].printed_pdf is not None, timeout=10_000)
    d = core.queries.get(code)
    assert code == "H52.102-260610-010001" and d.competent_agency == "H52.102" and d.due_at == theirs
    # The PDF the preview rendered and sent to the printer (Qt's printer file holds only page images).
    text = pdf_text(io.BytesIO(previews[0].printed_pdf))
    assert "UBND XÃ BÌNH NGHI" in text and "UBND XÃ ĐỊNH MỸ" not in text

    # A location-bound procedure: the agency is not asked, it is this counter's.
    view.new_dossier()
    type_text(view.picker, "1193")
    press(view.picker, Qt.Key_Return)
    assert view.procedure.code == "1.001193"
    assert not view.competent.isEnabled() and view.competent.text() == ""
    assert "chỉ tiếp nhận cho cơ quan của quầy" in view.competent_hint.text()
    dialogs.stop()
