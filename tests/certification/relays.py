"""Two machines between a desk and the register holder: ``Tap`` keeps every byte that crosses
(what anyone on the office network could read), ``Mitm`` ends TLS with its own certificate and
talks TLS on to the real holder (a relay trying to sit in the middle)."""

from __future__ import annotations

import select
import socket
import ssl
import threading


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
    """A relay that ends TLS with its own certificate and talks TLS on to the real holder."""

    def __init__(self, target_port: int, cert_dir) -> None:
        from counter_app.holder.tls import server_context

        self.context = server_context(cert_dir)  # another machine's own self-signed certificate
        self.target_port, self.seen = target_port, bytearray()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                raw, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(raw,), daemon=True).start()

    def _relay(self, raw) -> None:
        out_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        out_ctx.check_hostname, out_ctx.verify_mode = False, ssl.CERT_NONE
        try:
            client = self.context.wrap_socket(raw, server_side=True)
            upstream = out_ctx.wrap_socket(socket.create_connection(("127.0.0.1", self.target_port)))
        except (OSError, ssl.SSLError):
            return
        def pipe(src, dst, keep: bool) -> None:
            try:
                while data := src.recv(65536):
                    if keep:
                        self.seen.extend(data)
                    dst.sendall(data)
            except (OSError, ssl.SSLError):
                pass
            finally:
                for sock in (src, dst):
                    try:
                        sock.close()
                    except OSError:
                        pass

        threading.Thread(target=pipe, args=(upstream, client, False), daemon=True).start()
        pipe(client, upstream, True)

    def close(self) -> None:
        self._sock.close()
