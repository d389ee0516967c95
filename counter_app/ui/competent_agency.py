"""The competent agency on the intake screen (a shared counter, phi địa giới; issue 15 item 1).

Typed as on the citizen's papers: a code or a name, current or former, without diacritics. It is
asked only when the chosen procedure may be received regardless of administrative boundary (the
province's list in force today, core.location_free); for a location-bound procedure the field is
locked to the counter's own agency. While another agency is named, the intake screen offers only
location-independent procedures, and the due date shown is counted on that agency's calendar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QLineEdit

from counter_app.core.errors import ValidationError
from counter_app.core.model import Agency
from counter_app.core.units import search_agencies

_PLACEHOLDER = "Mã hoặc tên cơ quan, kể cả tên cũ (không cần dấu); trống: cơ quan của quầy"
_BOUND = "Thủ tục này chỉ tiếp nhận cho cơ quan của quầy (không thuộc danh mục phi địa giới)."


class CompetentAgencyField:
    def __init__(self, core, changed: Callable[[], None]) -> None:
        self.core = core
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(_PLACEHOLDER)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.edit.textEdited.connect(lambda _: (self.show(), changed()))

    def matches(self) -> list:
        """Agencies the typed text names: the exact one if any, else every partial match."""
        ctx, text = self.core.ctx, self.edit.text()
        try:
            exact = ctx.find_agency(text)
        except ValidationError:  # a name two agencies share: the hint lists them, intake will ask for the code
            exact = None
        return [(exact, None)] if exact else search_agencies(text, ctx.agencies, ctx.agency_aliases)

    def code(self) -> str | None:
        """The one agency the text names; otherwise the text itself, for intake to refuse with its reason."""
        if not self.edit.text().strip():
            return None
        matches = self.matches()
        return matches[0][0].code if len(matches) == 1 else self.edit.text()

    def other(self) -> Agency | None:
        """The agency named, when it is one this counter serves rather than its own."""
        if not self.edit.text().strip():
            return None
        matches = self.matches()
        agency = matches[0][0] if len(matches) == 1 else None
        return agency if agency is not None and agency.code != self.core.ctx.settings.agency.code else None

    def calendar_agency(self) -> str:
        """Whose office calendar counts the due date shown: the agency named, else this counter's."""
        agency = self.other()
        return agency.code if agency is not None else self.core.ctx.settings.agency.code

    def show(self) -> None:
        """Which agency the typed text means, by its current name (what the papers will say)."""
        if not self.edit.text().strip():
            self.hint.clear()
            return
        matches = self.matches()
        self.hint.setText("Không tìm thấy cơ quan." if not matches else "; ".join(
            f"→ {a.name} ({a.code})" + (f", trước đây: {old.former_name}" if old else "")
            for a, old in matches[:4]))

    def allow(self, location_free: bool) -> None:
        """Ask for the agency only for a location-independent procedure; otherwise it is this counter's."""
        self.edit.setEnabled(location_free)
        if not location_free:
            self.edit.clear()
            self.hint.setText(_BOUND if self.core.ctx.served_agencies else "")
        elif self.hint.text() == _BOUND:
            self.hint.clear()

    def clear(self) -> None:
        self.edit.clear()
        self.hint.clear()
        self.edit.setEnabled(True)
