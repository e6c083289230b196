"""Every URL, every method, every persona: the status each one gets, from one table.

The URLs come from the URL configuration itself (the resolver, walked through every include),
so a URL added without an entry in ``EXPECTATIONS`` fails ``test_every_url_has_an_expectation``
with its name. Each URL is filled with real objects: a claim in the state where its action is
allowed, so that a refusal says "not you", not "not now". Requests that change things carry a
valid body and run in a savepoint that is rolled back, so every persona meets the same data
(the first editor's approval does not spare the second editor the four-eyes rule). Then the
same requests go again with an empty body: a person the valid body refused is still refused,
a person it let through is told what is missing (400), and no one gets a 5xx.

Personas: anonymous, alice (reviewer, assigned), bob (reviewer, not assigned), erin (editor,
wrote the verdicts), frank (editor, approved them), ada (admin: the Django admin, no
workbench role).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from annotations import services as notes
from annotations import views as web_actions
from claims import services
from claims.models import ClaimStatus, FactCheck
from tests.factories import ArticleFactory, ClaimFactory, UserFactory
from tests.workflow import advance
from workbench.tokens import create_token

PERSONAS = ("anonymous", "alice", "bob", "erin", "frank", "ada")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


# --- what each persona gets -----------------------------------------------------------------


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with ``to`` (the sign-in page), or is anything but a
    sign-in page when ``to`` is empty (the page after a successful action)."""

    to: str = ""

    def matches(self, response: Any) -> bool:
        if response.status_code != 302:
            return False
        location = response["Location"]
        if self.to:
            return location.startswith(self.to)
        return not location.startswith(("/accounts/login/", "/admin/login/"))

    def __str__(self) -> str:
        return f"302→{self.to or 'page'}"


Status = int | Redirect
Row = tuple[Status, Status, Status, Status, Status, Status]

LOGIN = Redirect("/accounts/login/")
ADMIN_LOGIN = Redirect("/admin/login/")
DONE = Redirect()  # a form that worked: off to the claim, the article, the list

#                 anonymous  alice  bob  erin  frank  ada
PAGE: Row = (LOGIN, 200, 200, 200, 200, 403)
EDITORS_PAGE: Row = (LOGIN, 403, 403, 200, 200, 403)
API_LIST: Row = (401, 200, 200, 200, 200, 403)
API_OBJECT: Row = (401, 200, 200, 200, 200, 404)
EDITORS_API: Row = (401, 403, 403, 200, 200, 403)
PUBLIC: Row = (200, 200, 200, 200, 200, 200)


def row(
    anonymous: Status, alice: Status, bob: Status, erin: Status, frank: Status, ada: Status
) -> Row:
    return (anonymous, alice, bob, erin, frank, ada)


def admin_only(ada: Status) -> Row:
    """An admin page: everyone but ada (staff) is sent to the admin's sign-in."""
    return row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ada)


def free_sentence(article: Any) -> dict[str, Any]:
    """A sentence below the threshold that no claim covers, as "more sentences" offers it."""
    from claims import selectors

    rest = selectors.more_sentences(article, list(article.claims.active()))
    first = rest[0] if rest else None
    return {
        "start": first.start if first else 0,
        "end": first.end if first else 1,
        "types": "event",
    }


def account_form(user: Any) -> dict[str, Any]:
    """The admin's change form for an account, as the admin group sees it (no role fields)."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "changed@example.org",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }


@dataclass(frozen=True)
class Call:
    """A method of a URL: what each persona gets with a valid ``body``."""

    expect: Row
    body: Callable[[Any], Any] | None = None
    kind: str = "json"  # json, form or multipart
    # With an empty body: those the valid body refused are refused alike; those it let through
    # get this status (None: the same as with the valid body, where every field is optional),
    # or, for a body whose absence means something else (assign: oneself), this row.
    empty: int | Row | None = 400


@dataclass(frozen=True)
class Entry:
    methods: dict[str, Row | Call]
    # The URL's arguments, from the objects made for the test.
    args: Callable[[Any], dict[str, Any]] = lambda w: {}
    path: str = ""  # for a pattern that cannot be reversed
    # Who tries the methods the URL does not take: someone who may use the page, so that what
    # they meet is the method's refusal.
    other_methods_as: str = "erin"


def on_claim(name: str, key: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda w: {key: getattr(w, name).pk}


# --- the table ------------------------------------------------------------------------------

# Claims: new (nobody assigned), review (alice assigned, with an annotation, comment, source
# and her rating), proposed (erin's verdict), approved (erin's verdict, frank approved),
# published, dismissed; merge_a and merge_b are neighbours in one article.

EXPECTATIONS: dict[str, Entry] = {
    # -- operations, sign-in, account ---------------------------------------------------------
    "healthz": Entry({"GET": PUBLIC}),
    "login": Entry(
        {
            # Signed in already: sent on, whatever the method.
            "GET": row(200, DONE, DONE, DONE, DONE, DONE),
            "POST": Call(row(200, DONE, DONE, DONE, DONE, DONE), lambda w: {}, "form", empty=None),
            # Django's FormView takes PUT as POST.
            "PUT": Call(row(200, DONE, DONE, DONE, DONE, DONE), lambda w: {}, "form", empty=None),
        },
        other_methods_as="anonymous",
    ),
    "logout": Entry(
        {"POST": Call(row(*[Redirect("/accounts/login/")] * 6), lambda w: {}, "form", empty=None)}
    ),
    "account-tokens": Entry(
        {
            "GET": row(LOGIN, 200, 200, 200, 200, 200),
            "POST": Call(row(LOGIN, 200, 200, 200, 200, 200), lambda w: {}, "form", empty=None),
        }
    ),
    "account-token-revoke": Entry(
        {
            # Anyone signed in may post; only the owner's token is revoked (tests/api).
            "POST": Call(
                row(LOGIN, DONE, DONE, DONE, DONE, DONE),
                lambda w: {"token_key": w.alice_token_prefix},
                "form",
                empty=None,
            ),
        }
    ),
    # -- the Django admin: its index and one changelist stand for the rest -----------------------
    "admin:index": Entry(
        {"GET": row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)}
    ),
    "admin:claims_claim_changelist": Entry(
        {"GET": row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)}
    ),
    # Accounts and groups: ada runs accounts, but roles are superusers' (a superuser is no
    # persona here; tests/security/test_admin_roles.py has them, and the forged requests).
    "admin:auth_user_changelist": Entry({"GET": admin_only(200)}),
    "admin:auth_user_add": Entry(
        {
            "GET": admin_only(200),
            "POST": Call(
                admin_only(DONE),
                lambda w: {
                    "username": "newcomer",
                    "usable_password": "true",
                    "password1": "a long and unusual passphrase",
                    "password2": "a long and unusual passphrase",
                },
                "form",
            ),
        }
    ),
    "admin:auth_user_change": Entry(
        {
            "GET": admin_only(200),
            # Without role fields: ada may change bob's e-mail, never his roles.
            "POST": Call(admin_only(DONE), lambda w: account_form(w.bob), "form"),
        },
        lambda w: {"object_id": w.bob.pk},
    ),
    "admin:auth_user_password_change": Entry(
        {
            # bob holds a role: only a superuser sets his password (ada could take him over).
            "GET": admin_only(403),
            "POST": Call(
                admin_only(403),
                lambda w: {
                    "usable_password": "true",
                    "password1": "a long and unusual passphrase",
                    "password2": "a long and unusual passphrase",
                },
                "form",
            ),
        },
        lambda w: {"id": w.bob.pk},
    ),
    "admin:auth_user_delete": Entry(
        {
            "GET": admin_only(403),
            "POST": Call(admin_only(403), lambda w: {"post": "yes"}, "form"),
        },
        lambda w: {"object_id": w.bob.pk},
    ),
    "admin:auth_group_changelist": Entry({"GET": admin_only(200)}),
    "admin:auth_group_add": Entry(
        {
            "GET": admin_only(403),
            "POST": Call(admin_only(403), lambda w: {"name": "approvers"}, "form"),
        }
    ),
    "admin:auth_group_change": Entry(
        {
            # Read-only for ada: a group's permissions are the role it gives.
            "GET": admin_only(200),
            "POST": Call(admin_only(403), lambda w: {"name": "editor"}, "form"),
        },
        lambda w: {"object_id": w.editor_group.pk},
    ),
    "admin:auth_group_delete": Entry(
        {
            "GET": admin_only(403),
            "POST": Call(admin_only(403), lambda w: {"post": "yes"}, "form"),
        },
        lambda w: {"object_id": w.editor_group.pk},
    ),
    "admin:claims_rolechange_changelist": Entry({"GET": admin_only(200)}),
    # -- pages of the workbench -----------------------------------------------------------------
    "dashboard": Entry({"GET": PAGE}),
    "article-list": Entry({"GET": PAGE}),
    "article-import": Entry(
        {
            "GET": PAGE,
            "POST": Call(
                row(LOGIN, DONE, DONE, DONE, DONE, 403),
                lambda w: {"source": "paste", "paste-text": "At least 40 people marched."},
                "form",
            ),
        }
    ),
    "article-detail": Entry({"GET": PAGE}, on_claim("new_article", "article_id")),
    "article-status": Entry({"GET": PAGE}, on_claim("new_article", "article_id")),
    "article-figures": Entry({"GET": PAGE}, on_claim("new_article", "article_id")),
    "contested-figures": Entry({"GET": PAGE}),
    "search": Entry({"GET": PAGE}),
    "claim-match-decide": Entry(
        {
            "POST": Call(
                row(LOGIN, DONE, DONE, DONE, DONE, 403),
                lambda w: {"factcheck": w.factcheck.pk},
                "form",
            )
        },
        lambda w: {"claim_id": w.review.pk, "verb": "reject"},
    ),
    "claim-match-attach": Entry(
        {
            "POST": Call(
                row(LOGIN, DONE, DONE, DONE, DONE, 403),
                lambda w: {"stance": "refutes"},
                "form",
                empty=None,
            )
        },
        lambda w: {"claim_id": w.review.pk, "decision_id": w.decision.pk},
    ),
    # Editors group claims as the same claim, and ungroup them.
    "claim-group": Entry(
        {
            "POST": Call(
                row(LOGIN, 403, 403, DONE, DONE, 403),
                lambda w: {"other": w.published.pk},
                "form",
            )
        },
        on_claim("proposed", "claim_id"),
    ),
    "claim-ungroup": Entry(
        {
            "POST": Call(
                row(LOGIN, 403, 403, DONE, DONE, 403),
                lambda w: {"reason": "Another week."},
                "form",
                empty=None,
            )
        },
        on_claim("proposed", "claim_id"),
    ),
    "factcheck-import": Entry(
        {
            "GET": EDITORS_PAGE,
            "POST": Call(
                EDITORS_PAGE,
                lambda w: {
                    "file": SimpleUploadedFile("f.tsv", b"id\tclaim\n1\tThe sky is green.\n"),
                    "publisher": "Example Checks",
                },
                "multipart",
            ),
        }
    ),
    "claim-add": Entry(
        {
            "POST": Call(
                row(LOGIN, DONE, DONE, DONE, DONE, 403),
                lambda w: {"add-start": w.new.start, "add-end": w.new.end, "add-types": "event"},
                "form",
            )
        },
        on_claim("new_article", "article_id"),
    ),
    "claim-promote": Entry(
        {
            "POST": Call(
                row(LOGIN, DONE, DONE, DONE, DONE, 403),
                lambda w: free_sentence(w.new_article),
                "form",
            )
        },
        on_claim("new_article", "article_id"),
    ),
    "claim-detail": Entry({"GET": PAGE}, on_claim("review", "claim_id")),
    "claim-review": Entry({"GET": PAGE}, on_claim("review", "claim_id")),
    "claim-source-remove": Entry(
        {
            # Alice added it: she removes it, editors too with a reason; bob may not.
            "POST": Call(
                row(LOGIN, DONE, 403, DONE, DONE, 403),
                lambda w: {"reason": "Not about this claim."},
                "form",
                empty=row(LOGIN, DONE, 403, 400, 400, 403),
            )
        },
        lambda w: {"claim_id": w.review.pk, "use_id": w.use.pk},
    ),
    "annotation-edit": Entry(
        {
            "POST": Call(
                # Its author, or an editor; not another reviewer.
                row(LOGIN, DONE, 403, DONE, DONE, 403),
                lambda w: {
                    f"note{w.annotation.pk}-version": w.annotation.version,
                    f"note{w.annotation.pk}-comment": "Checked again.",
                },
                "form",
            )
        },
        lambda w: {"claim_id": w.review.pk, "annotation_id": w.annotation.pk},
    ),
    # claim-action: one entry per action, "claim-action/<action>" (see ACTION_EXPECTATIONS).
    # -- public pages -------------------------------------------------------------------------
    "public-ratings": Entry({"GET": PUBLIC}),
    "public-rating": Entry({"GET": PUBLIC}, on_claim("published", "claim_id")),
    # -- the API: reference, schema, errors ----------------------------------------------------
    "api-root": Entry({"GET": PUBLIC}),
    "api-schema": Entry({"GET": PUBLIC}),
    "api-docs": Entry({"GET": PUBLIC}),
    "api-problem-type": Entry({"GET": PUBLIC}, lambda w: {"code": "stale-version"}),
    "api-not-found": Entry(
        {m: Call(row(404, 404, 404, 404, 404, 404), lambda w: {}, empty=None) for m in METHODS},
        path="/api/v1/nothing/here/",
    ),
    "api-me": Entry({"GET": row(401, 200, 200, 200, 200, 200)}),
    "api-rating-labels": Entry({"GET": API_LIST}),
    "api-annotation-labels": Entry({"GET": API_LIST}),
    # -- the API: articles ---------------------------------------------------------------------
    "api-article-list": Entry(
        {
            "GET": API_LIST,
            "POST": Call(
                row(401, 201, 201, 201, 201, 403),
                lambda w: {"text": "About 30 people marched on Monday."},
            ),
        }
    ),
    "api-article-from-url": Entry(
        {
            # A private address: refused by the fetcher (400) once the role is checked (403).
            "POST": Call(
                row(401, 400, 400, 400, 400, 403),
                lambda w: {"source_url": "http://127.0.0.1:9/article"},
            ),
        }
    ),
    "api-article-upload": Entry(
        {
            "POST": Call(
                row(401, 201, 201, 201, 201, 403),
                lambda w: {"file": SimpleUploadedFile("a.txt", b"Nearly 200 people fled.")},
                "multipart",
            )
        }
    ),
    "api-article-detail": Entry({"GET": API_OBJECT}, on_claim("new_article")),
    # -- the API: claims -----------------------------------------------------------------------
    "api-claim-list": Entry(
        {
            "GET": API_LIST,
            "POST": Call(
                row(401, 201, 201, 201, 201, 403),
                lambda w: {
                    "article": w.new_article.pk,
                    "start": w.new.start,
                    "end": w.new.end,
                    "types": ["event"],
                },
            ),
        }
    ),
    "api-claim-merge": Entry(
        {
            "POST": Call(
                row(401, 201, 201, 201, 201, 403),
                lambda w: {
                    "claims": [w.merge_a.pk, w.merge_b.pk],
                    "versions": [w.merge_a.version, w.merge_b.version],
                },
            ),
        }
    ),
    "api-claim-detail": Entry(
        {
            "GET": API_OBJECT,
            # alice is on it; bob is not, so it is not his to change (an editor's, alice's).
            "PATCH": Call(
                row(401, 200, 403, 200, 200, 404),
                lambda w: {"version": w.review.version, "speaker": "Anna"},
            ),
        },
        on_claim("review"),
    ),
    "api-claim-split": Entry(
        {
            "POST": Call(
                row(401, 201, 403, 201, 201, 404),
                lambda w: {"version": w.review.version, "at": w.split_at},
            )
        },
        on_claim("review"),
    ),
    "api-claim-history": Entry({"GET": API_OBJECT}, on_claim("review")),
    "api-claim-verdicts": Entry({"GET": API_OBJECT}, on_claim("proposed")),
    # Workflow: each on a claim in a state that allows it.
    "api-claim-assign": Entry(
        {
            "POST": Call(
                row(401, 403, 200, 200, 200, 404),
                lambda w: {"reviewer": "bob", "version": w.new.version},
                # Without a reviewer each would act on themself: told the version is missing.
                empty=row(401, 400, 400, 400, 400, 404),
            )
        },
        on_claim("new"),
    ),
    "api-claim-unassign": Entry(
        {
            "POST": Call(
                row(401, 200, 403, 200, 200, 404),
                lambda w: {"reviewer": "alice", "version": w.review.version},
                # Without a reviewer each would act on themself: told the version is missing.
                empty=row(401, 400, 400, 400, 400, 404),
            )
        },
        on_claim("review"),
    ),
    "api-claim-propose": Entry(
        {
            "POST": Call(
                row(401, 200, 403, 200, 200, 404),
                lambda w: {
                    "label": "false",
                    "summary": "No.",
                    "justification": "Data.",
                    "version": w.review.version,
                },
            )
        },
        on_claim("review"),
    ),
    "api-claim-approve": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 403, 200, 404), lambda w: {"version": w.proposed.version}
            )
        },
        on_claim("proposed"),
    ),
    "api-claim-request-changes": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 404),
                lambda w: {"reason": "Cite it.", "version": w.proposed.version},
            )
        },
        on_claim("proposed"),
    ),
    "api-claim-publish": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 404), lambda w: {"version": w.approved.version}
            )
        },
        on_claim("approved"),
    ),
    "api-claim-correct": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 404),
                lambda w: {"note": "New figures.", "version": w.published.version},
            )
        },
        on_claim("published"),
    ),
    # erin proposed the waiting correction: another editor approves it (four-eyes).
    "api-claim-approve-correction": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 403, 200, 404), lambda w: {"version": w.correcting.version}
            )
        },
        on_claim("correcting"),
    ),
    "api-claim-reject-correction": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 404),
                lambda w: {"reason": "Not needed.", "version": w.correcting.version},
            )
        },
        on_claim("correcting"),
    ),
    "api-claim-retract": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 404),
                lambda w: {"reason": "Withdrawn.", "version": w.published.version},
            )
        },
        on_claim("published"),
    ),
    "api-claim-dismiss": Entry(
        {
            "POST": Call(
                row(401, 200, 200, 200, 200, 404),
                lambda w: {"reason": "Opinion.", "version": w.new.version},
            )
        },
        on_claim("new"),
    ),
    "api-claim-reopen": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 404), lambda w: {"version": w.dismissed.version}
            )
        },
        on_claim("dismissed"),
    ),
    "api-verdict-detail": Entry(
        {
            "GET": API_OBJECT,
            # Its author or an editor amends it.
            "PATCH": Call(
                row(401, 403, 403, 200, 200, 404),
                lambda w: {"version": w.verdict.version, "summary": "Shorter."},
            ),
        },
        lambda w: {"pk": w.verdict.pk},
    ),
    # -- the API: annotations, comments, sources, ratings --------------------------------------
    "api-claim-annotations": Entry(
        {
            "GET": API_OBJECT,
            "POST": Call(
                row(401, 201, 201, 201, 201, 404),
                lambda w: {"start": w.review.start, "end": w.review.end, "label": "figure"},
            ),
        },
        on_claim("review"),
    ),
    "api-annotation-detail": Entry(
        {
            "GET": API_OBJECT,
            "PATCH": Call(
                row(401, 200, 403, 200, 200, 404),
                lambda w: {"version": w.annotation.version, "comment": "Again."},
            ),
        },
        lambda w: {"pk": w.annotation.pk},
    ),
    "api-claim-comments": Entry(
        {
            "GET": API_OBJECT,
            "POST": Call(row(401, 201, 201, 201, 201, 404), lambda w: {"body": "Checked."}),
        },
        on_claim("review"),
    ),
    "api-claim-sources": Entry(
        {
            "GET": API_OBJECT,
            "POST": Call(
                row(401, 201, 201, 201, 201, 404),
                lambda w: {"url": "https://example.org/another-report"},
            ),
        },
        on_claim("review"),
    ),
    "api-claim-source-detail": Entry(
        {
            "GET": API_OBJECT,
            "DELETE": Call(
                row(401, 204, 403, 204, 204, 404),
                lambda w: {"reason": "Not about this claim."},
                empty=row(401, 204, 403, 400, 400, 404),
            ),
        },
        lambda w: {"pk": w.use.pk},
    ),
    # -- the API: checked before ----------------------------------------------------------------
    "api-factcheck-list": Entry({"GET": API_LIST}),
    "api-factcheck-detail": Entry({"GET": API_OBJECT}, lambda w: {"pk": w.factcheck.pk}),
    "api-factcheck-import": Entry(
        {
            "POST": Call(
                row(401, 403, 403, 200, 200, 403),
                lambda w: {
                    "file": SimpleUploadedFile("f.tsv", b"id\tclaim\n2\tThe sea is red.\n"),
                    "publisher": "Example Checks",
                },
                "multipart",
            )
        }
    ),
    "api-claim-matches": Entry({"GET": API_OBJECT}, on_claim("review")),
    "api-claim-match-confirm": Entry(
        {"POST": Call(row(401, 200, 200, 200, 200, 404), lambda w: {"factcheck": w.factcheck.pk})},
        on_claim("review"),
    ),
    "api-claim-match-reject": Entry(
        {"POST": Call(row(401, 200, 200, 200, 200, 404), lambda w: {"factcheck": w.factcheck.pk})},
        on_claim("review"),
    ),
    "api-match-decision-attach": Entry(
        {"POST": Call(row(401, 201, 201, 201, 201, 404), lambda w: {}, empty=None)},
        lambda w: {"pk": w.decision.pk},
    ),
    "api-claim-group": Entry(
        {
            "GET": API_OBJECT,
            "DELETE": Call(
                row(401, 403, 403, 204, 204, 404), lambda w: {"reason": "Another week."}, empty=None
            ),
        },
        on_claim("proposed"),
    ),
    "api-claim-group-list": Entry(
        {
            "GET": API_LIST,
            "POST": Call(
                row(401, 403, 403, 200, 200, 403),
                lambda w: {"claims": [w.published.pk], "group": w.group.pk},
            ),
        }
    ),
    "api-claim-group-detail": Entry({"GET": API_OBJECT}, lambda w: {"pk": w.group.pk}),
    "api-source-list": Entry({"GET": API_LIST}),
    "api-source-detail": Entry({"GET": API_OBJECT}, lambda w: {"pk": w.use.source_id}),
    "api-claim-ratings": Entry(
        {
            "GET": API_OBJECT,
            # Only reviewers assigned to the claim rate it: alice.
            "POST": Call(
                row(401, 201, 403, 403, 403, 404),
                lambda w: {
                    "label": "false",
                    "justification": "Data.",
                    "confidence": 3,
                    "version": w.rating.version,
                },
            ),
        },
        on_claim("review"),
    ),
    "api-agreement": Entry({"GET": EDITORS_API}),
    "api-disagreements": Entry({"GET": EDITORS_API}),
    # -- the API: the public feed ---------------------------------------------------------------
    "api-published-list": Entry({"GET": PUBLIC}),
    "api-published-export-csv": Entry({"GET": PUBLIC}),
    "api-published-export-jsonl": Entry({"GET": PUBLIC}),
    "api-published-detail": Entry({"GET": PUBLIC}, on_claim("published")),
    # -- pages another engineer is adding -------------------------------------------------------
    "agreement": Entry({"GET": EDITORS_PAGE}),
}


def action_call(expect: Row, claim: str, body: Callable[[Any], dict[str, Any]]) -> Entry:
    return Entry({"POST": Call(expect, body, "form")}, on_claim(claim, "claim_id"))


def versioned(prefix: str, claim: str, **fields: Any) -> Callable[[Any], dict[str, Any]]:
    def body(w: Any) -> dict[str, Any]:
        values = {k: (v(w) if callable(v) else v) for k, v in fields.items()}
        return {
            f"{prefix}-version": getattr(w, claim).version,
            **{f"{prefix}-{k}": v for k, v in values.items()},
        }

    return body


STAFF_DONE = row(LOGIN, DONE, DONE, DONE, DONE, 403)
EDITORS_DONE = row(LOGIN, 403, 403, DONE, DONE, 403)
ON_CLAIM_DONE = row(LOGIN, DONE, 403, DONE, DONE, 403)  # its reviewer (alice), or an editor

# The web workbench's actions, POST /claims/<id>/<action>/ with the form the panel shows.
ACTION_EXPECTATIONS: dict[str, Entry] = {
    "assign": action_call(
        # Only editors assign others; reviewers are offered "Assign me" instead.
        row(LOGIN, 403, 403, DONE, DONE, 403),
        "new",
        versioned("assign", "new", reviewer=lambda w: w.bob.pk),
    ),
    "assign_self": action_call(STAFF_DONE, "new", versioned("assign_self", "new")),
    "unassign": Entry(
        {
            "POST": Call(
                row(LOGIN, DONE, 403, DONE, DONE, 403),
                versioned("unassign", "review", reviewer=lambda w: w.alice.pk),
                "form",
                # bob may take himself off a claim: an empty form is his mistake, not his role.
                empty=row(LOGIN, 400, 400, 400, 400, 403),
            )
        },
        on_claim("review", "claim_id"),
    ),
    "edit": action_call(
        # The claim's reviewer (alice) or an editor; not a reviewer who is not on it.
        ON_CLAIM_DONE,
        "review",
        lambda w: (
            versioned(
                "edit",
                "review",
                start=w.review.start,
                end=w.review.end,
                types="casualty",
                speaker="Anna",
            )(w)
            | {
                "fig-TOTAL_FORMS": 0,
                "fig-INITIAL_FORMS": 0,
                "fig-MIN_NUM_FORMS": 0,
                "fig-MAX_NUM_FORMS": 20,
            }
        ),
    ),
    "split": action_call(
        ON_CLAIM_DONE, "review", versioned("split", "review", at=lambda w: w.split_at)
    ),
    "merge": action_call(
        STAFF_DONE,
        "merge_a",
        versioned(
            "merge",
            "merge_a",
            other=lambda w: w.merge_b.pk,
            other_version=lambda w: w.merge_b.version,
        ),
    ),
    "dismiss": action_call(STAFF_DONE, "new", versioned("dismiss", "new", reason="Opinion.")),
    "reopen": action_call(EDITORS_DONE, "dismissed", versioned("reopen", "dismissed")),
    "propose": action_call(
        row(LOGIN, DONE, 403, DONE, DONE, 403),
        "review",
        versioned("propose", "review", label="false", summary="No.", justification="Data."),
    ),
    "amend": action_call(
        EDITORS_DONE,
        "proposed",
        lambda w: {
            "amend-version": w.verdict.version,
            "amend-label": "false",
            "amend-summary": "Shorter.",
            "amend-justification": "Data.",
        },
    ),
    "approve": action_call(
        # erin wrote the verdict: another editor approves it (four-eyes).
        row(LOGIN, 403, 403, 403, DONE, 403),
        "proposed",
        versioned("approve", "proposed"),
    ),
    "request_changes": action_call(
        EDITORS_DONE, "proposed", versioned("request_changes", "proposed", reason="Cite it.")
    ),
    "publish": action_call(EDITORS_DONE, "approved", versioned("publish", "approved")),
    "correct": action_call(
        EDITORS_DONE, "published", versioned("correct", "published", note="New figures.")
    ),
    "retract": action_call(
        EDITORS_DONE, "published", versioned("retract", "published", reason="Withdrawn.")
    ),
    "approve_correction": action_call(
        # erin proposed the correction: another editor approves it (four-eyes).
        row(LOGIN, 403, 403, 403, DONE, 403),
        "correcting",
        versioned("approve_correction", "correcting"),
    ),
    "reject_correction": action_call(
        EDITORS_DONE,
        "correcting",
        versioned("reject_correction", "correcting", reason="Not needed."),
    ),
    "annotate": action_call(
        STAFF_DONE,
        "review",
        lambda w: {
            "annotate-start": w.review.start,
            "annotate-end": w.review.end,
            "annotate-label": "figure",
        },
    ),
    "comment": action_call(STAFF_DONE, "review", lambda w: {"comment-body": "Checked."}),
    "source": action_call(
        STAFF_DONE,
        "review",
        lambda w: {
            "source-url": "https://example.org/another-report",
            "source-stance": "context",
            "source-kind": "secondary",
        },
    ),
    "rate": action_call(
        # Only reviewers assigned to the claim rate it.
        row(LOGIN, DONE, 403, 403, 403, 403),
        "review",
        lambda w: {
            "rate-version": w.rating.version,
            "rate-label": "false",
            "rate-justification": "Data.",
            "rate-confidence": 3,
        },
    ),
    # Not an action: the same for everyone signed in.
    "no-such-action": Entry(
        {"POST": Call(row(LOGIN, 404, 404, 404, 404, 403), lambda w: {}, "form", empty=None)},
        on_claim("review", "claim_id"),
    ),
}

# Admin pages other than these are Django's own, tested by Django; accounts and groups are
# here because the admin group's power over them is ours to limit.
ADMIN_KEPT = {
    "admin:index",
    "admin:claims_claim_changelist",
    "admin:auth_user_changelist",
    "admin:auth_user_add",
    "admin:auth_user_change",
    "admin:auth_user_password_change",
    "admin:auth_user_delete",
    "admin:auth_group_changelist",
    "admin:auth_group_add",
    "admin:auth_group_change",
    "admin:auth_group_delete",
    "admin:claims_rolechange_changelist",
}


# --- the URL configuration, walked ----------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "name", "namespace:name", or "claim-action/<action>"
    pattern: str
    view: Any = field(compare=False)
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}:{item.namespace}".strip(":") if item.namespace else namespace
            yield from walk(item, prefix + str(item.pattern), ns)
        elif isinstance(item, URLPattern):
            key = f"{namespace}:{item.name}" if namespace else (item.name or "")
            yield Route(key, prefix + str(item.pattern), item.callback, item.name or "")


def routes() -> list[Route]:
    found: list[Route] = []
    for route in walk(get_resolver()):
        if route.key.startswith("admin:") or route.pattern.startswith("admin/"):
            if route.key in ADMIN_KEPT:
                found.append(route)
            continue
        if route.key == "claim-action":
            # One URL per action the view knows, and one it does not.
            for action in [*web_actions.ACTIONS, "no-such-action"]:
                found.append(
                    Route(
                        f"claim-action/{action}",
                        route.pattern,
                        route.view,
                        "claim-action",
                        {"action": action},
                    )
                )
            continue
        found.append(route)
    return found


ROUTES = routes()


def expectation(route: Route) -> Entry | None:
    if route.key.startswith("claim-action/"):
        return ACTION_EXPECTATIONS.get(route.extra["action"])
    return EXPECTATIONS.get(route.key)


def declared_methods(route: Route) -> set[str] | None:
    """The methods a class-based view answers (None for a function view: declared only)."""
    view_class = getattr(route.view, "view_class", None) or getattr(route.view, "cls", None)
    if view_class is None:
        return None
    return {
        m
        for m in METHODS
        if m.lower() in view_class.http_method_names and hasattr(view_class, m.lower())
    }


# --- the objects the URLs point at ----------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """One set of objects for the whole module, made in a transaction rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        w = _make_world()
        yield w
        transaction.set_rollback(True)


def _make_world():  # untyped: factories are not the models they make, to mypy
    alice = UserFactory(username="alice", roles=["reviewer"])
    bob = UserFactory(username="bob", roles=["reviewer"])
    erin = UserFactory(username="erin", roles=["editor"])
    frank = UserFactory(username="frank", roles=["editor"])
    ada = UserFactory(username="ada", roles=["admin"], is_staff=True)
    people = {"reviewer": alice, "editor": erin, "second_editor": frank}

    new = ClaimFactory()
    review = advance(ClaimFactory(), ClaimStatus.IN_REVIEW, **people)
    annotation = notes.annotation_create(
        actor=alice,
        claim=review,
        start=review.start,
        end=review.end,
        label="figure",
        comment="A figure.",
    )
    notes.comment_add(actor=alice, claim=review, body="Looking into it.")
    use = notes.source_attach(actor=alice, claim=review, url="https://example.org/report")
    rating = notes.rating_submit(actor=alice, claim=review, label="false", justification="No.")
    factcheck = FactCheck.objects.create(
        publisher="Example Checks",
        external_id="fc-1",
        url="https://checks.example.org/1",
        claim_text="Twelve soldiers were killed.",
        rating_text="False",
    )
    decision = services.match_confirm(actor=alice, claim=review, factcheck=factcheck)
    proposed = advance(ClaimFactory(), ClaimStatus.PROPOSED, **people)
    approved = advance(ClaimFactory(), ClaimStatus.APPROVED, **people)
    published = advance(ClaimFactory(), ClaimStatus.PUBLISHED, **people)
    dismissed = advance(ClaimFactory(), ClaimStatus.DISMISSED, **people)
    correcting = advance(ClaimFactory(), ClaimStatus.PUBLISHED, **people)
    services.claim_correct(actor=erin, claim=correcting, note="Revised count.", label="false")
    merge_article = ArticleFactory()
    text = merge_article.text
    a_start = text.index("Officials denied")
    b_start = text.index("The president")
    merge_a = ClaimFactory(article=merge_article, start=a_start, end=b_start - 1, types=["event"])
    merge_b = ClaimFactory(
        article=merge_article, start=b_start, end=text.index("\u201d", b_start) + 1, types=["quote"]
    )
    group = services.claims_group(actor=erin, claims=[proposed, approved])
    for claim in (
        new,
        review,
        proposed,
        approved,
        published,
        dismissed,
        correcting,
        merge_a,
        merge_b,
    ):
        claim.refresh_from_db()
    token, _ = create_token(alice)
    clients = {}
    for name, user in zip(PERSONAS, (None, alice, bob, erin, frank, ada), strict=True):
        client = Client()
        headers: dict[str, str] = {}
        if user is not None:
            client.force_login(user)
            headers["HTTP_AUTHORIZATION"] = f"Token {create_token(user)[1]}"
        clients[name] = (client, headers)
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        erin=erin,
        frank=frank,
        ada=ada,
        new=new,
        correcting=correcting,
        new_article=new.article,
        review=review,
        factcheck=factcheck,
        decision=decision,
        group=group,
        annotation=annotation,
        use=use,
        rating=rating,
        proposed=proposed,
        verdict=services.current_verdict(proposed),
        approved=approved,
        published=published,
        dismissed=dismissed,
        merge_a=merge_a,
        merge_b=merge_b,
        split_at=review.article.text.index(" soldiers"),
        alice_token_prefix=token.token_key,
        editor_group=Group.objects.get(name="editor"),
        clients=clients,
    )


# --- asking ---------------------------------------------------------------------------------


def url_for(route: Route, entry: Entry, w: Any) -> str:
    if entry.path:
        return entry.path
    kwargs = {**entry.args(w), **route.extra}
    return reverse(
        route.name if route.key.startswith("claim-action/") else route.key, kwargs=kwargs
    )


def ask(w: Any, persona: str, method: str, url: str, body: Any, kind: str) -> Any:
    """One request, in a savepoint rolled back afterwards; the persona's cookies restored."""
    client, headers = w.clients[persona]
    headers = headers if url.startswith("/api/") else {}
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)  # a logout must not sign the persona out for good
    sid = transaction.savepoint_create()
    try:
        if method == "GET":
            return client.get(url, **headers)
        if body is None:
            return client.generic(method, url, **headers)
        if kind == "json":
            return client.generic(
                method, url, _json(body), content_type="application/json", **headers
            )
        if kind == "multipart":
            return client.post(url, body, **headers)
        return client.generic(
            method, url, _form(body), content_type="application/x-www-form-urlencoded", **headers
        )
    finally:
        transaction.savepoint_rollback(sid)
        client.cookies = cookies


def _json(body: Any) -> str:
    return json.dumps(body)


def _form(body: dict[str, Any]) -> str:
    return urlencode(body, doseq=True)


def got(response: Any, expected: Status) -> bool:
    if isinstance(expected, Redirect):
        return expected.matches(response)
    return response.status_code == expected


def shown(response: Any) -> str:
    if response.status_code == 302:
        return f"302→{response['Location']}"
    return str(response.status_code)


@pytest.fixture
def no_throttling(settings: Any) -> Iterator[None]:
    # The matrix asks hundreds of times as one anonymous client: not what throttles are for.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "token": None},
    }
    cache.clear()
    yield
    cache.clear()


# --- the tests ------------------------------------------------------------------------------


def test_every_url_has_an_expectation() -> None:
    missing = [f"{r.key} ({r.pattern})" for r in ROUTES if expectation(r) is None]
    assert not missing, "URLs without an entry in EXPECTATIONS: " + ", ".join(missing)


def test_every_expectation_names_a_url_that_exists() -> None:
    # A renamed or removed URL must not leave its entry behind, asking nothing.
    keys = {r.key for r in ROUTES}
    stale = [k for k in EXPECTATIONS if k not in keys]
    stale += [a for a in ACTION_EXPECTATIONS if f"claim-action/{a}" not in keys]
    assert not stale, stale


def test_every_method_a_view_answers_is_in_the_table() -> None:
    problems = []
    for route in ROUTES:
        entry = expectation(route)
        answered = declared_methods(route)
        if entry is None or answered is None or route.key == "api-not-found":
            continue
        if answered != set(entry.methods):
            problems.append(
                f"{route.key}: view answers {sorted(answered)}, table has {sorted(entry.methods)}"
            )
    assert not problems, problems


PARAMS = [pytest.param(r, id=r.key) for r in ROUTES if expectation(r) is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PARAMS)
def test_each_persona_gets_the_expected_status(route: Route, world: Any, no_throttling: None):
    entry = expectation(route)
    assert entry is not None
    url = url_for(route, entry, world)
    wrong = []
    for method, spec in entry.methods.items():
        call = spec if isinstance(spec, Call) else Call(spec)
        for i, (persona, expected) in enumerate(zip(PERSONAS, call.expect, strict=True)):
            # Made again for each request: an uploaded file is read to its end.
            body = call.body(world) if call.body else None
            response = ask(world, persona, method, url, body, call.kind)
            if not got(response, expected):
                wrong.append(
                    f"{method} {url} as {persona}: expected {expected}, got {shown(response)}"
                )
            if method == "GET" or call.body is None or persona == "anonymous":
                continue  # (anonymous people are sent away before any body is read)
            if not url.startswith("/api/") and expected == DONE:
                # An empty form from someone who may use it redraws the page with its errors:
                # tests/hostile/test_forms.py sends those; here the point is who is refused.
                continue
            # Again with an empty body: a refusal stays a refusal, a permitted person is told
            # what is missing, nobody meets a server error.
            empty = ask(world, persona, method, url, {}, call.kind)
            want: Status
            if isinstance(call.empty, tuple):
                want = call.empty[i]
            elif (
                (isinstance(expected, Redirect) and expected.to)
                or expected in (401, 403, 404)
                or call.empty is None
            ):
                want = expected
            else:
                want = call.empty
            if not got(empty, want):
                wrong.append(
                    f"{method} {url} as {persona} with an empty body: expected {want}, "
                    f"got {shown(empty)}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("route", PARAMS)
def test_methods_a_url_does_not_take_are_refused(route: Route, world: Any, no_throttling: None):
    entry = expectation(route)
    assert entry is not None
    url = url_for(route, entry, world)
    wrong = []
    for method in METHODS:
        if method in entry.methods:
            continue
        response = ask(world, entry.other_methods_as, method, url, {}, "json")
        # The admin sends a non-staff editor to its sign-in page before it looks at the method.
        expected = 302 if route.key.startswith("admin:") else 405
        if response.status_code != expected:
            wrong.append(f"{method} {url}: expected {expected}, got {shown(response)}")
    assert not wrong, "\n".join(wrong)
