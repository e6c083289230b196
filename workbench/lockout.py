"""Sign-in lockout with django-axes: the backend, the client's address and the lockout page.

Settings (``AXES_*`` in workbench/settings.py) decide when an account is locked; this module
decides what a locked-out person sees: the ordinary sign-in page, answered with 429 Too Many
Requests, saying plainly that the account is locked, for how long, and who can unlock it.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponse
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every sign-in, right password or not, while the username is locked out.

    Sign-ins without a request (Django's test client ``login()``, a shell) are not counted:
    lockout is about requests from browsers and scripts, and axes cannot count attempts it
    cannot attribute. Every web sign-in form passes the request.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the attempts log, trusting as many X-Forwarded-For hops as
    the API throttles do (WORKBENCH_NUM_PROXIES), so both agree on who a client is."""
    remote = request.META.get("REMOTE_ADDR")
    proxies: Any = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return hops[-min(int(proxies), len(hops))]


def lockout_message(request: HttpRequest) -> str:
    cool_off = get_cool_off(request)
    if cool_off:
        minutes = max(1, round(cool_off.total_seconds() / 60))
        wait = f"It is locked for {minutes} minute{'s' if minutes != 1 else ''}"
    else:
        wait = "It stays locked"
    return (
        f"Too many failed sign-ins for this account. {wait}, even with the right password; "
        "an administrator can unlock it sooner."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again, with the lockout as the form's error, as 429."""
    message = lockout_message(request)
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    form = AuthenticationForm(request, data=request.POST or None)
    # The form is shown, not validated: authenticating again would count another attempt.
    form.cleaned_data = {}
    form._errors = ErrorDict({NON_FIELD_ERRORS: ErrorList([message])})  # type: ignore[attr-defined]
    try:
        body = render_to_string(
            "registration/login.html",
            {"form": form, "next": request.POST.get("next", ""), "locked_out": True},
            request=request,
        )
        response = HttpResponse(body, status=status)
    except TemplateDoesNotExist:
        response = HttpResponse(message, status=status, content_type="text/plain")
    cool_off = get_cool_off(request)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
