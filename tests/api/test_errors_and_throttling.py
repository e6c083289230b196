"""One error format (RFC 9457 problem details) and throttling per client."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.api.conftest import problem

pytestmark = pytest.mark.django_db


def test_an_unknown_api_address_is_a_404_problem_not_a_page(anon_api):
    for url in ("/api/v1/nothing/", "/api/v1/claims/-1/", "/api/elsewhere"):
        response = anon_api.get(url)
        assert response.status_code == 404, url
        assert problem(response)["instance"] == url


def test_a_method_that_is_not_allowed_is_a_405_problem(reviewer_api, claim):
    response = reviewer_api.delete(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 405
    assert problem(response)["code"] == "method-not-allowed"
    assert "PATCH" in response["Allow"]


def test_a_body_of_an_unknown_type_is_a_415_problem(reviewer_api, claim):
    response = reviewer_api.post(
        f"/api/v1/claims/{claim.pk}/dismiss/", b"reason=x", content_type="text/plain"
    )
    assert response.status_code == 415
    assert problem(response)["code"] == "unsupported-media-type"


def test_a_wrong_token_is_a_401_with_www_authenticate(anon_api):
    anon_api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = anon_api.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert problem(response)["code"] == "authentication-failed"


def test_the_problem_type_is_explained_at_its_url(anon_api, reviewer_api, claim):
    body = problem(reviewer_api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 9}))
    assert body["type"] == "http://testserver/api/problems/stale-version"
    explained = anon_api.get("/api/problems/stale-version").json()
    assert explained["title"] == body["title"]
    assert "current_version" in explained["description"]


def test_validation_errors_name_each_field(editor_api, claim):
    # An editor may propose on any claim: what is wrong is the body, not the person.
    response = editor_api.post(
        f"/api/v1/claims/{claim.pk}/propose/", {"label": 3, "sources": ["x"], "version": -1}
    )
    body = problem(response)
    assert response.status_code == 400
    assert set(body["errors"]) == {"summary", "justification", "sources.0", "version"}
    assert body["title"] == "Your request is not valid."


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "token": "4/min"},
    }
    cache.clear()
    yield
    cache.clear()


def test_anonymous_clients_are_throttled_with_retry_after(low_rates, anon_api):
    statuses = [anon_api.get("/api/v1/published/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anon_api.get("/api/v1/published/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert problem(response)["code"] == "throttled"


def test_each_token_has_its_own_budget(low_rates, client_for, reviewer):
    first, second = client_for(reviewer), client_for(reviewer)
    assert [first.get("/api/v1/me/").status_code for _ in range(5)] == [200] * 4 + [429]
    assert second.get("/api/v1/me/").status_code == 200


def test_anonymous_and_signed_in_budgets_are_separate(low_rates, anon_api, reviewer_api):
    for _ in range(3):
        anon_api.get("/api/v1/published/")
    assert anon_api.get("/api/v1/published/").status_code == 429
    assert reviewer_api.get("/api/v1/me/").status_code == 200


def test_a_rate_of_none_turns_a_throttle_off(settings, anon_api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "token": None},
    }
    assert all(anon_api.get("/api/v1/published/").status_code == 200 for _ in range(30))


def test_a_bug_is_a_500_problem_logged_with_its_traceback(reviewer, monkeypatch, caplog):
    from rest_framework.test import APIClient

    from claims import selectors
    from workbench.tokens import create_token

    # Error trackers hear of it as of any Django error; the test client re-raises those.
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {create_token(reviewer)[1]}")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "claim_queryset", broken)
    response = client.get("/api/v1/claims/")
    assert response.status_code == 500
    assert problem(response)["detail"] == "Something went wrong on our side; the error was logged."
    assert b"boom" not in response.content
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert len(logged) == 1 and logged[0].exc_info[1].args == ("boom",)


def test_a_body_over_the_upload_limit_is_a_413_problem(editor_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = editor_api.post("/api/v1/articles/", {"text": "a " * 10_000})
    assert response.status_code == 413
    assert problem(response)["code"] == "payload-too-large"


def test_json_nested_too_deeply_is_a_400_parse_error_not_a_500(reviewer_api, claim):
    # 100,000 brackets: Python's JSON decoder runs out of stack (RecursionError).
    body = b"[" * 100_000 + b"]" * 100_000
    response = reviewer_api.generic(
        "POST", f"/api/v1/claims/{claim.pk}/comments/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert problem(response)["code"] == "parse-error"
    assert "nested too deeply" in problem(response)["detail"]


def test_an_error_quoting_a_lone_surrogate_is_a_400_not_a_500(reviewer_api, claim):
    # JSON may carry "\ud800"; the choice field's message quotes it back.
    response = reviewer_api.generic(
        "PATCH",
        f"/api/v1/claims/{claim.pk}/",
        '{"version": 1, "types": ["\\ud800"]}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert b"\\ud800" in response.content  # escaped, as JSON allows
    assert "types.0" in problem(response)["errors"]


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/articles/", {"text": 12345}, "text"),
        ("/api/v1/claims/{claim}/comments/", {"body": 12345}, "body"),
        ("/api/v1/claims/{claim}/sources/", {"url": "https://example.org/", "title": 7}, "title"),
        ("/api/v1/claims/{claim}/dismiss/", {"reason": 3.5}, "reason"),
    ],
)
def test_a_number_where_text_belongs_is_refused_not_stored_as_digits(
    url, body, field, reviewer_api, claim
):
    response = reviewer_api.post(url.format(claim=claim.pk), body)
    assert response.status_code == 400
    assert problem(response)["errors"][field] == ["Not a valid string: send text."]


def test_an_empty_comment_is_refused_under_the_field_the_client_sent(reviewer_api, claim):
    response = reviewer_api.post(f"/api/v1/claims/{claim.pk}/comments/", {"body": "  "})
    assert response.status_code == 400
    assert problem(response)["errors"] == {"body": ["A comment is required."]}
