"""The register holder's certificate and the desk's pin on it.

The holder makes its own self-signed certificate once (``<data>/holder/cert.pem``, the key beside
it readable by its owner only) and serves HTTPS with it. A desk learns the certificate's SHA-256
fingerprint at pairing and proves, with the one-time code, that the fingerprint it saw is the
holder's (``protocol.pairing_proof``); from then on every request checks the peer's certificate against the
pinned fingerprint (urllib3's ``assert_fingerprint``), so a machine with another certificate is
refused even if it answers at the holder's address.
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from counter_app.core.errors import ConfigurationError, ValidationError

CERT_FILE, KEY_FILE, BIND_FILE = "cert.pem", "key.pem", "bind.json"


def holder_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "holder"


def ensure_certificate(data_dir: Path) -> tuple[Path, Path]:
    """The holder's certificate and key, made on first use (EC P-256, 10 years, key 0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = holder_dir(data_dir)
    cert, key_path = folder / CERT_FILE, folder / KEY_FILE
    if cert.exists() and key_path.exists():
        return cert, key_path
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "counter_app register holder")])
    now = datetime.now(timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=3650)).sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(key_path, 0o600)
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return cert, key_path


def fingerprint_of_der(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def certificate_fingerprint(cert_path: Path) -> str:
    return fingerprint_of_der(ssl.PEM_cert_to_DER_cert(Path(cert_path).read_text("ascii")))


def short_fingerprint(fingerprint: str) -> str:
    """What the admin may read aloud next to a pairing code: the first 8 hex digits."""
    return f"{fingerprint[:4]}-{fingerprint[4:8]}".upper()


def server_context(data_dir: Path) -> ssl.SSLContext:
    cert, key = ensure_certificate(data_dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


def peer_fingerprint(host: str, port: int, timeout: float = 5.0) -> str:
    """The fingerprint of the certificate the machine at host:port shows (before anything is pinned)."""
    import socket

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        return fingerprint_of_der(tls.getpeercert(binary_form=True))


class PinnedAdapter(HTTPAdapter):
    """HTTPS whose only trust is the pinned SHA-256 fingerprint of the holder's certificate."""

    def __init__(self, fingerprint: str, **kw) -> None:
        self.fingerprint = fingerprint.lower()
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["assert_fingerprint"] = self.fingerprint
        kw["cert_reqs"] = ssl.CERT_NONE  # no CA can vouch for a self-signed holder: the pin does
        kw["assert_hostname"] = False
        return super().init_poolmanager(*args, **kw)

    def cert_verify(self, conn, url, verify, cert) -> None:  # the pool checks the fingerprint
        conn.cert_reqs, conn.ca_certs, conn.ca_cert_dir = "CERT_NONE", None, None


def pinned_session(fingerprint: str) -> requests.Session:
    if not fingerprint:
        raise ConfigurationError("Quầy chưa ghép với máy giữ sổ qua kết nối mã hóa; cần ghép lại.", "no pin")
    session = requests.Session()
    session.verify = False
    # The office network only: no proxy from the environment, no CA bundle from it replacing the pin.
    session.trust_env = False
    session.mount("https://", PinnedAdapter(fingerprint))
    return session


def load_bind(data_dir: Path) -> str:
    try:
        return json.loads((holder_dir(data_dir) / BIND_FILE).read_text("utf-8")).get("host", "")
    except (OSError, ValueError, AttributeError):
        return ""


def save_bind(data_dir: Path, host: str) -> None:
    import ipaddress

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValidationError(f"«{host}» không phải địa chỉ IP của máy này.", "bad address") from None
    if address.is_unspecified:
        raise ValidationError("Chọn một địa chỉ mạng nội bộ cụ thể, không dùng 0.0.0.0 (mọi mạng).",
                              "unspecified address")
    holder_dir(data_dir).mkdir(parents=True, exist_ok=True)
    (holder_dir(data_dir) / BIND_FILE).write_text(json.dumps({"host": str(address)}), "utf-8")


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses the admin can choose from (loopback last)."""
    import socket

    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    try:  # the address of the interface that carries the default route (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.insert(0, s.getsockname()[0])
    except OSError:
        pass
    out = [a for a in dict.fromkeys(found) if not a.startswith("127.")]
    return out + ["127.0.0.1"]
