import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .audit import audit_context
from .choices import ChangeSource

# Paths reachable without logging in. The API answers 401/403 itself instead of redirecting.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/i18n/", "/api/", "/favicon.ico")


class AuditContextMiddleware:
    """Every change made while serving a request is attributed to its user and request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        source = ChangeSource.API if request.path.startswith("/api/") else ChangeSource.UI
        with audit_context(source=source, request_id=request.request_id, request=request):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class LoginRequiredMiddleware:
    """Login is required for every page; nothing is public but the login page and assets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the language switch.

    The browser's Accept-Language is not consulted: many office computers run an English
    browser for a Chinese-speaking clerk, and the product's default language is zh-hans.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
