"""The OpenAPI schema validates and documents every endpoint; Swagger UI works offline."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(anon_api):
    response = anon_api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_without_warnings():
    # drf-spectacular checks the document against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=StringIO())


def test_every_api_url_is_in_the_schema(schema):
    from workbench import api_urls

    documented = set(schema["paths"])
    routes = {
        "/api/v1/" + re.sub(r"<int:(\w+)>", r"{id}", str(p.pattern))
        for p in api_urls.v1
        if str(p.pattern) and "<slug:" not in str(p.pattern)
    }
    assert routes <= documented, routes - documented
    assert len(documented) >= 38


def test_every_operation_documents_its_errors_as_problem_details(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            if not path.startswith("/api/v1/published"):
                assert {"401", "403", "404"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"], (code, path)


def test_workflow_actions_document_their_bodies_and_409(schema):
    operation = schema["paths"]["/api/v1/claims/{id}/propose/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ProposeInputRequest")
    assert {"200", "400", "409"} <= set(operation["responses"])


def test_public_operations_need_no_authentication_and_document_304(schema):
    for path in ("/api/v1/published/", "/api/v1/published/{id}/"):
        operation = schema["paths"][path]["get"]
        assert {} in operation.get("security", [{}]) or operation.get("security") == []
        assert "304" in operation["responses"]
        assert "ETag" in operation["responses"]["200"]["headers"]
    claimreview = schema["components"]["schemas"]["PublishedItem"]["properties"]["claimreview"]
    assert {"@context", "@type", "claimReviewed", "reviewRating", "itemReviewed"} <= set(
        claimreview["required"]
    )


def test_the_token_scheme_is_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["knoxApiToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }


def test_swagger_ui_is_served_with_local_assets_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith(("/static/", "/api/docs/")), asset
    assert "http://" not in html and "https://" not in html
    assert "<style" not in html and "<script>" not in html  # the site's CSP forbids inline
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


def test_the_swagger_assets_exist_in_the_project(client):
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name
