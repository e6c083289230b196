from __future__ import annotations

import datetime
import json
import unicodedata

import pytest

from claims.ingest import IngestError, from_html
from claims.ingest._html import MAX_ELEMENTS_FOR_TRAFILATURA, parse_date

LONG = (
    "Officials said at least 12 soldiers were killed in the clashes, and the ministry "
    "reported that several villages had been shelled overnight."
)


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def article(*paragraphs: str, head: str = "") -> str:
    return page("<article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>", head)


# --- the sample article ----------------------------------------------------------------------


def test_sample_article_paragraphs_come_out_in_order_and_whole(armenia_html, armenia_paragraphs):
    document = from_html(armenia_html, url="https://www.wsws.org/en/articles/2020/07/18/x.html")

    assert document.text.split("\n\n") == armenia_paragraphs
    assert document.text == "\n\n".join(armenia_paragraphs)


def test_sample_article_metadata_is_read_from_json_ld_and_og(armenia_html):
    document = from_html(armenia_html)

    assert document.title == "Armenia-Azerbaijan border clashes threaten broader war in Caucasus"
    assert document.byline == "Ulas Atesci"
    # The page also says dateModified 2020-07-20: the publication date is what counts.
    assert document.published == datetime.date(2020, 7, 18)
    assert document.outlet == "World Socialist Web Site"
    assert document.url == "https://www.wsws.org/en/articles/2020/07/18/arme-j18.html"
    assert document.source_format == "html"


def test_sample_article_boilerplate_is_gone(armenia_html):
    text = from_html(armenia_html).text

    for boilerplate in (
        "We use cookies",  # cookie banner
        "Accept all cookies",
        "Workers Struggles",  # navigation
        "Search the WSWS",
        "Share on Twitter",
        "Read more",  # related box between two paragraphs
        "China-India border clash threatens war",
        "Sign up for the WSWS newsletter",
        "Also read",
        "Copyright",  # footer
        "To contact the WSWS",  # contact box inside <article>
        "wsws.org/contact",
        "dataLayer",  # scripts
        "Injected paragraph",
        "font-family",  # styles
        "Armenian soldiers near the border",  # figure caption
    ):
        assert boilerplate not in text, boilerplate
    # The headline is metadata, not body text.
    assert not text.startswith("Armenia-Azerbaijan border clashes")


def test_paragraph_split_by_an_aside_keeps_both_halves_in_order(armenia_html):
    text = from_html(armenia_html).text

    first = "capable of launching a precision strike on the"
    second = "Metsamor nuclear power plant, and that would be a huge tragedy for Armenia.”"
    assert f"{first}\n\n{second}" in text


# --- text shape ------------------------------------------------------------------------------


def test_blocks_become_blank_line_separated_paragraphs():
    html = page(
        "<article><h2>What happened</h2>"
        f"<p>{LONG}</p>"
        "<ul><li>Twelve soldiers killed</li><li>One civilian killed</li></ul>"
        "<blockquote><p>We strongly condemn the threats.</p></blockquote>"
        "<table><tr><th>Side</th><th>Killed</th></tr><tr><td>Azerbaijan</td><td>12</td></tr>"
        "<tr><td>Armenia</td><td>4</td></tr></table>"
        f"<p>{LONG} Again.</p></article>"
    )

    assert from_html(html).text.split("\n\n") == [
        "What happened",
        LONG,
        "Twelve soldiers killed",
        "One civilian killed",
        "We strongly condemn the threats.",
        "Side\tKilled\nAzerbaijan\t12\nArmenia\t4",
        f"{LONG} Again.",
    ]


def test_line_break_inside_a_paragraph_stays_a_single_newline():
    html = article(f"{LONG}<br>Second line of the same paragraph.", LONG)

    assert from_html(html).text == f"{LONG}\nSecond line of the same paragraph.\n\n{LONG}"


def test_time_element_inside_a_paragraph_keeps_its_words_and_the_paragraph_break():
    # trafilatura alone glues the two paragraphs together when a <time> sits inside one.
    html = article(
        'The attack on <time datetime="2020-07-14">Tuesday</time> killed 12 soldiers, '
        "officials said in a statement.",
        LONG,
    )

    assert from_html(html).text == (
        f"The attack on Tuesday killed 12 soldiers, officials said in a statement.\n\n{LONG}"
    )


def test_time_element_that_is_a_dateline_on_its_own_is_not_text():
    html = page(
        '<article><p class="date"><time datetime="2020-07-18">18 July 2020</time></p>'
        f"<p>{LONG}</p></article>"
    )

    document = from_html(html)

    assert document.text == LONG
    assert document.published == datetime.date(2020, 7, 18)


def test_whitespace_is_normalised_nfc_and_invisible_characters_dropped():
    html = article(
        "Caf\u0065\u0301 owner  said\u00a0the   ministry\u2019s\tfigure was "
        "in\u00adcorrect\u200b.\n   Nothing more. ",
        LONG,
    )

    text = from_html(html).text

    assert text.split("\n\n")[0] == (
        "Caf\u00e9 owner said the ministry\u2019s figure was incorrect. Nothing more."
    )
    assert unicodedata.is_normalized("NFC", text)
    assert all(line == line.strip() for line in text.split("\n"))


def test_word_processor_html_with_a_span_per_word_is_read_whole():
    words = [f"word{i}" for i in range(3000)]
    html = article(" ".join(f"<span>{w}</span>" for w in words), LONG)

    assert from_html(html).text == " ".join(words) + "\n\n" + LONG


def test_inline_quotation_marks_from_q_elements_are_kept():
    html = article(f"He called it <q>meaningless</q> on Friday. {LONG}", LONG)

    assert from_html(html).text.startswith("He called it “meaningless” on Friday.")


# --- hostile and empty HTML ------------------------------------------------------------------


def test_scripts_styles_comments_and_inert_markup_never_become_text():
    html = page(
        "<article>"
        f"<p>{LONG} <script>alert('in paragraph')</script>End.</p>"
        "<!-- <p>commented-out paragraph</p> -->"
        "<style>p { color: red }</style>"
        "<template><p>template paragraph</p></template>"
        "<noscript><p>noscript paragraph</p></noscript>"
        "<iframe srcdoc='<p>iframe</p>'>iframe fallback text</iframe>"
        "<svg><text>svg text</text><script>alert('svg')</script></svg>"
        f'<p onclick="alert(\'attr\')">{LONG} <a href="javascript:alert(1)">link text</a></p>'
        "</article>",
        head="<script>alert('head')</script><style>body{}</style>",
    )

    text = from_html(html).text

    assert text == f"{LONG} End.\n\n{LONG} link text"


def test_markup_written_as_text_stays_literal_text():
    html = article(f"The page showed &lt;script&gt;alert(1)&lt;/script&gt; &amp; more. {LONG}")

    assert "<script>alert(1)</script> & more." in from_html(html).text


def test_control_characters_and_nul_bytes_are_removed():
    html = article(f"Before\x00\x01\x08 after. {LONG}", LONG)

    assert from_html(html).text.startswith("Before after.")


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><head><title>Only a title</title></head><body></body></html>",
        page("<script>document.write('x')</script><style>p{}</style>"),
        page("<nav><a href='/'>Home</a></nav><footer>Copyright 2020</footer>"),
    ],
)
def test_page_without_article_text_is_an_error(html):
    with pytest.raises(IngestError) as caught:
        from_html(html)

    assert caught.value.message == "No article text found on that page"
    assert caught.value.code == "no_text"


def test_fragment_and_plain_text_are_accepted():
    assert from_html("<p>Short news item.</p>").text == "Short news item."
    assert from_html("Just text, no tags.").text == "Just text, no tags."


def test_tiny_page_gives_its_content_without_navigation_or_footer():
    html = page(
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        "<main><h1>Minister resigns</h1><p>The minister resigned on Friday.</p></main>"
        "<footer>Copyright 2020 Example News</footer>"
    )

    document = from_html(html)

    assert document.text == "The minister resigned on Friday."
    assert document.title == "Minister resigns"


def test_five_megabyte_page_is_extracted_whole():
    paragraphs = [f"Paragraph {i}: {LONG}" for i in range(35_000)]
    html = article(*paragraphs)
    assert len(html) > 5_000_000

    assert from_html(html).text == "\n\n".join(paragraphs)


def test_page_too_big_for_trafilatura_uses_the_block_extractor_and_skips_navigation():
    items = [f"Entry {i} of the casualty list" for i in range(MAX_ELEMENTS_FOR_TRAFILATURA)]
    html = page(
        "<nav><ul><li><a href='/'>Home</a></li></ul></nav>"
        "<article><h1>Casualty list</h1><p>The ministry published the list below.</p><ul>"
        + "".join(f"<li>{item}</li>" for item in items)
        + "</ul></article><footer><p>Copyright 2020</p></footer>"
    )

    document = from_html(html)

    assert document.title == "Casualty list"
    assert document.text == "\n\n".join(["The ministry published the list below.", *items])


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Shapes that make trafilatura, or lxml's strip_tags under it, quadratic.
        (page("<p>" + "<span>w</span> " * 330_000 + "</p>"), " ".join(["w"] * 330_000)),
        (
            page("<article>" + "<section><p>x</p></section>" * 190_000 + "</article>"),
            "\n\n".join(["x"] * 190_000),
        ),
        (
            page("<article>" + "<script>x</script>word " * 200_000 + "</article>"),
            " ".join(["word"] * 200_000),
        ),
    ],
    ids=["span-per-word", "many-sections", "script-between-words"],
)
def test_five_megabyte_pathological_pages_are_extracted(html, expected):
    assert len(html) > 4_000_000

    assert from_html(html).text == expected


# --- metadata --------------------------------------------------------------------------------


def test_meta_tags_alone_give_title_author_date_and_outlet():
    head = (
        "<title>Ceasefire holds - Example Times</title>"
        '<meta property="og:title" content="Ceasefire holds along the border">'
        '<meta property="og:site_name" content="Example Times">'
        '<meta name="author" content="By Jane Doe">'
        '<meta property="article:published_time" content="2020-07-18T23:30:00+04:00">'
        '<meta property="og:url" content="https://example.com/2020/07/18/ceasefire">'
    )

    document = from_html(article(LONG, head=head))

    assert document.title == "Ceasefire holds along the border"
    assert document.byline == "Jane Doe"
    # As written by the publisher (their local day), not converted to UTC.
    assert document.published == datetime.date(2020, 7, 18)
    assert document.outlet == "Example Times"
    assert document.url == "https://example.com/2020/07/18/ceasefire"


def test_title_tag_is_used_without_the_site_name():
    head = (
        "<title>Ceasefire holds | Example Times</title>"
        '<meta property="og:site_name" content="Example Times">'
    )

    assert from_html(article(LONG, head=head)).title == "Ceasefire holds"


def test_json_ld_graph_with_id_references_gives_author_and_publisher():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://ex.com/#site", "name": "Example Site"},
            {"@type": "Organization", "@id": "https://ex.com/#org", "name": "Example Media Ltd"},
            {"@type": "Person", "@id": "https://ex.com/#anna", "name": "Anna Petrosyan"},
            {"@type": "Person", "@id": "https://ex.com/#ali", "name": "Ali Mammadov"},
            {
                "@type": ["NewsArticle"],
                "headline": "Talks resume in Moscow",
                "datePublished": "2020-10-09",
                "author": [{"@id": "https://ex.com/#anna"}, {"@id": "https://ex.com/#ali"}],
                "publisher": {"@id": "https://ex.com/#org"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'

    document = from_html(article(LONG, head=head))

    assert document.title == "Talks resume in Moscow"
    assert document.byline == "Anna Petrosyan, Ali Mammadov"
    assert document.published == datetime.date(2020, 10, 9)
    assert document.outlet == "Example Media Ltd"


def test_json_ld_wins_over_meta_tags_and_broken_json_ld_is_skipped():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json"><!--\n{"@type": "NewsArticle", '
        '"headline": "From JSON-LD", "datePublished": "2020-07-16T08:00:00Z", '
        '"author": {"@type": "Person", "name": "Ulas Atesci"}}\n--></script>'
        '<meta property="og:title" content="From og">'
        '<meta property="article:published_time" content="2020-07-17">'
        '<meta name="author" content="Someone Else">'
    )

    document = from_html(article(LONG, head=head))

    assert (document.title, document.byline) == ("From JSON-LD", "Ulas Atesci")
    assert document.published == datetime.date(2020, 7, 16)


def test_scholarly_citation_meta_tags_are_read():
    head = (
        '<meta name="citation_title" content="Casualty reporting in border conflicts">'
        '<meta name="citation_author" content="Smith, John">'
        '<meta name="citation_author" content="Doe, Jane">'
        '<meta name="citation_publication_date" content="2019/03/01">'
        '<meta name="citation_journal_title" content="Journal of Conflict Data">'
    )

    document = from_html(article(LONG, head=head))

    assert document.title == "Casualty reporting in border conflicts"
    assert document.byline == "Smith, John; Doe, Jane"
    assert document.published == datetime.date(2019, 3, 1)
    assert document.outlet == "Journal of Conflict Data"


def test_time_element_in_the_article_gives_the_date_when_there_is_no_metadata():
    html = page(
        '<article><header><time datetime="2020-07-18T10:00">18 July</time></header>'
        f"<p>{LONG}</p></article>"
    )

    assert from_html(html).published == datetime.date(2020, 7, 18)


def test_dates_merely_printed_in_the_text_are_not_taken_as_the_publication_date():
    html = article(f"The war ended on 12 May 1994. {LONG}", "The ceasefire of 1994-05-12 held.")

    assert from_html(html).published is None


def test_author_profile_urls_and_future_dates_are_ignored():
    head = (
        '<meta property="article:author" content="https://www.facebook.com/someone">'
        '<meta property="article:published_time" content="2999-01-01T00:00:00Z">'
    )

    document = from_html(article(LONG, head=head))

    assert document.byline is None
    assert document.published is None


def test_relative_canonical_url_is_resolved_against_the_page_url_and_unsafe_ones_ignored():
    relative = '<link rel="canonical" href="/news/story-1">'
    unsafe = '<link rel="canonical" href="javascript:alert(1)">'
    base = "https://example.com/news/story-1?utm_source=x"

    assert from_html(article(LONG, head=relative), url=base).url == (
        "https://example.com/news/story-1"
    )
    assert from_html(article(LONG, head=unsafe), url=base).url == base
    assert from_html(article(LONG, head=unsafe)).url is None


def test_metadata_text_is_kept_as_text_not_markup():
    head = '<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt; Title">'

    assert from_html(article(LONG, head=head)).title == "<script>alert(1)</script> Title"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-07-18T02:00:00-04:00", datetime.date(2020, 7, 18)),
        ("2020/07/18", datetime.date(2020, 7, 18)),
        ("20200718", datetime.date(2020, 7, 18)),
        ("Sat, 18 Jul 2020 06:00:00 GMT", datetime.date(2020, 7, 18)),
        ("Saturday, July 18th, 2020", datetime.date(2020, 7, 18)),
        ("18 July 2020", datetime.date(2020, 7, 18)),
        ("2020-02-30", None),
        ("next Tuesday", None),
        ("", None),
    ],
)
def test_parse_date_reads_the_formats_publishers_use(value, expected):
    assert parse_date(value) == expected
