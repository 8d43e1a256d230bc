"""Schema and docs routes, included by an app's API urls ahead of bangfu/urls.py's own
``schema/`` and ``docs/`` entries so that both require a login (see docs.py)."""

from django.urls import path

from .docs import DocsView, SchemaView

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="schema"), name="api-docs"),
]
