"""A real HTTP server on 127.0.0.1 (port 0) for the fetch tests, and the HTML fixtures."""

from __future__ import annotations

import functools
import http.server
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claims.ingest import IngestedDocument, fetch_url

FIXTURES = Path(__file__).parent / "fixtures"
ARMENIA_HTML = FIXTURES / "armenia-azerbaijan-border-clashes-2020-07-18.html"
ARMENIA_TEXT = FIXTURES / "armenia-azerbaijan-border-clashes-2020-07-18.expected.txt"
# Self-signed certificate for 127.0.0.1, made for these tests only (openssl req -x509 ...).
TLS_CERT = FIXTURES / "localhost-test-cert.pem"
TLS_KEY = FIXTURES / "localhost-test-key.pem"


@dataclass
class Reply:
    """What the test server answers on one path."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    send_length: bool = True  # False: no Content-Length, the body ends when the connection does
    delay: float = 0.0  # wait this long before answering (cut short when the test ends)
    drip: float | None = None  # send the body one byte at a time, pausing this long


class _IPv6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


class LocalServer:
    def __init__(self, *, tls: bool = False, host: str = "127.0.0.1") -> None:
        self.scheme = "https" if tls else "http"
        self.host = host
        self.replies: dict[str, Reply] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        server_class = _IPv6Server if ":" in host else http.server.ThreadingHTTPServer
        self._httpd = server_class((host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.local = self  # type: ignore[attr-defined]
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TLS_CERT, TLS_KEY)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        # A short poll interval keeps shutdown (once per test) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{path}"

    def serve(self, path: str, reply: Reply) -> str:
        self.replies[path] = reply
        return self.url(path)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        local: LocalServer = self.server.local  # type: ignore[attr-defined]
        local.requests.append((self.path, dict(self.headers.items())))
        reply = local.replies.get(self.path, Reply(404, {"Content-Type": "text/html"}, b"nope"))
        if reply.delay and local.stopping.wait(reply.delay):
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.drip is None:
                self.wfile.write(reply.body)
                return
            for index in range(len(reply.body)):
                if local.stopping.wait(reply.drip):
                    return
                self.wfile.write(reply.body[index : index + 1])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, which is what several tests want

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture
def tls_server() -> Iterator[LocalServer]:
    local = LocalServer(tls=True)
    local.start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture
def server6() -> Iterator[LocalServer]:
    """The same server on the IPv6 loopback, [::1]."""
    try:
        local = LocalServer(host="::1")
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    local.start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture
def fetch() -> Callable[..., IngestedDocument]:
    """fetch_url allowed to reach 127.0.0.1 (refused by default, see the SSRF tests)."""
    return functools.partial(fetch_url, allow_private_addresses=True, timeout=5)


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def armenia_html() -> str:
    return ARMENIA_HTML.read_text(encoding="utf-8")


@pytest.fixture
def armenia_paragraphs() -> list[str]:
    return ARMENIA_TEXT.read_text(encoding="utf-8").strip().split("\n\n")
