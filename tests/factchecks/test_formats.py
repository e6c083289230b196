"""Reading fact-checks from ClaimReview JSON-LD and TSV files: every shape, and bad rows."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims import factcheck_formats as ff
from claims.factcheck_formats import FormatError, parse

ROOT = Path(ff.__file__).resolve().parents[1]


def review(n: int = 1, **extra: object) -> dict[str, object]:
    """A ClaimReview as a fact-checker puts it in its page (Google's required fields)."""
    doc: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://factcheck.example.org/checks/{n}",
        "claimReviewed": f"Unemployment fell to 3.{n}% last month.",
        "datePublished": "2020-03-01",
        "inLanguage": "en",
        "headline": f"Did unemployment fall to 3.{n}%?",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Minister"},
            "datePublished": "2020-02-27",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": "2",
            "bestRating": "5",
            "worstRating": "1",
            "alternateName": "Mostly false",
        },
    }
    doc.update(extra)
    return doc


# --- the module ------------------------------------------------------------------------------


def test_importing_the_parser_loads_no_django():
    code = (
        "import sys\n"
        "from claims.factcheck_formats import parse\n"
        "parse('id\\tclaim\\n1\\tThe sky is green.\\n', publisher='X')\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_parser_imports_only_the_standard_library():
    tree = ast.parse(Path(ff.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] in sys.stdlib_module_names | {"__future__"}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name.split(".")[0] in sys.stdlib_module_names


# --- ClaimReview -----------------------------------------------------------------------------


def test_one_claimreview_object_gives_every_field():
    parsed = parse(json.dumps(review()), format="claimreview")
    assert parsed.errors == []
    [(row, r)] = parsed.records
    assert row == 1
    assert r.publisher == "Example Checks"
    assert r.url == "https://factcheck.example.org/checks/1"
    assert r.external_id == ""
    assert r.claim_text == "Unemployment fell to 3.1% last month."
    assert r.title == "Did unemployment fall to 3.1%?"
    assert r.rating_text == "Mostly false"
    assert r.claimant == "A. Minister"
    assert r.published == dt.date(2020, 3, 1)
    assert r.language == "en"


def test_a_list_of_claimreviews():
    parsed = parse(json.dumps([review(1), review(2), review(3)]))
    assert parsed.format == "claimreview"
    assert [r.url.rsplit("/", 1)[1] for _, r in parsed.records] == ["1", "2", "3"]
    assert [row for row, _ in parsed.records] == [1, 2, 3]


def test_a_datafeed_as_google_fact_check_tools_export_it():
    feed = {
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dateModified": "2020-03-02T10:00:00Z",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": "2020-03-01", "item": [review(1)]},
            {"@type": "DataFeedItem", "item": review(2)},
            {"@type": "DataFeedItem", "item": [review(3), review(4)]},
        ],
    }
    parsed = parse(json.dumps(feed).encode(), filename="feed.json")
    assert parsed.errors == []
    assert len(parsed.records) == 4


def test_google_fact_check_tools_claims_search_results():
    found = {
        "claims": [
            {
                "text": "Drinking hot water kills the virus.",
                "claimant": "Social media posts",
                "claimDate": "2020-03-10T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Full Fact", "site": "fullfact.org"},
                        "url": "https://fullfact.org/health/hot-water/",
                        "title": "Hot water does not kill the virus",
                        "reviewDate": "2020-03-12T09:30:00Z",
                        "textualRating": "False",
                        "languageCode": "en",
                    },
                    {
                        "publisher": {"name": "AFP Fact Check"},
                        "url": "https://factcheck.afp.com/hot-water",
                        "textualRating": "Faux",
                        "languageCode": "fr",
                    },
                ],
            }
        ]
    }
    parsed = parse(json.dumps(found))
    assert parsed.errors == []
    (_, full), (_, afp) = parsed.records
    assert (full.publisher, full.rating_text, full.published) == (
        "Full Fact",
        "False",
        dt.date(2020, 3, 12),
    )
    assert full.claimant == "Social media posts"
    assert (afp.publisher, afp.language, afp.claim_text) == (
        "AFP Fact Check",
        "fr",
        "Drinking hot water kills the virus.",
    )


def test_json_lines_and_graph_and_identifier():
    lines = "\n".join(
        [
            json.dumps(review(1, identifier="fc-1")),
            json.dumps({"@context": "https://schema.org", "@graph": [review(2), review(3)]}),
        ]
    )
    parsed = parse(lines, filename="checks.jsonl")
    assert [r.external_id for _, r in parsed.records] == ["fc-1", "", ""]


def test_publisher_falls_back_to_the_given_one_and_then_it_is_an_error():
    anonymous = review(1)
    del anonymous["author"]
    assert parse(json.dumps(anonymous), publisher="Snopes").records[0][1].publisher == "Snopes"
    parsed = parse(json.dumps(anonymous))
    assert parsed.records == []
    assert "no publisher" in parsed.errors[0].message


def test_bad_claimreviews_are_reported_one_by_one_and_the_good_ones_kept():
    no_claim = review(2)
    del no_claim["claimReviewed"]
    del no_claim["itemReviewed"]
    no_link = review(3)
    del no_link["url"]
    bad_date = review(4, datePublished="last Tuesday")
    bad_url = review(5, url="javascript:alert(1)")
    not_a_review = {"@type": "NewsArticle", "headline": "Hello"}
    docs = [review(1), no_claim, no_link, bad_date, bad_url, not_a_review, 42, review(8)]
    parsed = parse(json.dumps(docs))
    assert [row for row, _ in parsed.records] == [1, 8]
    errors = {e.row: e.message for e in parsed.errors}
    assert set(errors) == {2, 3, 4, 5, 6, 7}
    assert "claim is empty" in errors[2]
    assert "neither an id nor a url" in errors[3]
    assert "'last Tuesday' is not a date" in errors[4]
    assert "not a web address" in errors[5]
    assert "not a ClaimReview (NewsArticle)" in errors[6]
    assert "found int" in errors[7]


def test_the_same_claimreview_twice_in_one_file_is_refused_the_second_time():
    parsed = parse(json.dumps([review(1), review(1)]))
    assert len(parsed.records) == 1
    assert parsed.errors[0].row == 2 and "same fact-check as row 1" in parsed.errors[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not JSON"),
        ("", "empty"),
        ("[]", "no ClaimReview"),
        (b"\xff\xfe{", "not UTF-8"),
    ],
)
def test_an_unreadable_json_file_is_one_clear_error(data, message):
    with pytest.raises(FormatError, match=message):
        parse(data, format="claimreview")


# --- TSV -------------------------------------------------------------------------------------

TSV = (
    "id\tclaim\ttitle\turl\trating\tpublisher\tdate\tlanguage\n"
    "17\tThe unemployment rate fell to 3.5%.\tJobs\thttps://ex.org/17\tTrue\tEx Checks\t"
    "2020-01-31\ten\n"
    "18\tCrime rose by 13%.\t\t\tMisleading\t\t\t\n"
)


def test_tsv_with_every_column():
    parsed = parse(TSV, publisher="Default Pub", filename="x.tsv")
    assert parsed.errors == [] and parsed.format == "tsv"
    (row1, a), (row2, b) = parsed.records
    assert (row1, row2) == (2, 3)
    assert a == ff.FactCheckRecord(
        publisher="Ex Checks",
        claim_text="The unemployment rate fell to 3.5%.",
        external_id="17",
        url="https://ex.org/17",
        title="Jobs",
        rating_text="True",
        published=dt.date(2020, 1, 31),
        language="en",
    )
    assert (b.publisher, b.external_id, b.rating_text, b.url) == (
        "Default Pub",
        "18",
        "Misleading",
        "",
    )


def test_tsv_columns_in_any_order_and_case_and_unknown_ones_reported():
    data = "Claim\tNotes\tID\n The sky is green. \tignored\t7\n"
    parsed = parse(data, format="tsv", publisher="P")
    assert parsed.records[0][1].claim_text == "The sky is green."
    assert parsed.records[0][1].external_id == "7"
    assert parsed.ignored_columns == ["Notes"]


def test_tsv_as_pandas_writes_it_quoted_with_a_nameless_index_column():
    # The CLEF 2020 CheckThat! verified claims: "\tvclaim\ttitle", fields quoted when they
    # hold quotes or line breaks.
    data = (
        "\tvclaim\ttitle\n"
        '0\t"A ""large-scale killing"" is taking place."\tIs a Killing Underway?\n'
        '1\t"Account describes a\nhospital."\tA Lady\n'
    )
    parsed = parse(data.encode("utf-8"), format="tsv", publisher="Snopes")
    assert parsed.errors == []
    (r0, a), (r1, b) = parsed.records
    assert (r0, r1) == (2, 3)
    assert a.external_id == "0" and a.claim_text == 'A "large-scale killing" is taking place.'
    assert b.claim_text == "Account describes a hospital."  # the line break is a space


def test_bad_tsv_rows_get_their_line_number_and_the_others_are_kept():
    data = (
        "id\tclaim\turl\tdate\n"
        "1\tGood claim.\t\t2020-01-01\n"
        "2\t\t\t\n"  # no claim
        "\tNo id and no url.\t\t\n"
        "4\tBad date.\t\t31/01/2020\n"
        "5\tBad url.\tftp://x\t\n"
        "6\tToo\tmany\tfields\there\n"
        "\n"  # a blank line is skipped
        "1\tThe same id again.\t\t\n"
        "8\tAlso good.\t\t2020-02-30\n"  # no 30 February
        "9\tLast good.\n"  # trailing empty fields may be left out
    )
    parsed = parse(data, format="tsv", publisher="P")
    assert [(row, r.external_id) for row, r in parsed.records] == [(2, "1"), (11, "9")]
    errors = {e.row: e.message for e in parsed.errors}
    assert {e.row: e.ref for e in parsed.errors}[3] == "2"  # named by its id, where it has one
    assert "claim is empty" in errors[3]
    assert "neither an id nor a url" in errors[4]
    assert "'31/01/2020' is not a date" in errors[5]
    assert "not a web address" in errors[6]
    assert "5 fields but the header names 4" in errors[7]
    assert "same fact-check as row 2" in errors[9]
    assert "does not exist" in errors[10]


def test_tsv_without_a_publisher_anywhere_is_refused_row_by_row():
    parsed = parse("id\tclaim\n1\tA claim.\n", format="tsv")
    assert parsed.records == [] and "no publisher" in parsed.errors[0].message


def test_tsv_fields_too_long_or_with_nul_are_row_errors():
    data = f"id\tclaim\ttitle\n1\tOK\t{'x' * 1001}\n2\tbad\x00claim\t\n3\tfine\t\n"
    parsed = parse(data, format="tsv", publisher="P")
    assert [r.external_id for _, r in parsed.records] == ["3"]
    assert "too long" in parsed.errors[0].message and "NUL" in parsed.errors[1].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "empty"),
        ("title\turl\nx\thttps://a.org/\n", "no claim column"),
        ("claim\ttitle\nx\ty\n", "neither an id nor a url column"),
        ("id\tclaim\tclaim\n", "twice"),
        (b"id\tclaim\n1\t\xe9t\xe9\n", "not UTF-8"),
    ],
)
def test_an_unreadable_tsv_is_one_clear_error(data, message):
    with pytest.raises(FormatError, match=message):
        parse(data, format="tsv", publisher="P")


def test_unknown_format_is_refused():
    with pytest.raises(FormatError, match="Unknown format"):
        parse("x", format="csv")


def test_format_is_guessed_from_the_name_then_the_content():
    assert ff.detect_format(b"[{}]") == "claimreview"
    assert ff.detect_format('\ufeff {"a": 1}') == "claimreview"
    assert ff.detect_format("id\tclaim\n") == "tsv"
    assert ff.detect_format("{", "feed.tsv") == "tsv"
    assert ff.detect_format("id", "feed.jsonld") == "claimreview"
