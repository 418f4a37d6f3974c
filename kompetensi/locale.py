"""The page language: Indonesian is the portal's language.

A browser's Accept-Language is ignored (an English browser is common on office computers;
the portal still speaks Indonesian). The language is, in order: the signed-in person's choice
(`User.language`, also used for their e-mails), the language cookie a visitor set with the
language menu, then `LANGUAGE_CODE`.
"""

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def chosen_language(request) -> str:
    user = getattr(request, "user", None)
    language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if language in SUPPORTED:
        return language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in SUPPORTED else settings.LANGUAGE_CODE


class PortalLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # Pages differ by the cookie, never by Accept-Language.
        response.headers.setdefault("Vary", "Cookie")
        return response


@require_POST
def set_language(request):
    """The language menu: remember the choice in a cookie and, when signed in, on the user."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or request.GET.get(REDIRECT_FIELD_NAME) or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in SUPPORTED:
        return response
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(user, "language"):
        user.language = language
        user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )
    return response
