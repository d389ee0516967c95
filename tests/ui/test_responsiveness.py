"""The GUI thread never waits on the disk, the provincial server or the register holder (slow,
silent or unreachable).

Two checks, neither a timing budget on a noisy machine: every call that can wait (a service call,
a socket connect, a render) is recorded with the thread it ran on and none may run on the GUI
thread; and a watchdog timer measures the longest gap in the event loop while the far end takes
seconds to answer, where a wait on the GUI thread would show as a gap of seconds (``STALL_S`` is
far above scheduling jitter and far below the waits being provoked)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from PySide6.QtCore import QObject, Qt, QTimer

from tests.conftest import request
from tests.ui.conftest import press, settle, shortcut, type_text

# A gap of 1.27 s was seen once with nothing on the GUI thread (the full suite on two busy cores);
# every wait provoked here is 5 s or more (a silent server holds a read until its 20 s timeout).
STALL_S = 2.5


class GuiThreadCalls:
    """Wraps callables so that each call records whether it ran on the GUI (main) thread."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch
        self.calls: list[tuple[str, bool]] = []

    def watch(self, owner, name: str, label: str | None = None) -> None:
        original = getattr(owner, name)
        calls, label = self.calls, label or name

        def recorded(*args, **kwargs):
            calls.append((label, threading.current_thread() is threading.main_thread()))
            return original(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, recorded)

    def on_gui_thread(self) -> list[str]:
        return [label for label, on_gui in self.calls if on_gui]

    def names(self) -> set[str]:
        return {label for label, _ in self.calls}


@pytest.fixture
def gui_calls(monkeypatch):
    calls = GuiThreadCalls(monkeypatch)
    calls.watch(socket.socket, "connect", "socket.connect")
    return calls


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


def test_an_intake_from_ctrl_s_to_the_printed_receipt_never_stalls_the_window(qtbot, window, core, dialogs,
                                                                             gui_calls):
    from counter_app.ui import print_preview

    gui_calls.watch(core.intake, "receive")
    gui_calls.watch(core.prints, "produce")
    gui_calls.watch(print_preview, "pdf_images")
    gui_calls.watch(print_preview, "paint_pages")
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
    assert {"receive", "produce", "pdf_images", "paint_pages"} <= gui_calls.names()
    assert gui_calls.on_gui_thread() == []
    assert watch.longest < STALL_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_enrollment_with_a_server_that_never_answers_keeps_the_window_live(qtbot, window, core, silent,
                                                                           dialogs, gui_calls):
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
        assert "socket.connect" in gui_calls.names() and gui_calls.on_gui_thread() == []
        assert watch.longest < STALL_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"
    finally:
        keyring.set_keyring(previous)


def test_a_sync_with_the_server_down_keeps_the_window_live(qtbot, core, tmp_path, gui_calls):
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
        assert "socket.connect" in gui_calls.names() and gui_calls.on_gui_thread() == []
        assert watch.longest < STALL_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"
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


def _cert_request(officer: str):
    from counter_app.core.certification import CertItemInput
    from counter_app.core.certify import CertRequest
    from tests.conftest import applicant

    return CertRequest(applicant=applicant(), officer=officer, items=(CertItemInput("Giấy khai sinh", 1, 2),))


def test_a_certification_with_the_register_holder_answering_after_5_s_keeps_the_window_live(
        qtbot, window, core, tmp_path, dialogs, gui_calls, memory_keyring):
    from counter_app.app import CounterApp
    from tests.sync.faultproxy import DELAY, OK, FaultProxy
    from tests.sync.servers import free_port
    from tests.ui.test_window import print_preview

    holder = CounterApp.initialise(tmp_path / "holder", agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                   province="Gia Lai", desk=2)
    server = holder.holder_admin.server("127.0.0.1", free_port()).start()
    proxy = FaultProxy(server.port)
    try:
        core.holder_admin.join(proxy.url, holder.holder_admin.new_pair_code(), "Quầy 1")
        proxy.schedule = [OK, OK] + [DELAY] * 10  # the TLS handshake's two flights, then the requests
        proxy.delay = 5.0
        gui_calls.calls.clear()
        dialogs.expect(print_preview)  # the stamps, once the numbers are back
        with StallWatch() as watch:
            operation = window.certify.finish(_cert_request(window.officer.full_name))
            qtbot.wait(2000)  # the holder has not answered yet; the window keeps drawing
            assert not operation.done
            qtbot.waitUntil(lambda: operation.done, timeout=40_000)
            qtbot.waitUntil(lambda: bool(list(window.prints_dir.glob("*.pdf"))), timeout=15_000)
            settle(qtbot)
        dialogs.stop()
        assert operation.error is None and DELAY in proxy.log
        _dossier, cert = operation.result
        assert [i.number for i in cert.items] == [1]
        assert "socket.connect" in gui_calls.names() and gui_calls.on_gui_thread() == []
        assert watch.longest < STALL_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"
    finally:
        proxy.close()
        server.stop()
        holder.close()


def test_a_certification_with_the_register_holder_unreachable_asks_and_keeps_the_window_live(
        qtbot, window, core, dialogs, gui_calls, memory_keyring):
    from PySide6.QtWidgets import QMessageBox

    from counter_app.holder.client import holder_pin_store, holder_token_store

    url = closed_port_url()
    with core.uow() as uow:  # paired earlier with a holder that is now switched off
        uow.settings.set("register_holder", url)
        uow.commit()
    holder_token_store(url, core.ctx.settings.desk).save("t" * 43)
    holder_pin_store(url, core.ctx.settings.desk).save("0" * 64)
    asked = []

    def answer_no(box):
        asked.append(box.text())
        box.button(QMessageBox.No).click()

    dialogs.expect(answer_no)
    with StallWatch() as watch:
        operation = window.certify.finish(_cert_request(window.officer.full_name))
        qtbot.waitUntil(lambda: operation.done and bool(asked), timeout=30_000)
        settle(qtbot)
    dialogs.stop()
    assert "Lưu yêu cầu để cấp số sau?" in asked[0]
    assert core.queries.list(limit=5) == []  # answered No: nothing was written
    assert "socket.connect" in gui_calls.names() and gui_calls.on_gui_thread() == []
    assert watch.longest < STALL_S, f"GUI thread stalled {watch.longest * 1000:.0f} ms"
