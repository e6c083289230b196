"""The command-line tools: extract_claims, import_article and load_demo."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.extraction import CLAIM_THRESHOLD
from claims.models import Article, Claim, ClaimStatus, Verdict
from tests.conftest import SAMPLE


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return out.getvalue(), err.getvalue(), code


# --- extract_claims --------------------------------------------------------------------------


def test_extract_claims_prints_one_json_claim_per_line(tmp_path):
    out, err, code = run("extract_claims", str(SAMPLE))
    assert code == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    text = SAMPLE.read_text(encoding="utf-8")
    assert len(lines) >= 20
    for record in lines:
        assert set(record) >= {
            "file",
            "start",
            "end",
            "text",
            "types",
            "score",
            "reason",
            "speaker",
            "figures",
            "date",
        }
        assert record["file"] == str(SAMPLE)
        assert text[record["start"] : record["end"]] == record["text"]
        for figure in record["figures"]:
            assert set(figure) >= {"value", "hedge", "counted", "side"}
    veliyev = next(r for r in lines if "nearly 100" in r["text"])
    assert veliyev["date"] == "2020-07-14"


def test_extract_claims_offsets_keep_crlf_newlines(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    out, _, code = run("extract_claims", str(crlf))
    text = crlf.read_bytes().decode("utf-8")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(text[r["start"] : r["end"]] == r["text"] for r in records)


def test_extract_claims_uses_the_given_publication_date(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("The ministry said on Tuesday that 40 soldiers were killed.\n")
    out, _, code = run("extract_claims", str(story), "--published", "2021-03-06")
    record = json.loads(out.splitlines()[0])
    assert code == 0 and record["date"] == "2021-03-02"


def test_bad_files_get_one_line_each_and_the_others_are_processed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Le ministère a dit que 40 soldats sont morts.".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    out, err, code = run(
        "extract_claims", str(missing), str(empty), str(SAMPLE), str(binary), str(latin1)
    )
    assert code == 1
    errors = err.strip().splitlines()
    assert len(errors) == 4
    assert errors[0] == f"{missing}: no such file"
    assert errors[1] == f"{empty}: the file is empty"
    assert "binary" in errors[2] and "UTF-8" in errors[3]
    assert {json.loads(line)["file"] for line in out.splitlines()} == {str(SAMPLE)}


def test_extract_claims_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("extract_claims", str(SAMPLE), "--published", "18/07/2020")


# --- import_article --------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_article_from_a_file_then_again():
    out, _, _ = run("import_article", str(SAMPLE))
    assert "Imported article" in out and "claims" in out
    article = Article.objects.get()
    assert article.title.startswith("Armenia-Azerbaijan border clashes")
    again, _, _ = run("import_article", str(SAMPLE))
    assert "Already imported" in again and Article.objects.count() == 1


@pytest.mark.django_db
def test_import_article_refuses_a_binary_file(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError, match="not a text file"):
        call_command("import_article", str(binary))
    assert not Article.objects.exists()


PAGE = """<!doctype html><html><head><title>Clashes | Daily Planet</title>
<meta property="og:title" content="Border clashes leave 16 dead">
<meta property="og:site_name" content="Daily Planet">
<meta name="author" content="Lois Lane">
<meta property="article:published_time" content="2020-07-18T09:00:00Z">
</head><body><nav>Home | World</nav><article><h1>Border clashes leave 16 dead</h1>
<p>At least 12 soldiers from Azerbaijan and four from Armenia were killed, officials said on
Tuesday.</p><p>The defence ministry said on Thursday that 30 tanks were destroyed.</p>
<p>Azerbaijan's president said the fighting would continue until the border was secure.</p>
</article><footer>Contact us</footer></body></html>"""


@pytest.fixture
def news_site():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/story":
                body = PAGE.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.django_db
def test_import_article_from_a_url_reads_text_and_metadata(news_site, settings):
    settings.ARTICLE_FETCH_ALLOW_PRIVATE = True
    out, _, _ = run("import_article", f"{news_site}/story")
    article = Article.objects.get()
    assert "Imported article" in out
    assert article.title == "Border clashes leave 16 dead"
    assert article.byline == "Lois Lane" and article.outlet == "Daily Planet"
    assert str(article.published) == "2020-07-18"
    assert article.source_format == Article.Format.URL
    assert "Home | World" not in article.text and "Contact us" not in article.text
    assert article.claims.filter(text__contains="At least 12 soldiers").exists()


@pytest.mark.django_db
def test_import_article_from_a_missing_page_is_a_clear_error(news_site, settings):
    settings.ARTICLE_FETCH_ALLOW_PRIVATE = True
    with pytest.raises(CommandError, match="404"):
        call_command("import_article", f"{news_site}/gone")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_import_article_refuses_private_addresses_by_default(news_site):
    with pytest.raises(CommandError):
        call_command("import_article", f"{news_site}/story")
    assert not Article.objects.exists()


# --- load_demo -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_puts_claims_in_every_state_and_is_idempotent(settings):
    settings.DEBUG = True
    out, _, _ = run("load_demo")
    for username in ("alice", "bob", "erin", "frank", "ada"):
        assert f"{username}" in out and f"demo-{username}" in out
    counts = {s: Claim.objects.active().filter(status=s).count() for s in ClaimStatus.values}
    assert all(n >= 1 for n in counts.values()), counts
    public = counts[ClaimStatus.PUBLISHED] + counts[ClaimStatus.CORRECTED]
    assert public >= 3 and counts[ClaimStatus.CORRECTED] >= 1
    assert Verdict.objects.filter(state=Verdict.State.SUPERSEDED).exists()
    from annotations.selectors import disagreements

    assert disagreements(Claim.objects.all()).exists()
    before = (Claim.objects.count(), Verdict.objects.count())
    again, _, _ = run("load_demo")
    assert "already loaded" in again
    assert (Claim.objects.count(), Verdict.objects.count()) == before


@pytest.mark.django_db
def test_load_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not Article.objects.exists()


def test_extract_claims_all_prints_every_sentence_with_claims_marked(tmp_path):
    claims_out, _, _ = run("extract_claims", str(SAMPLE))
    out, err, code = run("extract_claims", "--all", str(SAMPLE))
    assert code == 0 and err == ""
    every = [json.loads(line) for line in out.splitlines()]
    claims = [json.loads(line) for line in claims_out.splitlines()]
    text = SAMPLE.read_text(encoding="utf-8")
    assert all(text[r["start"] : r["end"]] == r["text"] for r in every)
    assert [r["start"] for r in every] == sorted(r["start"] for r in every)
    # The claims are exactly those of the plain command; the rest are marked and scored.
    assert [r for r in every if r["claim"]] == claims
    rest = [r for r in every if not r["claim"]]
    assert rest and len(every) == len(claims) + len(rest)
    assert all(isinstance(r["score"], float) and 0.0 <= r["score"] <= 1.0 for r in rest)
    assert all(r["score"] < CLAIM_THRESHOLD for r in rest)
    assert all(r["score"] >= CLAIM_THRESHOLD for r in claims)
    # A byline or other gated line is there too, with why it was left out.
    assert any(r["reason"].startswith("Left out: ") and r["score"] == 0.0 for r in rest)
