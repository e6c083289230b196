"""Web pages about articles and claims that need nothing from ``annotations``: importing,
extraction progress, search, contested figures and the public ratings.

Views are thin: they read through ``claims.selectors``, change things only through
``claims.services``, and map the services' errors to what a person sees (form errors, a
refusal with its reason, a 404 for what they may not see).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from claims import permissions, selectors, services
from claims.claimreview import claimreview
from claims.errors import Conflict
from claims.forms import (
    ImportTextForm,
    ImportUploadForm,
    ImportUrlForm,
    PublicFilterForm,
    SearchForm,
    apply_errors,
)
from claims.models import Article, Claim, ClaimType, Organisation, RatingLabel, Verdict
from claims.reading import primary_type

View = Callable[..., HttpResponse]


# --- plumbing shared by the workbench's views ----------------------------------------------------


def same_site_path(request: HttpRequest, path: str | None) -> str | None:
    """``path`` if it is a path of this site to come back to after signing in, else None.

    ``HX-Current-URL`` is written by the client: django-htmx keeps it only when its scheme
    and host are this request's, but what is left can still read as another site
    (``//evil.example/``, ``/\\evil.example``)."""
    if not path or not path.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return path


def workbench_view(view: View) -> View:
    """Signed-in reviewers and editors only: anonymous people go to the sign-in page, an
    account without a role is told why it is refused."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                # A session that expired mid-work: send the whole page to sign in, rather
                # than swapping the sign-in form into the claim panel.
                current = request.htmx.current_url_abs_path  # type: ignore[attr-defined]
                here = same_site_path(request, current)
                login = redirect_to_login(here)["Location"] if here else None
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login or resolve_url(settings.LOGIN_URL)
                return response
            return redirect_to_login(request.get_full_path())
        decision = permissions.can_view_workbench(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        return view(request, *args, **kwargs)

    return wrapper


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def error_status(exc: Exception) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, Conflict):
        return 409
    return 400


def refusal_message(exc: Exception) -> str:
    if isinstance(exc, Conflict):
        return exc.message
    if isinstance(exc, PermissionDenied):
        return str(exc) or "You may not do that."
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def ld_json(document: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json">, with <, > and & escaped so that no
    text from an article can close the script element."""
    text = json.dumps(document, ensure_ascii=False, indent=2).translate(_json_script_escapes)
    return mark_safe(text)  # escaped just above


# --- importing --------------------------------------------------------------------------------


@workbench_view
@require_http_methods(["GET", "POST"])
def article_import(request: HttpRequest) -> HttpResponse:
    text_form = ImportTextForm(prefix="paste")
    upload_form = ImportUploadForm(prefix="upload")
    url_form = ImportUrlForm(prefix="web")
    chosen = request.POST.get("source") or request.GET.get("source") or "paste"
    status = 200
    if request.method == "POST":
        decision = permissions.can_import_article(request.user)
        if not decision:
            raise PermissionDenied(decision.reason)
        try:
            if chosen == "upload":
                upload_form = ImportUploadForm(request.POST, request.FILES, prefix="upload")
                form: Any = upload_form
                if form.is_valid():
                    upload = form.cleaned_data["file"]
                    result = services.article_import_upload(
                        actor=request.user,
                        data=upload.read(),
                        filename=upload.name,
                    )
                    return _imported(request, result)
            elif chosen == "web":
                url_form = ImportUrlForm(request.POST, prefix="web")
                form = url_form
                if form.is_valid():
                    result = services.article_import_url(
                        actor=request.user, url=form.cleaned_data["url"]
                    )
                    return _imported(request, result)
            else:
                chosen = "paste"
                text_form = ImportTextForm(request.POST, prefix="paste")
                form = text_form
                if form.is_valid():
                    data = form.cleaned_data
                    result = services.article_import(
                        actor=request.user,
                        text=data["text"],
                        url=data.get("url") or None,
                        source_format=Article.Format.TEXT,
                        **_meta(data),
                    )
                    return _imported(request, result)
        except ValidationError as exc:
            apply_errors(form, exc)
        status = 400
    return render(
        request,
        "claims/import.html",
        {
            "text_form": text_form,
            "upload_form": upload_form,
            "url_form": url_form,
            "chosen": chosen,
            "max_mb": round(settings.ARTICLE_MAX_BYTES / (1024 * 1024)),
        },
        status=status,
    )


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data.get("title") or None,
        "byline": data.get("byline") or None,
        "outlet": data.get("outlet") or None,
        "published": data.get("published") or None,
    }


def _imported(request: HttpRequest, result: services.ImportResult) -> HttpResponse:
    article = result.article
    if result.created:
        messages.success(request, f"Imported “{article.title}”.")
    else:
        messages.info(
            request,
            f"This text was already imported on {article.imported_at:%d %b %Y}: "
            "here it is, with the work done on it.",
        )
    return redirect(article.get_absolute_url())


@workbench_view
@require_GET
def article_status(request: HttpRequest, article_id: int) -> HttpResponse:
    """The extraction's progress, polled by the reader while it runs. When it is over the
    page reloads itself to show the claims."""
    article = selectors.article_for_user(request.user, article_id)
    if article.extraction_status == Article.Extraction.DONE and is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    count = article.claims.active().count()
    return render(
        request,
        "claims/article_status.html",
        {"article": article, "claim_count": count},
    )


@workbench_view
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.articles_with_progress(
        Article.objects.select_related("imported_by").order_by("-imported_at", "-pk")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    rows = [(a, progress(a)) for a in page.object_list]
    return render(request, "claims/article_list.html", {"page": page, "rows": rows})


def progress(article: Article) -> list[dict[str, Any]]:
    """Stacked-bar segments from ``articles_with_progress``' counts, in workflow order."""
    return bar_segments(
        [(status, label, count) for status, label, count in selectors.status_counts(article)]
    )


def bar_segments(counts: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """(status, label, count) in workflow order → segments of a 100-wide stacked bar."""
    total = sum(count for _, _, count in counts)
    segments, x = [], 0.0
    for status, label, count in counts:
        if not count:
            continue
        width = 100 * count / total
        segments.append({"status": status, "label": label, "count": count, "x": x, "pct": width})
        x += width
    return segments


# --- search ---------------------------------------------------------------------------------

SEARCH_LIMIT = 50
SEARCH_MATCHES = 5


@workbench_view
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    claims: list[Claim] = []
    speakers: list[dict[str, Any]] = []
    articles: list[Article] = []
    query = ""
    total = 0
    matches: list[selectors.Match] = []
    if form.is_valid():
        data = form.cleaned_data
        query = (data.get("q") or "").strip()
        filters = selectors.ClaimFilters(
            status=data.get("status") or None, type=data.get("type") or None, q=query or None
        )
        if query or filters.status or filters.type:
            qs = selectors.filter_claims(Claim.objects.select_related("article"), filters)
            if not query:
                qs = qs.order_by("-updated_at", "pk")
            claims = list(qs[: SEARCH_LIMIT + 1])
            total = len(claims)
            claims = claims[:SEARCH_LIMIT]
        if query:
            speakers = selectors.search_speakers(query)[:20]
            articles = list(selectors.search_articles(Article.objects.all(), query)[:20])
            # The words typed, as a claim: fact-checks and our verdicts that say the same.
            matches = selectors.match_text(query, limit=SEARCH_MATCHES)
    context = {
        "matches": matches,
        "form": form,
        "query": query,
        "claims": claims,
        "more": total > SEARCH_LIMIT,
        "speakers": speakers,
        "articles": articles,
        "searched": form.is_bound,
    }
    if is_htmx(request) and request.htmx.target == "search-results":  # type: ignore[attr-defined]
        return render(request, "claims/search.html#results", context)
    return render(request, "claims/search.html", context)


# --- contested figures --------------------------------------------------------------------------


@workbench_view
@require_GET
def contested(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    article = None
    qs: QuerySet[Claim] = Claim.objects.all()
    if article_id is not None:
        article = selectors.article_for_user(request.user, article_id)
        qs = qs.filter(article=article)
    groups = selectors.contested_between_claims(qs)
    return render(request, "claims/contested.html", {"article": article, "groups": groups})


# --- the public side: no sign-in ----------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    labels = list(RatingLabel.objects.filter(scale__is_default=True).order_by("position"))
    form = PublicFilterForm(request.GET or None, labels=labels)
    qs = selectors.published_verdicts()
    chosen = None
    if form.is_valid() and form.cleaned_data.get("rating"):
        chosen = form.cleaned_data["rating"]
        qs = qs.filter(label__slug=chosen)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "public/list.html",
        {
            "form": form,
            "page": page,
            "labels": labels,
            "chosen": chosen,
            "organisation": Organisation.current(),
        },
    )


@require_GET
def public_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.public_claim(claim_id)
    editions = list(claim.verdicts.all())  # newest first, published/superseded/retracted only
    rule = selectors.public_editions((v.edition, v.state) for v in editions)
    by_number = {v.edition: v for v in editions}
    current = by_number.get(rule.current) if rule.current else None
    retracted = by_number.get(rule.retracted) if rule.retracted else None
    earlier_retraction = by_number.get(rule.earlier_retraction) if rule.earlier_retraction else None
    if current is None and retracted is None:
        raise Http404("No such published rating.")
    organisation = Organisation.current()
    page_url = request.build_absolute_uri(reverse("public-rating", args=[claim.pk]))
    document = None
    uses: dict[int, Any] = {}
    if current is not None:
        current.claim = claim
        document = ld_json(claimreview(current, page_url=page_url, organisation=organisation))
        # Stance and excerpt live on the claim's use of each source; one query.
        uses = {
            u.source_id: u
            for u in claim.claim_sources.filter(source__in=list(current.sources.all()))
        }
    context_before, context_after = _context(claim.article.text, claim.start, claim.end)
    return render(
        request,
        "public/detail.html",
        {
            "claim": claim,
            "article": claim.article,
            "verdict": current,
            "retracted": retracted,
            "earlier_retraction": earlier_retraction,
            "earlier": [
                (v, next((n.correction_note for n in editions if n.corrects_id == v.pk), ""))
                for v in editions
                if v.state == Verdict.State.SUPERSEDED and v.edition in rule.shown
            ],
            "sources": [(s, uses.get(s.pk)) for s in (current.sources.all() if current else [])],
            "jsonld": document,
            "organisation": organisation,
            "page_url": page_url,
            "before": context_before,
            "after": context_after,
            "type": primary_type(claim.types),
            "type_labels": [ClaimType(t).label for t in claim.types if t in ClaimType.values],
        },
    )


def _context(text: str, start: int, end: int, reach: int = 280) -> tuple[str, str]:
    """The claim's surroundings in its paragraph, cut at word boundaries."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    lo = max(para_start, start - reach)
    hi = min(para_end, end + reach)
    before = text[lo:start]
    after = text[end:hi]
    if lo > para_start:
        before = "…" + before[before.find(" ") + 1 :] if " " in before else "…" + before
    if hi < para_end:
        after = after[: after.rfind(" ")] + "…" if " " in after else after + "…"
    return before, after


# --- other organisations' fact-checks ----------------------------------------------------------

FACTCHECK_UPLOAD_MAX_BYTES = 64 * 1024 * 1024
ERRORS_SHOWN = 200


def run_factcheck_import(request: HttpRequest, form: Any) -> Any:
    """Import the file a ``FactCheckImportForm`` carries, as the signed-in person; the report,
    or ``None`` with the reason on the form. Shared by the workbench's page and the admin's."""
    from claims import factchecks

    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    if upload.size > FACTCHECK_UPLOAD_MAX_BYTES:
        form.add_error(
            "file",
            f"The file is {upload.size:,} bytes; the limit here is "
            f"{FACTCHECK_UPLOAD_MAX_BYTES:,}. Import bigger files with "
            "manage.py import_factchecks.",
        )
        return None
    try:
        return factchecks.factchecks_import(
            actor=request.user,
            data=upload.read(),
            format=form.cleaned_data.get("format") or None,
            publisher=form.cleaned_data.get("publisher") or "",
            filename=upload.name or "",
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


@workbench_view
@require_http_methods(["GET", "POST"])
def factcheck_import(request: HttpRequest) -> HttpResponse:
    """Editors import other organisations' fact-checks; the page lists what was refused, row
    by row, under the summary."""
    from claims.forms import FactCheckImportForm

    decision = permissions.can_import_factchecks(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = FactCheckImportForm()
    report, status = None, 200
    if request.method == "POST":
        form = FactCheckImportForm(request.POST, request.FILES)
        report = run_factcheck_import(request, form)
        status = 400 if report is None else 200
    return render(
        request,
        "claims/factcheck_import.html",
        {
            "form": form,
            "report": report,
            "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
            "errors_more": max(0, len(report.errors) - ERRORS_SHOWN) if report else 0,
            "publishers": selectors.factcheck_publishers(),
        },
        status=status,
    )
