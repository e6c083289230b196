"""Fetching a user-supplied URL.

Built on http.client rather than urllib.request or urllib3 because every hop of the request is
hostile input and we need control that those hide:

* each connection checks the address it really connects to (after DNS, on every redirect), so a
  URL cannot make the server fetch from its own network (SSRF); urllib.request and urllib3 would
  need their connection classes replaced for that, and then add little but indirection;
* redirects are followed by us, one hop at a time, with the scheme re-checked and the redirect
  body never read (urllib.request reads redirect bodies into memory without a limit);
* the body is streamed with a byte ceiling and one deadline for the whole fetch; the socket
  timeout alone would let a server dripping one byte every few seconds hold a worker forever.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import ipaddress
import socket
import ssl
import time
import urllib.request
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from ._html import ingest_html
from ._model import DEFAULT_MAX_BYTES, IngestedDocument, IngestError
from ._text import decode_web_bytes, is_utf16, normalize_newlines_nfc, sniff_binary
from ._upload import format_size

MAX_REDIRECTS = 10
_CHUNK_BYTES = 64 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
# Characters allowed unescaped in a path or query; everything else (spaces, non-ASCII pasted
# from a browser's address bar) is percent-encoded, already-encoded %XX sequences are kept.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
_STATUS_HINTS = {
    401: " (the page needs a login)",
    403: " (the site refuses access; it may need a login or block automated requests)",
    429: " (the site is limiting requests; try again later)",
    451: " (the page is not available for legal reasons)",
}


class _Problem(Exception):
    """Why a fetch failed, in words that follow "Could not fetch <url>: "."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def _shown(url: str) -> str:
    printable = "".join(ch if ch.isprintable() else " " for ch in url.strip())
    return printable if len(printable) <= 200 else printable[:199] + "…"


def _normalise_url(url: str) -> str:
    """An absolute http(s) URL that http.client accepts: IDNA host, percent-encoded path and
    query, no credentials, no fragment."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _Problem("that is not a valid web address", "invalid_url") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        if not scheme or "." in scheme:
            raise _Problem("a web address must start with http:// or https://", "invalid_url")
        raise _Problem("only http:// and https:// addresses can be fetched", "invalid_url")
    host = parts.hostname
    if not host:
        raise _Problem("the address has no server name", "invalid_url")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise _Problem("the server name is not valid", "invalid_url") from None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    return urlunsplit((scheme, netloc, path, quote(parts.query, safe=_QUERY_SAFE), ""))


# IPv6 networks whose addresses carry an IPv4 address in their last 32 bits: NAT64's
# well-known prefix, and the deprecated IPv4-compatible addresses (::a.b.c.d).
_IPV4_IN_LAST_32_BITS = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("::/96"),
)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: 6to4 (2002:ab:cd::), Teredo's server and
    client, NAT64 and IPv4-compatible."""
    found = [address.sixtofour] if address.sixtofour is not None else []
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in _IPV4_IN_LAST_32_BITS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return False  # a zone (fe80::1%eth0) is a link of this machine
        if address.ipv4_mapped is not None:
            return _is_public(address.ipv4_mapped)  # ::ffff:a.b.c.d is a.b.c.d
        if not all(_is_public(inner) for inner in _embedded_ipv4(address)):
            return False
        if any(address in network for network in _IPV4_IN_LAST_32_BITS):
            return True  # NAT64, IPv4-compatible: judged by the IPv4 address they carry
    return address.is_global and not address.is_multicast


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


@dataclass(frozen=True)
class _Guard:
    """Opens the TCP connection itself so that the address check applies to the address
    actually used, not to a separate DNS lookup that a rebinding DNS server could answer
    differently."""

    deadline: _Deadline
    allow_private: bool

    def connect(self, host: str, port: int) -> socket.socket:
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]  # an IPv6 literal is an address, not a name to look up
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None and not (self.allow_private or _is_public(literal)):
            # Refuse IP literals before any lookup (which may fail for e.g. IPv6 on an
            # IPv4-only host and hide the real reason).
            raise _Problem(self._blocked_reason(host, literal), "blocked_address")
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            # Named here rather than by the caller: after a redirect it is another host.
            raise _Problem(f"the server name {host} could not be found", "dns") from None
        allowed = []
        blocked = None
        for family, kind, proto, _, sockaddr in infos:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if self.allow_private or _is_public(address):
                allowed.append((family, kind, proto, sockaddr))
            else:
                blocked = address
        if not allowed:
            raise _Problem(self._blocked_reason(host, blocked), "blocked_address")
        error: OSError | None = None
        for family, kind, proto, sockaddr in allowed:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(self.deadline.remaining())
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        assert error is not None
        raise error

    @staticmethod
    def _blocked_reason(host: str, address: object) -> str:
        where = host if host == str(address) else f"{host} ({address})"
        return f"{where} is a private or local network address, which cannot be fetched"


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int | None, guard: _Guard) -> None:
        super().__init__(host, port, timeout=guard.deadline.seconds)
        self._guard = guard

    def connect(self) -> None:
        self.sock = self._guard.connect(self.host, self.port)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, guard: _Guard) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=guard.deadline.seconds, context=self._tls)
        self._guard = guard

    def connect(self) -> None:
        sock = self._guard.connect(self.host, self.port)
        try:
            self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


Kind = Literal["html", "text"]


@dataclass(frozen=True)
class _Download:
    url: str
    kind: Kind | None  # None: the server did not say; decided by sniffing the body
    charset: str | None
    body: bytes


def _status_text(response: http.client.HTTPResponse) -> str:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        # A non-standard status: show the server's own reason, tamed.
        phrase = "".join(ch for ch in response.reason[:60] if ch.isprintable()).strip()
    return f"{response.status} {phrase}".strip()


def _classify(response: http.client.HTTPResponse) -> tuple[Kind | None, str | None]:
    if response.getheader("Content-Type") is None:
        return None, None
    content_type = response.headers.get_content_type()
    charset = response.headers.get_content_charset()
    if content_type in _HTML_TYPES:
        return "html", charset
    if content_type in _TEXT_TYPES:
        return "text", charset
    major = content_type.split("/", 1)[0]
    if content_type == "application/pdf":
        reason = (
            "it is a PDF document, which cannot be read here; copy its text into a .txt file "
            "and upload that"
        )
    elif major in ("image", "video", "audio"):
        noun = {"image": "an image", "video": "a video", "audio": "an audio file"}[major]
        reason = f"it is {noun} ({content_type}), not a web page"
    else:
        reason = f"it is {content_type}, not a web page or plain text"
    raise _Problem(reason, "unsupported_type")


def _read_body(
    response: http.client.HTTPResponse, sock: socket.socket, deadline: _Deadline, max_bytes: int
) -> bytes:
    too_large = _Problem(f"the page is larger than {format_size(max_bytes)}", "too_large")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise _Problem(
            f"the server sent the page in a compression ({encoding}) that cannot be read",
            "bad_response",
        )
    decoder = None if encoding == "identity" else zlib.decompressobj(zlib.MAX_WBITS | 32)
    declared = response.getheader("Content-Length") or ""
    if decoder is None and declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_large  # say so before downloading anything

    chunks: list[bytes] = []
    size = raw_size = 0
    while True:
        sock.settimeout(deadline.remaining())
        chunk = response.read1(_CHUNK_BYTES)
        if not chunk:
            break
        raw_size += len(chunk)
        if raw_size > max_bytes:
            raise too_large
        if decoder is not None:
            try:
                # Bounded output: a small gzip bomb must not expand to gigabytes in memory.
                chunk = decoder.decompress(chunk, max_bytes - size + 1)
            except zlib.error:
                raise _Problem("the server sent badly compressed data", "bad_response") from None
            if decoder.unconsumed_tail:
                raise too_large
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    if decoder is not None:
        try:
            rest = decoder.flush()
        except zlib.error:
            raise _Problem("the server sent badly compressed data", "bad_response") from None
        if size + len(rest) > max_bytes:
            raise too_large
        chunks.append(rest)
    return b"".join(chunks)


def _download(
    url: str, *, deadline: _Deadline, max_bytes: int, user_agent: str, allow_private: bool
) -> _Download:
    guard = _Guard(deadline, allow_private)
    # Some news sites set a cookie on a redirect and loop until they see it back.
    cookies = http.cookiejar.CookieJar()
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        connection_class = _HTTPSConnection if parts.scheme == "https" else _HTTPConnection
        host = parts.hostname or ""
        # Always with its port: http.client reads a host without one for "host:port" (so
        # "::1" as ":" port 1), and keeps the brackets of "[::1]" when given a port. Given
        # both, it takes an IPv6 literal bare and writes the Host header with brackets.
        port = parts.port or (443 if parts.scheme == "https" else 80)
        connection = connection_class(host, port, guard)
        try:
            connection.connect()
            sock = connection.sock
            assert sock is not None
            sock.settimeout(deadline.remaining())
            cookie_request = urllib.request.Request(current)
            cookies.add_cookie_header(cookie_request)
            headers = {"User-Agent": user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip"}
            cookie = cookie_request.get_header("Cookie")
            if cookie:
                headers["Cookie"] = cookie
            connection.request(
                "GET", urlunsplit(("", "", parts.path, parts.query, "")) or "/", headers=headers
            )
            response = connection.getresponse()
            cookies.extract_cookies(response, cookie_request)  # type: ignore[arg-type]

            if response.status in _REDIRECT_STATUSES:
                location = (response.getheader("Location") or "").strip()
                if not location:
                    raise _Problem(
                        f"the server answered {_status_text(response)} without saying where to",
                        "http_status",
                    )
                target = urljoin(current, location)
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise _Problem(
                        f"it redirects to {_shown(target)}, which is not an http:// "
                        "or https:// address",
                        "invalid_url",
                    )
                current = _normalise_url(target)
                continue
            if not 200 <= response.status < 300:
                raise _Problem(
                    f"the server answered {_status_text(response)}"
                    f"{_STATUS_HINTS.get(response.status, '')}",
                    "http_status",
                )
            kind, charset = _classify(response)
            body = _read_body(response, sock, deadline, max_bytes)
            return _Download(url=current, kind=kind, charset=charset, body=body)
        finally:
            connection.close()
    raise _Problem(f"it redirects more than {MAX_REDIRECTS} times", "too_many_redirects")


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<!--")) or b"<body" in head


def _document(download: _Download) -> IngestedDocument:
    body = download.body
    kind = download.kind
    binary = None if is_utf16(body) else sniff_binary(body)
    if binary:
        claimed = {"html": "a web page", "text": "text"}.get(kind or "")
        reason = (
            f"the server calls it {claimed}, but it is {binary}"
            if claimed
            else f"it is {binary}, not a web page"
        )
        raise _Problem(reason, "binary")
    if not body.strip():
        raise _Problem("the page is empty", "empty")
    if kind is None:
        kind = "html" if _looks_like_html(body) else "text"
    if kind == "html":
        html = decode_web_bytes(body, declared=download.charset, html=True)
        return ingest_html(html, url=download.url, source_format="url")
    text = normalize_newlines_nfc(decode_web_bytes(body, declared=download.charset, html=False))
    if not text.strip():
        raise _Problem("the page is empty", "empty")
    return IngestedDocument(
        text=text,
        title=None,
        byline=None,
        published=None,
        outlet=None,
        url=download.url,
        source_format="url",
    )


def fetch_url(
    url: str,
    *,
    timeout: float = 15,
    max_bytes: int = DEFAULT_MAX_BYTES,
    user_agent: str = "ClaimWorkbench/1.0",
    allow_private_addresses: bool = False,
) -> IngestedDocument:
    """Download ``url`` and ingest it (HTML through ``from_html``, text/plain as text).

    ``timeout`` bounds the whole fetch -- connecting, redirects and download together -- except
    the DNS lookup, which the standard library cannot interrupt. At most ``max_bytes`` are read
    (after decompression). Addresses on loopback, private, link-local and other non-public
    networks are refused unless ``allow_private_addresses`` is set (tests, intranet setups):
    otherwise any user could make the server read its own admin pages or cloud metadata.
    Every failure is an IngestError whose message starts "Could not fetch <url>: ".
    """
    try:
        target = _normalise_url(url)
        download = _download(
            target,
            deadline=_Deadline(timeout),
            max_bytes=max_bytes,
            user_agent=user_agent,
            allow_private=allow_private_addresses,
        )
        return _document(download)
    except IngestError:
        raise
    except _Problem as problem:
        reason, code = problem.reason, problem.code
    except TimeoutError:
        reason, code = f"the server did not answer within {timeout:g} seconds", "timeout"
    except ConnectionRefusedError:
        reason, code = "the server refused the connection", "connection_refused"
    except ssl.SSLCertVerificationError:
        reason, code = "the site's security certificate could not be verified", "tls"
    except ssl.SSLError:
        reason, code = "the secure (TLS) connection could not be established", "tls"
    except http.client.IncompleteRead:
        reason, code = "the connection closed before the page was complete", "network"
    except (http.client.HTTPException, ConnectionResetError):
        reason, code = "the server sent an invalid response or closed the connection", "network"
    except OSError as exc:
        reason, code = f"the connection failed ({exc.strerror or exc})", "network"
    # "Could not fetch <url>: <reason>", as agreed for the UI; no final full stop, so that a
    # URL at the end of a reason ("it redirects to ftp://...") is not read as ending in ".".
    raise IngestError(f"Could not fetch {_shown(url)}: {reason}", code=code) from None
