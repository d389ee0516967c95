"""Tra cứu: one search box (code, ID number, phone, name without diacritics), ready-made lists and
a table model that fetches a page at a time (keyset paging), so a million dossiers stay fast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from counter_app.core.calendar import TZ
from counter_app.core.cccd import mask_id
from counter_app.core.lifecycle import Status
from counter_app.core.model import DossierSummary
from counter_app.ui.common import fmt_short, heading
from counter_app.ui.i18n import tr

PAGE = 200
COLUMNS = ["Mã hồ sơ", "Trạng thái", "Người nộp", "Số định danh", "Thủ tục", "Nhận lúc", "Hẹn trả"]
SORTABLE = {5: "received", 6: "due"}
ACTIVE = [Status.RECEIVED.value, Status.PROCESSING.value, Status.SUPPLEMENT_REQUESTED.value]


class DossierTableModel(QAbstractTableModel):
    """Rows come from ``fetch(after, limit)``; Qt asks for more as the view scrolls."""

    def __init__(self, fetch: Callable[[DossierSummary | None, int], list[DossierSummary]]) -> None:
        super().__init__()
        self.rows: list[DossierSummary] = []
        self.fetch = fetch
        self.exhausted = False

    def reset(self, fetch) -> None:
        self.beginResetModel()
        self.fetch, self.rows, self.exhausted = fetch, [], False
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def canFetchMore(self, parent) -> bool:
        return not parent.isValid() and not self.exhausted

    def fetchMore(self, parent) -> None:
        page = self.fetch(self.rows[-1] if self.rows else None, PAGE)
        if len(page) < PAGE:
            self.exhausted = True
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def data(self, index, role=Qt.DisplayRole):
        if role != Qt.DisplayRole or not index.isValid():
            return None
        s = self.rows[index.row()]
        return (s.code, Status(s.status).label_vi, s.applicant_name, mask_id(s.id_number), s.procedure_name,
                fmt_short(s.received_at), fmt_short(s.due_at))[index.column()]

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return tr(COLUMNS[section])
        return None

    def code_at(self, row: int) -> str:
        return self.rows[row].code


class SearchView(QWidget):
    open_dossier = Signal(str)

    def __init__(self, core, parent=None) -> None:
        super().__init__(parent)
        self.core = core
        self.order = "received"
        self.box = QLineEdit()
        self.box.setPlaceholderText("Mã hồ sơ, số định danh, điện thoại hoặc họ tên (không cần dấu)")
        self.preset = QComboBox()
        for label in ("Tất cả", "Hôm nay nhận", "Đến hạn hôm nay", "Quá hạn", "Chờ bổ sung", "Chờ trả kết quả"):
            self.preset.addItem(label)
        self.status = QComboBox()
        self.status.addItem("(mọi trạng thái)", None)
        for s in Status:
            self.status.addItem(s.label_vi, s.value)
        self.model = DossierTableModel(lambda after, limit: [])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):  # the full code, date and time; the procedure takes the rest
            header.setSectionResizeMode(column, QHeaderView.Stretch if column == 4 else QHeaderView.ResizeToContents)
        self.table.horizontalHeader().sectionClicked.connect(self.sort_by)
        self.table.doubleClicked.connect(lambda index: self.open_dossier.emit(self.model.code_at(index.row())))
        self.table.activated.connect(lambda index: self.open_dossier.emit(self.model.code_at(index.row())))
        self.note = QLabel()
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.box.textChanged.connect(lambda _: self._debounce.start())
        self.box.returnPressed.connect(self.refresh)
        self.preset.currentIndexChanged.connect(lambda _: self.refresh())
        self.status.currentIndexChanged.connect(lambda _: self.refresh())
        top = QHBoxLayout()
        top.addWidget(self.box, 3)
        top.addWidget(self.preset, 1)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Tra cứu")))
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.note)

    def sort_by(self, column: int) -> None:
        if column in SORTABLE:
            self.order = SORTABLE[column]
            self.refresh()

    def filters(self) -> dict:
        today = datetime.now(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        status = self.status.currentData()
        preset = self.preset.currentIndex()
        f: dict = {"order": self.order}
        if status:
            f["status"] = status
        if preset == 1:
            f.update(received_from=today, received_to=today + timedelta(days=1))
        elif preset == 2:
            f.update(due_from=today, due_to=today + timedelta(days=1), statuses=ACTIVE, order="due")
        elif preset == 3:
            f.update(due_to=datetime.now(TZ), statuses=ACTIVE, order="due")
        elif preset == 4:
            f.update(statuses=[Status.SUPPLEMENT_REQUESTED.value])
        elif preset == 5:
            f.update(statuses=[Status.RESULT_READY.value], order="due")
        return f

    def refresh(self) -> None:
        text = self.box.text().strip()
        f = self.filters()
        if text:
            window = {k: v for k, v in f.items() if k in ("status", "received_from", "received_to")}

            def fetch(after, limit):  # search results come in one page: refine the query to narrow them
                return [] if after else self.core.queries.search(text, limit=limit, **window)

            self.note.setText("Hiện tối đa 200 kết quả khớp nhất; gõ thêm để thu hẹp.")
        else:
            def fetch(after, limit):
                return self.core.queries.list(limit=limit, after=after, **f)

            self.note.setText("Cuộn xuống để tải thêm. Bấm tiêu đề «Nhận lúc»/«Hẹn trả» để sắp xếp.")
        self.model.reset(fetch)
