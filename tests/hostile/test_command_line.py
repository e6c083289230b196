"""Hostile files and addresses on the command line: a clear error, nothing stored.

import_article stores articles, so every refusal is checked against the database's
fingerprint; extract_claims only reads, and must report each bad file on one line and
carry on with the others.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.hostile.corpus import ARTICLE_FILE, Case, cases, oversized_text
from tests.hostile.fingerprint import changed, db_fingerprint

FILES = cases(ARTICLE_FILE)
# HTML is decoded as a browser decodes it (its charset label, U+FFFD for bad bytes), so a
# page in UTF-16 or with stray bytes is readable, not refused.
HTML_DECODES = {"invalid UTF-8", "UTF-16 with BOM"}
# extract_claims stores nothing and runs in linear time (bench/linearity.py): a big file is
# work, not an attack, on the command line.
EXTRACT_ACCEPTS = {"oversized article"}


def file_bytes(case: Case) -> bytes:
    if case.name == "oversized article":
        return oversized_text(settings.ARTICLE_MAX_BYTES).encode()
    return case.value if isinstance(case.value, bytes) else str(case.value).encode()


def write(tmp_path: Path, case: Case, suffix: str = ".txt") -> Path:
    path = tmp_path / f"article{suffix}"
    path.write_bytes(file_bytes(case))
    return path


def refused_by_import(argument: str, *extra: str) -> str:
    before = db_fingerprint()
    with pytest.raises(CommandError) as info:
        call_command("import_article", argument, *extra, stdout=StringIO())
    after = db_fingerprint()
    assert after == before, changed(before, after)
    message = str(info.value)
    assert message.strip() and "Traceback" not in message
    return message


IMPORTS = [
    pytest.param(case, suffix, id=f"{suffix}-{case.name}")
    for suffix in (".txt", ".md", ".html")
    for case in FILES
    if not (suffix == ".html" and case.name in HTML_DECODES)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "suffix"), IMPORTS)
def test_import_article_refuses_bad_files(case, suffix, tmp_path):
    path = write(tmp_path, case, suffix)
    message = refused_by_import(str(path))
    assert message.startswith(str(path))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("http://127.0.0.1:9/article", "private or local"),
        ("http://localhost/article", "private or local"),
        ("http://169.254.169.254/latest/meta-data/", "private or local"),  # cloud metadata
        ("http://[::1]/article", "private or local"),
        ("http://10.0.0.1/article", "private or local"),
        ("ftp://example.org/article.txt", ""),
        ("file:///etc/passwd", ""),
        ("gopher://example.org/", ""),
        ("javascript:alert(1)", ""),
        ("/no/such/file.txt", "No such file"),
        ("/", ""),
    ],
)
def test_import_article_refuses_addresses_it_must_not_fetch(address, expected):
    assert expected in refused_by_import(address)


@pytest.mark.django_db
def test_import_article_refuses_an_unknown_user(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("At least 12 soldiers were killed, the ministry said.\n")
    assert "no user" in refused_by_import(str(path), "--user", "'; DROP TABLE auth_user;--")


@pytest.mark.django_db
def test_import_article_stores_markup_in_a_text_file_as_text(tmp_path):
    path = tmp_path / "a.txt"
    text = "Border clashes\n\nOfficials said <script>alert(1)</script> 12 died.\n"
    path.write_text(text, encoding="utf-8")
    call_command("import_article", str(path), stdout=StringIO())
    from claims.models import Article

    assert Article.objects.get().text == text


EXTRACT_FILES = [c for c in FILES if c.name not in EXTRACT_ACCEPTS]


@pytest.mark.parametrize("case", EXTRACT_FILES, ids=[c.name for c in EXTRACT_FILES])
def test_extract_claims_reports_a_bad_file_and_goes_on(case, tmp_path):
    bad = write(tmp_path, case)
    good = tmp_path / "good.txt"
    good.write_text("At least 12 soldiers were killed on Sunday, the ministry said.\n")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("extract_claims", str(bad), str(good), stdout=out, stderr=err)
    assert exit_.value.code == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}: ")
    assert '"file": "' + str(good) in out.getvalue()


def test_extract_claims_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("extract_claims", "x.txt", "--published", "2020-02-30")
