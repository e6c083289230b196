from __future__ import annotations

import datetime
import gzip
import socket
import ssl

import pytest

from claims.ingest import IngestError, _fetch, fetch_url

from .conftest import TLS_CERT, Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}
PARAGRAPH = (
    "Azerbaijani Deputy Defense Minister Kerim Veliyev claimed on Tuesday that nearly 100 "
    "Armenian soldiers have been killed, but Armenian officials denied this."
)
SIMPLE_PAGE = f"<html><head><title>Clashes</title></head><body><p>{PARAGRAPH}</p></body></html>"


def fetch_error(fetch, url: str, **options) -> IngestError:
    with pytest.raises(IngestError) as caught:
        fetch(url, **options)
    return caught.value


# --- pages -----------------------------------------------------------------------------------


def test_news_page_text_and_metadata_come_through(server, fetch, armenia_html, armenia_paragraphs):
    url = server.serve(
        "/en/articles/arme-j18.html", Reply(body=armenia_html.encode(), headers=HTML)
    )

    document = fetch(url)

    assert document.text.split("\n\n") == armenia_paragraphs
    assert document.title == "Armenia-Azerbaijan border clashes threaten broader war in Caucasus"
    assert document.byline == "Ulas Atesci"
    assert document.published == datetime.date(2020, 7, 18)
    assert document.outlet == "World Socialist Web Site"
    assert document.url == "https://www.wsws.org/en/articles/2020/07/18/arme-j18.html"
    assert document.source_format == "url"


def test_page_with_only_meta_tags_gives_its_metadata(server, fetch):
    html = (
        "<html><head><title>Talks resume | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta name="author" content="Anna Petrosyan">'
        '<meta name="date" content="2020-10-09">'
        f"</head><body><main><p>{PARAGRAPH}</p></main></body></html>"
    )
    url = server.serve("/talks", Reply(body=html.encode(), headers=HTML))

    document = fetch(url)

    assert document.text == PARAGRAPH
    assert document.title == "Talks resume"
    assert document.byline == "Anna Petrosyan"
    assert document.published == datetime.date(2020, 10, 9)
    assert document.outlet == "Example News"
    assert document.url == url  # no canonical link: the fetched URL


def test_sends_the_user_agent_and_asks_for_html(server, fetch):
    url = server.serve("/ua", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))

    fetch(url, user_agent="TestBench/2.0")

    path, headers = server.requests[-1]
    assert path == "/ua"
    assert headers["User-Agent"] == "TestBench/2.0"
    assert headers["Accept"].startswith("text/html")


def test_iso_8859_1_declared_by_header_is_decoded_like_a_browser(server, fetch):
    # Browsers read "iso-8859-1" as windows-1252, whose 0x93/0x94 are curly quotes.
    text = "\u201cDialogue\u201d, said the caf\u00e9 owner in Br\u00fcssel, \u00bd hour later."
    body = f"<html><body><p>{text}</p></body></html>".encode("cp1252")
    url = server.serve(
        "/latin1", Reply(body=body, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    )

    assert fetch(url).text == text


def test_meta_charset_is_honoured_when_the_header_has_none(server, fetch):
    # "Armenia and Baku" in Cyrillic.
    text = "\u0410\u0440\u043c\u0435\u043d\u0438\u044f \u0438 \u0411\u0430\u043a\u0443"
    html = f'<html><head><meta charset="windows-1251"></head><body><p>{text}.</p></body></html>'
    url = server.serve(
        "/cyrillic", Reply(body=html.encode("cp1251"), headers={"Content-Type": "text/html"})
    )

    assert fetch(url).text == f"{text}."


def test_undeclared_charset_falls_back_to_utf8_then_windows_1252(server, fetch):
    utf8 = server.serve(
        "/utf8",
        Reply(body="<p>caf\u00e9 \u20ac</p>".encode(), headers={"Content-Type": "text/html"}),
    )
    legacy = server.serve(
        "/legacy",
        Reply(
            body="<p>caf\u00e9 \u20ac</p>".encode("cp1252"), headers={"Content-Type": "text/html"}
        ),
    )

    assert fetch(utf8).text == "caf\u00e9 \u20ac"
    assert fetch(legacy).text == "caf\u00e9 \u20ac"


def test_plain_text_is_kept_as_text(server, fetch):
    text = "Statement of the Ministry\r\n\r\nAt least 12 soldiers were killed.\r\n"
    url = server.serve(
        "/statement.txt",
        Reply(body=text.encode(), headers={"Content-Type": "text/plain; charset=utf-8"}),
    )

    document = fetch(url)

    assert document.text == "Statement of the Ministry\n\nAt least 12 soldiers were killed.\n"
    assert (document.source_format, document.url, document.title) == ("url", url, None)


def test_missing_content_type_is_sniffed(server, fetch):
    html_url = server.serve("/untyped-html", Reply(body=b"<!DOCTYPE html>" + SIMPLE_PAGE.encode()))
    text_url = server.serve("/untyped-text", Reply(body=PARAGRAPH.encode()))

    assert fetch(html_url).text == PARAGRAPH
    assert fetch(text_url).text == PARAGRAPH


def test_gzip_encoded_page_is_decompressed(server, fetch):
    url = server.serve(
        "/gz",
        Reply(
            body=gzip.compress(SIMPLE_PAGE.encode()), headers={**HTML, "Content-Encoding": "gzip"}
        ),
    )

    assert fetch(url).text == PARAGRAPH


# --- redirects -------------------------------------------------------------------------------


def test_redirect_is_followed_and_the_final_url_kept(server, fetch):
    target = server.serve("/article", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))
    start = server.serve("/old", Reply(301, {"Location": "/article"}))

    document = fetch(start)

    assert document.text == PARAGRAPH
    assert document.url == target
    assert [path for path, _ in server.requests] == ["/old", "/article"]


def test_cookie_set_on_a_redirect_is_sent_back(server, fetch):
    server.serve(
        "/gate", Reply(302, {"Location": "/behind-gate", "Set-Cookie": "consent=yes; Path=/"})
    )
    server.serve("/behind-gate", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))

    fetch(server.url("/gate"))

    assert server.requests[-1][1].get("Cookie") == "consent=yes"


def test_redirect_loop_stops_with_a_clear_error(server, fetch):
    url = server.serve("/loop", Reply(302, {"Location": "/loop"}))

    error = fetch_error(fetch, url)

    assert error.code == "too_many_redirects"
    assert error.message == f"Could not fetch {url}: it redirects more than 10 times"
    assert len(server.requests) == 11


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)"]
)
def test_redirect_to_a_non_web_scheme_is_refused(server, fetch, location):
    url = server.serve("/escape", Reply(302, {"Location": location}))

    error = fetch_error(fetch, url)

    assert error.code == "invalid_url"
    assert (
        f"it redirects to {location}, which is not an http:// or https:// address" in error.message
    )


# --- HTTP and network failures ---------------------------------------------------------------


def test_404_is_reported_with_the_status(server, fetch):
    url = server.url("/missing")

    error = fetch_error(fetch, url)

    assert error.code == "http_status"
    assert error.message == f"Could not fetch {url}: the server answered 404 Not Found"


def test_500_is_reported_with_the_status(server, fetch):
    url = server.serve("/broken", Reply(500, HTML, b"<h1>Oops</h1>"))

    error = fetch_error(fetch, url)

    assert error.message == f"Could not fetch {url}: the server answered 500 Internal Server Error"


def test_403_explains_what_it_usually_means(server, fetch):
    url = server.serve("/private", Reply(403, HTML, b"denied"))

    assert "403 Forbidden (the site refuses access" in fetch_error(fetch, url).message


def test_connection_refused_is_reported(fetch, closed_port):
    url = f"http://127.0.0.1:{closed_port}/article"

    error = fetch_error(fetch, url)

    assert error.code == "connection_refused"
    assert error.message == f"Could not fetch {url}: the server refused the connection"


def test_unknown_host_is_reported(fetch, monkeypatch):
    # No network in tests: make the resolver fail the way it does for an unknown name.
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)

    error = fetch_error(fetch, "https://no-such-host.invalid/article")

    assert error.code == "dns"
    assert error.message == (
        "Could not fetch https://no-such-host.invalid/article: "
        "the server name no-such-host.invalid could not be found"
    )


def test_server_that_does_not_answer_times_out(server, fetch):
    url = server.serve("/slow", Reply(body=SIMPLE_PAGE.encode(), headers=HTML, delay=60))

    error = fetch_error(fetch, url, timeout=0.5)

    assert error.code == "timeout"
    assert error.message == f"Could not fetch {url}: the server did not answer within 0.5 seconds"


def test_server_dripping_bytes_cannot_outlast_the_timeout(server, fetch):
    # Every byte arrives well within the timeout; only a deadline for the whole fetch stops it.
    url = server.serve("/drip", Reply(body=SIMPLE_PAGE.encode() * 10, headers=HTML, drip=0.05))

    assert fetch_error(fetch, url, timeout=0.5).code == "timeout"


def test_declared_too_large_body_is_refused_before_download(server, fetch):
    url = server.serve("/huge", Reply(body=b"<p>" + b"x" * 200_000 + b"</p>", headers=HTML))

    error = fetch_error(fetch, url, max_bytes=100_000)

    assert error.code == "too_large"
    assert error.message == f"Could not fetch {url}: the page is larger than 98 KB"


def test_undeclared_too_large_body_stops_at_the_limit(server, fetch):
    url = server.serve(
        "/stream", Reply(body=b"<p>" + b"x" * 2_000_000 + b"</p>", headers=HTML, send_length=False)
    )

    assert fetch_error(fetch, url, max_bytes=100_000).code == "too_large"


def test_compressed_body_that_expands_past_the_limit_is_refused(server, fetch):
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    assert len(bomb) < 100_000
    url = server.serve("/bomb", Reply(body=bomb, headers={**HTML, "Content-Encoding": "gzip"}))

    assert fetch_error(fetch, url, max_bytes=1_000_000).code == "too_large"


def test_image_is_refused_by_its_content_type(server, fetch):
    url = server.serve(
        "/photo",
        Reply(body=b"\x89PNG\r\n\x1a\n" + bytes(100), headers={"Content-Type": "image/png"}),
    )

    error = fetch_error(fetch, url)

    assert error.code == "unsupported_type"
    assert error.message == f"Could not fetch {url}: it is an image (image/png), not a web page"
    assert [path for path, _ in server.requests] == ["/photo"]


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/pdf", "it is a PDF document"),
        (
            "application/octet-stream",
            "it is application/octet-stream, not a web page or plain text",
        ),
        ("application/json", "it is application/json, not a web page or plain text"),
        ("video/mp4", "it is a video (video/mp4), not a web page"),
    ],
)
def test_other_non_text_content_types_are_refused(server, fetch, content_type, expected):
    url = server.serve("/file", Reply(body=b"%PDF-1.7 ...", headers={"Content-Type": content_type}))

    assert expected in fetch_error(fetch, url).message


def test_binary_body_labelled_as_html_is_refused(server, fetch):
    url = server.serve("/liar", Reply(body=b"\x89PNG\r\n\x1a\n" + bytes(100), headers=HTML))

    error = fetch_error(fetch, url)

    assert error.code == "binary"
    assert "a PNG image" in error.message


def test_empty_page_is_reported(server, fetch):
    url = server.serve("/empty", Reply(body=b"", headers=HTML))

    assert fetch_error(fetch, url).message == f"Could not fetch {url}: the page is empty"


def test_html_page_without_article_text_is_reported(server, fetch):
    url = server.serve(
        "/shell", Reply(body=b"<html><body><script>app()</script></body></html>", headers=HTML)
    )

    assert fetch_error(fetch, url).message == "No article text found on that page"


# --- HTTPS ---------------------------------------------------------------------------------


def test_https_certificate_that_cannot_be_verified_is_refused(tls_server, fetch):
    url = tls_server.serve("/secure", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))

    error = fetch_error(fetch, url)

    assert error.code == "tls"
    assert error.message == (
        f"Could not fetch {url}: the site's security certificate could not be verified"
    )


def test_https_page_is_fetched_when_its_certificate_is_trusted(tls_server, fetch, monkeypatch):
    trusting = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: trusting(cafile=str(TLS_CERT)))
    url = tls_server.serve("/secure", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))

    document = fetch(url)

    assert (document.text, document.url) == (PARAGRAPH, url)


# --- what may be fetched at all --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/article.txt", "only http:// and https:// addresses can be fetched"),
        ("file:///etc/passwd", "only http:// and https:// addresses can be fetched"),
        ("javascript:alert(1)", "only http:// and https:// addresses can be fetched"),
        ("data:text/html,<p>hi</p>", "only http:// and https:// addresses can be fetched"),
        ("www.example.com/article", "a web address must start with http:// or https://"),
        ("", "a web address must start with http:// or https://"),
        ("http:///no-host", "the address has no server name"),
        ("http://example.com:99999/", "that is not a valid web address"),
    ],
)
def test_invalid_addresses_are_refused_without_any_request(url, reason):
    error = fetch_error(fetch_url, url)

    assert error.code == "invalid_url"
    assert error.message == f"Could not fetch {url}: {reason}"


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "[::1]", "10.0.0.8", "192.168.1.1", "169.254.169.254", "0.0.0.0"],
)
def test_local_and_private_addresses_are_refused_by_default(host):
    error = fetch_error(fetch_url, f"http://{host}/latest/meta-data")

    assert error.code == "blocked_address"
    assert "private or local network address" in error.message


@pytest.mark.parametrize(
    "host",
    [
        # IPv6 literals with a port, which were looked up as names ("could not be found").
        "[::1]:8080",
        "[fe80::1]:80",
        "[fe80::1%25eth0]:80",
        "[fc00::1]:8443",
        "[fd12:3456::1]:8000",
        "[::ffff:127.0.0.1]:8000",
        "[::]:80",
        # IPv4 addresses inside IPv6 ones: compatible, NAT64, 6to4.
        "[::127.0.0.1]",
        "[64:ff9b::7f00:1]",
        "[64:ff9b::a9fe:a9fe]:80",
        "[2002:7f00:1::]",
        "[2002:a9fe:a9fe::1]",
    ],
)
def test_ipv6_literals_of_local_and_private_addresses_are_refused(host):
    error = fetch_error(fetch_url, f"http://{host}/latest/meta-data")

    assert error.code == "blocked_address", error.message
    assert "private or local network address" in error.message


@pytest.mark.parametrize(
    "address,public",
    [
        ("2606:4700:4700::1111", True),
        ("64:ff9b::808:808", True),  # 8.8.8.8 through NAT64
        ("2002:808:808::1", True),  # 8.8.8.8's 6to4 network
        ("::ffff:8.8.8.8", True),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::a00:1", False),
        ("2002:c0a8:101::1", False),  # 192.168.1.1's 6to4 network
    ],
)
def test_ipv4_inside_ipv6_is_judged_as_the_ipv4_address(address, public):
    import ipaddress

    assert _fetch._is_public(ipaddress.ip_address(address)) is public


def test_a_page_on_an_ipv6_address_with_a_port_is_fetched_when_allowed(server6, fetch):
    url = server6.serve("/v6", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))

    document = fetch(url)

    assert document.text == PARAGRAPH
    ((_, headers),) = server6.requests
    assert headers["Host"] == f"[::1]:{server6.port}"


def test_redirect_into_the_local_network_is_refused(server, monkeypatch):
    # Let the test server's own address count as public, so that only the redirect target is
    # judged: the check must run again on every connection, not just on the URL given.
    judge = _fetch._is_public
    monkeypatch.setattr(_fetch, "_is_public", lambda ip: str(ip) == "127.0.0.1" or judge(ip))
    url = server.serve("/to-metadata", Reply(302, {"Location": "http://169.254.169.254/latest"}))

    error = fetch_error(fetch_url, url)

    assert error.code == "blocked_address"
    assert "169.254.169.254 is a private or local network address" in error.message
    assert [path for path, _ in server.requests] == ["/to-metadata"]


def test_non_ascii_path_is_percent_encoded(server, fetch):
    server.serve("/news/caf%C3%A9%20story", Reply(body=SIMPLE_PAGE.encode(), headers=HTML))

    assert fetch(server.url("/news/caf\u00e9 story")).text == PARAGRAPH
