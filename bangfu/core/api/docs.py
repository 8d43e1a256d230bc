"""The OpenAPI schema and Swagger UI, for logged-in users only.

Swagger UI is served from drf-spectacular-sidecar's files under /static/ (settings
``SWAGGER_UI_DIST = "SIDECAR"``): nothing is loaded from the internet, so the page works on an
intranet. An anonymous browser is sent to the login page; the schema answers 401/403.
"""

import json

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated


class SchemaView(SpectacularAPIView):
    permission_classes = [IsAuthenticated]


class DocsView(SpectacularSwaggerView):
    permission_classes = [IsAuthenticated]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        ui_settings = response.data["settings"]
        try:
            ui_settings = json.loads(ui_settings)
        except ValueError:  # SWAGGER_UI_SETTINGS given as JavaScript: leave it alone
            return response
        # Swagger UI's default shows a badge fetched from validator.swagger.io: on an intranet
        # that is a request to the internet, so it is switched off.
        ui_settings.setdefault("validatorUrl", None)
        response.data["settings"] = json.dumps(ui_settings, indent=2)
        return response

    def permission_denied(self, request, message=None, code=None):
        if not request.user.is_authenticated and not request.auth:
            # A person with a browser: the login page, then back here.
            raise _RedirectToLogin(request.get_full_path())
        super().permission_denied(request, message, code)

    def handle_exception(self, exc):
        if isinstance(exc, _RedirectToLogin):
            return redirect_to_login(exc.next_url, settings.LOGIN_URL)
        return super().handle_exception(exc)


class _RedirectToLogin(Exception):
    def __init__(self, next_url: str):
        super().__init__(next_url)
        self.next_url = next_url
