"""The GUI thread never stalls for more than 100 ms: a watchdog timer measures the longest gap in
the event loop while the officer's actions wait on the disk, the provincial server or the
register holder (slow, silent or unreachable)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from PySide6.QtCore import QObject, Qt, QTimer

from tests.conftest import request
from tests.ui.conftest import press, settle, shortcut, type_text

BUDGET_S = 0.100


class StallWatch(QObject):
    """The longest time between two turns of the GUI thread's event loop."""

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self._last = None
        self.timer = QTimer(self, interval=5)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.monotonic()
        if self._last is not None:
            self.longest = max(self.longest, now - self._last)
        self._last = now

    def __enter__(self) -> StallWatch:
        self._last = time.monotonic()
        self.timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.timer.stop()
        self._tick()


class SilentServer:
    """Accepts connections and never answers (a server that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.held: list[socket.socket] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone does not
        except OSError:
            pass
        self.sock.close()
        for conn in self.held:
            conn.close()


def closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def answer_print(dialog):
    dialog.print_now()


def test_an_intake_from_ctrl_s_to_the_printed_receipt_never_stalls_the_window(qtbot, window, core, dialogs):
    view = window.intake
    shortcut(qtbot, window, Qt.Key_F2)
    type_text(view.picker, "1612")
    press(view.picker, Qt.Key_Return)
    type_text(view.name, "Nguyễn Văn Ấn")
    dialogs.expect(answer_print)
    with StallWatch() as watch:
        shortcut(qtbot, view.picker, Qt.Key_S, Qt.ControlModifier)
        qtbot.waitUntil(lambda: bool(list(window.prints_dir.glob("*.pdf"))), timeout=15_000)
        settle(qtbot)
    dialogs.stop()
    assert core.queries.list(limit=5)[0].applicant_name == "Nguyễn Văn Ấn"
    assert watch.longest < BUDGET_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_enrollment_with_a_server_that_never_answers_keeps_the_window_live(qtbot, window, core, silent,
                                                                           dialogs):
    import keyring

    from tests.testkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        window.outbox.server_url.setText(silent.url)
        window.outbox.enroll_code.setText("ABCD-EFGH-JKLM")
        with StallWatch() as watch:
            operation = window.outbox.enroll()
            qtbot.wait(1500)  # the server is silent all this time; the window keeps drawing
        assert not operation.done and not window.outbox.enroll_button.isEnabled()
        dialogs.expect(lambda box: box.accept())  # the failure, once the link is cut
        silent.close()
        qtbot.waitUntil(lambda: operation.done, timeout=20_000)
        dialogs.stop()
        assert operation.error is not None and core.outbox.identity() is None
        assert window.outbox.enroll_button.isEnabled()
        assert watch.longest < BUDGET_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"
    finally:
        keyring.set_keyring(previous)


def test_a_sync_with_the_server_down_keeps_the_window_live(qtbot, core, tmp_path):
    from counter_app.ui.main_window import MainWindow

    import keyring

    from counter_app.sync.enrollment import token_store
    from tests.testkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    url = closed_port_url()
    with core.uow() as uow:  # enrolled earlier with a server that is now down
        uow.sync_state.set("server_url", url)
        uow.sync_state.set("device_id", 1)
        uow.commit()
    token_store(url, 1).save("t" * 43)
    try:
        officer = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
        window = MainWindow(core, officer)
        qtbot.addWidget(window)
        window.show()
        core.intake.receive(request())
        with StallWatch() as watch:
            window.outbox.sync_now()
            qtbot.waitUntil(lambda: window.sync_label.text().startswith("Ngoại tuyến · 1 chờ gửi"), timeout=15_000)
            qtbot.wait(300)
        window.close()
        assert watch.longest < BUDGET_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"
    finally:
        keyring.set_keyring(previous)


def test_a_procedure_imported_after_start_is_in_the_picker_at_once(qtbot, window, core, tmp_path):
    import json
    import threading

    from counter_app.core.catalogue import export_catalogue, parse_catalogue

    doc = export_catalogue(core.catalogue.procedures())
    new = dict(doc["procedures"][0], code="9.999001", name="Đăng ký thử nghiệm quầy mới")
    doc["procedures"].append(new)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    view = window.intake
    type_text(view.picker, "thu nghiem quay")
    assert view.matches.count() == 0
    finish = window.settings.import_catalogue(str(path))
    qtbot.waitUntil(lambda: finish.done and view.matches.count() == 1, timeout=10_000)
    assert view.matches.item(0).data(Qt.UserRole) == "9.999001"
    # A catalogue change committed on another thread (as a sync pull does) reaches the picker too.
    doc["procedures"].append(dict(new, code="9.999002", name="Đăng ký thử nghiệm quầy thứ hai"))
    worker = threading.Thread(target=core.catalogue.import_procedures, args=(parse_catalogue(doc),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: view.matches.count() == 2, timeout=10_000)
