"""Two machines between a desk and the register holder: ``Tap`` keeps every byte that crosses
(what anyone on the office network could read), ``Mitm`` ends TLS with its own certificate and
talks TLS on to the real holder (a relay trying to sit in the middle)."""

from __future__ import annotations

import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Tap:
    """A TCP relay that keeps every byte both ways (what another machine on the LAN could read)."""

    def __init__(self, target_port: int) -> None:
        self.target_port, self.bytes = target_port, bytearray()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        with client, upstream:
            while True:
                ready, _, _ = select.select([client, upstream], [], [], 5)
                if not ready:
                    return
                for s in ready:
                    try:
                        data = s.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    self.bytes += data
                    (upstream if s is client else client).sendall(data)

    def close(self) -> None:
        self._sock.close()


class Mitm:
    """A relay that ends TLS with its own certificate, reads each HTTP request and sends it on over
    TLS to the real holder (accepting whatever certificate it shows), answering with its reply."""

    def __init__(self, target_port: int, cert_dir) -> None:
        import requests
        import urllib3

        from counter_app.holder.tls import server_context

        relay = self
        self.seen = bytearray()
        session = requests.Session()
        session.verify, session.trust_env = False, False
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

        class Forward(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                relay.seen.extend(self.requestline.encode() + bytes(self.headers) + body)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                r = session.request(self.command, f"https://127.0.0.1:{target_port}{self.path}", data=body,
                                    headers=headers, timeout=10)
                self.send_response(r.status_code)
                self.send_header("Content-Type", r.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(r.content)))
                self.end_headers()
                self.wfile.write(r.content)

            do_GET = do_POST = _forward

        context = server_context(cert_dir)  # another machine's own self-signed certificate

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):
                sock, address = super().get_request()
                return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

            def handle_error(self, request, client_address) -> None:
                pass

        self.httpd = Server(("127.0.0.1", 0), Forward)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
