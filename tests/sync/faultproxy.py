"""An unreliable link between a counter and the server: a TCP proxy that, per HTTP request, can
drop the connection before the request reaches the server, after the server got it but before the
answer comes back, or half-way through the answer; delay it; or answer 500/503 itself.

A request starts when the client sends bytes on a connection that is not mid-request; its fault
is drawn from the schedule (a list consumed in order, then ``default``, or random with a seed).
"""

from __future__ import annotations

import random
import select
import socket
import threading
import time

OK = "ok"
DROP_BEFORE = "drop_before_request"
DROP_AFTER = "drop_after_request"  # the server processed it; the answer is lost
DROP_MID = "drop_mid_response"
CUT_BODY = "cut_after_bytes"  # a long answer (a release file) cut once ``cut_after`` bytes went back
DELAY = "delay"
HTTP_500 = "http_500"
HTTP_503 = "http_503"
FAULTS = (DROP_BEFORE, DROP_AFTER, DROP_MID, DELAY, HTTP_500, HTTP_503)


def _canned(status: str) -> bytes:
    body = b'{"error":"injected"}'
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


class FaultProxy:
    def __init__(self, target_port: int, *, schedule: list[str] | None = None, fault_rate: float = 0.0,
                 seed: int = 1, delay: float = 0.3, cut_after: int = 200_000) -> None:
        self.target_port = target_port
        self.schedule = list(schedule or [])
        self.fault_rate = fault_rate
        self.rng = random.Random(seed)
        self.delay = delay
        self.cut_after = cut_after
        self.log: list[str] = []
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = False
        self.enabled = True  # False: every connection refused (the link is down)
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop = True
        self._sock.close()

    def _next_fault(self) -> str:
        with self._lock:
            if self.schedule:
                fault = self.schedule.pop(0)
            elif self.fault_rate and self.rng.random() < self.fault_rate:
                fault = self.rng.choice(FAULTS)
            else:
                fault = OK
            self.log.append(fault)
            return fault

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            if not self.enabled:
                client.close()
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = None
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
            in_request, fault, sent_back = False, OK, 0
            while True:
                ready, _, _ = select.select([client, upstream], [], [], 30)
                if not ready:
                    return
                if client in ready:
                    data = client.recv(65536)
                    if not data:
                        return
                    if not in_request:
                        in_request, fault, sent_back = True, self._next_fault(), 0
                        if fault == DROP_BEFORE:
                            return
                        if fault in (HTTP_500, HTTP_503):
                            time.sleep(0.01)  # let the rest of the body arrive, then answer without forwarding
                            client.sendall(_canned("500 Internal Server Error" if fault == HTTP_500
                                                   else "503 Service Unavailable"))
                            return
                        if fault == DELAY:
                            time.sleep(self.delay)
                    upstream.sendall(data)
                if upstream in ready:
                    data = upstream.recv(65536)
                    if not data:
                        return
                    if fault == DROP_AFTER:
                        return
                    if fault == DROP_MID:
                        client.sendall(data[: max(1, len(data) // 2)])
                        return
                    if fault == CUT_BODY and sent_back + len(data) >= self.cut_after:
                        client.sendall(data[: self.cut_after - sent_back])
                        return
                    client.sendall(data)
                    sent_back += len(data)
                    in_request = False  # the next bytes from the client start a new request
        except OSError:
            return
        finally:
            client.close()
            if upstream is not None:
                upstream.close()
