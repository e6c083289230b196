"""Scripts stored in the newsroom's data never run: every page that shows them, in Chromium.

Article text, claims and their speakers, figures, annotations' comments, sources (title,
publisher, excerpt), comments, reviewers' justifications and the verdict's summary and
justification all carry markup that would run if it reached the page as HTML: a script
element, an image whose error handler runs, an SVG whose load handler runs, the end of a
script element (which the public page's JSON-LD must not let out) and template syntax. Each
page must show them as text, hold no element they would create, run none of them, open no
dialog and make the Content-Security-Policy refuse nothing (a refusal would mean the escaping
failed and only the CSP stood between the page and the script).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from annotations import services as notes
from claims import services
from claims.models import Article, Claim

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
SVG = '"><svg onload="window.__pwned=1">'
END = "</script><script>window.__pwned=1</script>"
TEMPLATE = "{{ 7*7 }} {% debug %}"
PAYLOADS = (SCRIPT, IMG, SVG, END, TEMPLATE)

TEXT = (
    f"Border clashes {SCRIPT}\n\n"
    f"At least 12 soldiers were killed {IMG} on Sunday, the ministry said.\n\n"
    f"About 30 soldiers were killed {SVG} near the border, officials said {TEMPLATE}.\n\n"
    f"The minister said: {END} we will respond.\n"
)

# Installed before any page script: records what would betray a payload that got through.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.sample || '')));
"""

# Elements only a payload would make (the pages' own markup has no event-handler attribute:
# the CSP forbids inline script), and scripts other than JSON-LD that mention the payload.
INJECTED = """() => {
  const found = [];
  document.querySelectorAll('*').forEach(el => {
    if ([...el.attributes].some(a => a.name.startsWith('on')) || el.matches('img[src="x"]'))
      found.push(el.outerHTML.slice(0, 80));
  });
  document.querySelectorAll('script:not([type="application/ld+json"])').forEach(el => {
    if (el.textContent.includes('__pwned')) found.push(el.outerHTML.slice(0, 80));
  });
  return found;
}"""


def span(article: Article, needle: str) -> tuple[int, int]:
    start = article.text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def poisoned(reviewer, editor, second_editor) -> dict[str, Any]:
    """The workflow, through the services, with payloads in every field that takes text."""
    article = services.article_import(
        actor=reviewer, text=TEXT, outlet=f"Outlet {IMG}", extract=False
    ).article
    first_sentence = f"At least 12 soldiers were killed {IMG} on Sunday, the ministry said."
    second_sentence = f"About 30 soldiers were killed {SVG} near the border, officials said"
    quote = f"The minister said: {END} we will respond."
    claim = services.claim_add(
        actor=reviewer,
        article=article,
        types=["casualty"],
        speaker=f"the ministry {SVG}",
        figures=[{"value": 12, "hedge": "at_least", "counted": "soldiers"}],
        start=span(article, first_sentence)[0],
        end=span(article, first_sentence)[1],
    )
    services.claim_add(
        actor=reviewer,
        article=article,
        types=["casualty"],
        speaker=f"officials {SCRIPT}",
        figures=[{"value": 30, "hedge": "about", "counted": "soldiers"}],
        start=span(article, second_sentence)[0],
        end=span(article, second_sentence)[1],
    )
    public = services.claim_add(
        actor=reviewer,
        article=article,
        types=["quote"],
        speaker=f"the minister {END}",
        start=span(article, quote)[0],
        end=span(article, quote)[1],
    )
    for c in (claim, public):
        services.claim_assign(actor=editor, claim=c, reviewer=reviewer)
        notes.annotation_create(
            actor=reviewer,
            claim=c,
            start=c.start,
            end=c.end,
            label="figure",
            comment=f"Annotation {SCRIPT} {TEMPLATE}",
        )
        notes.comment_add(actor=reviewer, claim=c, body=f"Comment {IMG} {END}")
        notes.source_attach(
            actor=reviewer,
            claim=c,
            url=f"https://example.org/report-{c.pk}",
            title=f"Report {SCRIPT}",
            publisher=f"Agency {SVG}",
            excerpt=f"Excerpt {IMG}",
        )
        notes.rating_submit(
            actor=reviewer, claim=c, label="false", justification=f"Rated {SVG} {TEMPLATE}"
        )
        services.claim_propose(
            actor=editor,
            claim=c,
            label="false",
            summary=f"Summary {SCRIPT} {END}",
            justification=f"Justification {IMG} {TEMPLATE}",
        )
    services.claim_approve(actor=second_editor, claim=public)
    services.claim_publish(actor=second_editor, claim=public)
    return {"article": article, "claim": claim, "public": Claim.objects.get(pk=public.pk)}


def check(page: Any, url: str, dialogs: list[str], *, shows: tuple[str, ...]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined", url
    assert page.evaluate("window.__csp") == [], (url, page.evaluate("window.__csp"))
    assert page.evaluate(INJECTED) == [], (url, page.evaluate(INJECTED))
    assert not dialogs, (url, dialogs)
    text = page.evaluate("document.body.innerText")
    for payload in shows:
        assert payload in text, (url, payload)


def test_pages_show_stored_markup_as_text_and_run_none_of_it(
    poisoned, sign_in, live_server, editor, reviewer
):
    base = live_server.url
    article, claim, public = poisoned["article"], poisoned["claim"], poisoned["public"]
    dialogs: list[str] = []

    # --- the workbench, as an editor ---
    page = sign_in(editor)
    page.add_init_script(WATCH)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    check(page, f"{base}/", dialogs, shows=(SCRIPT,))  # the article's title
    check(page, f"{base}/articles/", dialogs, shows=(SCRIPT,))
    check(page, f"{base}/articles/{article.pk}/", dialogs, shows=(SCRIPT, IMG, SVG, END))
    # The claim in the reader's panel and in the editor's view: speaker, annotation, comment,
    # source, rating and verdict.
    for url in (f"{base}/claims/{claim.pk}/", f"{base}/claims/{claim.pk}/review/"):
        check(page, url, dialogs, shows=(IMG, SVG, SCRIPT, END, TEMPLATE))
    check(page, f"{base}/claims/{public.pk}/review/", dialogs, shows=(END, SCRIPT))
    check(page, f"{base}/search/?q=soldiers", dialogs, shows=(IMG,))
    check(page, f"{base}/search/?q=%3Cscript%3E", dialogs, shows=())
    check(page, f"{base}/figures/", dialogs, shows=(SVG,))
    check(page, f"{base}/articles/{article.pk}/figures/", dialogs, shows=(SVG, SCRIPT))
    assert page.js_errors == []  # type: ignore[attr-defined]

    # --- the public pages, signed out ---
    reader = sign_in(None)
    reader.add_init_script(WATCH)
    reader.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    check(reader, f"{base}/ratings/", dialogs, shows=(END,))
    check(reader, f"{base}/ratings/{public.pk}/", dialogs, shows=(END, SCRIPT))
    # The claim's "</script>" stayed inside the JSON-LD: one document, which parses, with
    # the claim exactly as stored.
    blocks = reader.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    document = json.loads(blocks.text_content() or "")
    assert document["claimReviewed"] == public.text
    assert END in document["claimReviewed"]
    assert reader.js_errors == []  # type: ignore[attr-defined]

    # --- addresses that would run script are refused before they are stored ---
    for url in (
        "javascript:window.__pwned=1",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ):
        with pytest.raises(ValidationError):
            notes.source_attach(actor=reviewer, claim=claim, url=url)
        with pytest.raises(ValidationError):
            notes.source_attach(
                actor=reviewer, claim=claim, url="https://example.org/ok", archive_url=url
            )
    with pytest.raises(ValidationError):
        services.article_import(
            actor=reviewer, text="About 40 died.", url="javascript:window.__pwned=1"
        )
