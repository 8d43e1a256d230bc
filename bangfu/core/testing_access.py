"""The generic access test's machinery: every URL of the project, and the objects to try it with.

`bangfu/core/tests/test_access_generic.py` walks the URL resolver at test time, so whatever pages
and API endpoints exist when it runs are checked, with no hand-kept list of URLs:

- anonymous → the login page (pages) or 401/403 (API);
- a logged-in user in scope → not 404, not 500;
- an object URL (kwarg `pk` or `code`) → 200 for an object in the user's area, 404 for one
  outside it (never a 403 that confirms it exists), 404 for a county user of the other county;
- API list endpoints → only rows in scope, and `count` says so.

What a new app must provide so that its URLs are covered (otherwise the test FAILS and says so):

1. Object URLs name their object with the kwarg `pk` (or `code` for regions) and the view names
   its model: `queryset = Model.objects.all()` on the view class (generic views and DRF views
   alike; `permission_model` may point elsewhere for the permission).
2. The model is in `ACCESS_OBJECTS`: model label → a function of the `World` returning
   ``(object in 新联村 or its township/county, object in 罗回村)``, i.e. one object the village user
   (scope 451423100201) can reach and one they cannot — or, for a model whose records sit above
   village level, name another user in `SCOPE_USERS` (e.g. "county" for zones). Put the entry in
   `bangfu/<app>/testing_access.py` as a dict `ACCESS_OBJECTS`; it is merged in automatically.
3. A URL that answers POST only is listed in `POST_ONLY` (URL name → reason); a page reachable
   without login in `PUBLIC` (URL name → reason), also from `bangfu/<app>/testing_access.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

# Prefixes of URLs the generic test does not walk, with the reason.
SKIP_PREFIXES = {
    "admin/": "Django admin: its own permissions, staff only",
    "i18n/": "set_language (POST only, public by design)",
    "static/": "static files",
    "media/": "uploaded files",
    "__debug__/": "debug toolbar",
    "api/schema/": "tested in core/tests/test_api_schema.py",
    "api/docs/": "tested in core/tests/test_api_schema.py",
}

# URL name → why it answers POST only (a GET is a 405).
POST_ONLY: dict[str, str] = {
    "logout": "Django's LogoutView accepts POST only (CSRF-safe logout)",
    "accounts:logout": "Django's LogoutView accepts POST only (CSRF-safe logout)",
    "accounts:token": "creates or replaces the user's API token: a state change, POST only",
    "api-token": "obtaining an API token takes a username and password: POST (and DELETE) only",
    "attachment_upload": "uploading files changes the owner record: POST only",
    "attachment_delete": "deleting an attachment is a state change: POST only",
}

# URL name → why it is reachable without logging in.
PUBLIC: dict[str, str] = {
    "login": "the login page",
    "accounts:login": "the login page",
    "api-token": "obtaining an API token is how an API client logs in",
}

# model label → the user (a key of `World.users`) whose area the ACCESS_OBJECTS pair is measured
# against: "village" (新联村) unless the model's records sit above village level — e.g. a battle
# zone belongs to a county — then "county" (龙州县), with the out-of-scope object in 钟山县.
SCOPE_USERS: dict[str, str] = {}

# URL kwargs the test can fill from an object, and how.
KWARG_VALUES: dict[str, Callable[[models.Model], object]] = {
    "pk": lambda obj: obj.pk,
    "code": lambda obj: obj.pk,
}


@dataclass
class World:
    """The fixture world (conftest.py): users of every role and three households."""

    regions: dict
    users: dict
    household: models.Model
    other_household: models.Model
    far_household: models.Model
    cache: dict = field(default_factory=dict)


def _registry_objects(related: str):
    def objects(world: World):
        return (
            getattr(world.household, related).order_by("pk").first(),
            getattr(world.other_household, related).order_by("pk").first(),
        )

    return objects


def _member_survey_objects(world: World):
    from bangfu.registry.models import MemberSurvey

    return tuple(
        MemberSurvey.objects.filter(survey__household=h).order_by("pk").first()
        for h in (world.household, world.other_household)
    )


def _import_batch_objects(world: World):
    """Import batches are private to the user who ran them (and administrators): the village
    user's own batch, and one of the other village's user. Each has an error report on disk."""
    import os
    import tempfile

    import openpyxl

    from bangfu.core.models import ImportBatch

    batches = []
    for username in ("village", "other_village"):
        handle, path = tempfile.mkstemp(prefix="bangfu-access-", suffix=".xlsx")
        os.close(handle)
        openpyxl.Workbook().save(path)
        user = world.users[username]
        batches.append(
            ImportBatch.objects.create(
                kind="registry",
                filename="access.xlsx",
                user=user,
                status="rejected",
                error_file=path,
                scope=user.region_id or "",
            )
        )
    return tuple(batches)


# model label → (object in scope of users["village"], object out of it)
ACCESS_OBJECTS: dict[str, Callable[[World], tuple[models.Model, models.Model]]] = {
    "regions.region": lambda w: (w.regions["451423100201"], w.regions["451423100202"]),
    "registry.household": lambda w: (w.household, w.other_household),
    "registry.member": _registry_objects("members"),
    "registry.survey": _registry_objects("surveys"),
    "registry.statuschange": _registry_objects("status_changes"),
    "registry.membersurvey": _member_survey_objects,
    "core.importbatch": _import_batch_objects,
}


def _app_extensions() -> list:
    """`bangfu/<app>/testing_access.py` modules of the installed bangfu apps (core's is this one)."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu.") or config.name == "bangfu.core":
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.testing_access"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.testing_access":
                raise
    return modules


def merged(name: str) -> dict:
    """This module's dict `name` (ACCESS_OBJECTS, POST_ONLY, PUBLIC) plus every app's."""
    result = dict(globals()[name])
    for module in _app_extensions():
        result.update(getattr(module, name, {}))
    return result


def scope_user(model: type[models.Model] | None, world: World):
    """The user the model's ACCESS_OBJECTS pair is in and out of scope for (see SCOPE_USERS)."""
    label = model._meta.label_lower if model is not None else ""
    return world.users[merged("SCOPE_USERS").get(label, "village")]


def objects_for(model: type[models.Model], world: World):
    """(in-scope object, out-of-scope object) of `model`, or None when the model is not mapped."""
    label = model._meta.label_lower
    factory = merged("ACCESS_OBJECTS").get(label)
    if factory is None:
        return None
    if label not in world.cache:
        world.cache[label] = factory(world)
    return world.cache[label]


# --- discovering the URLs ---------------------------------------------------------------------


@dataclass
class Route:
    route: str  # the full pattern as written, e.g. "registry/households/<int:pk>/"
    name: str | None  # namespaced URL name, e.g. "registry:household"
    callback: Callable
    kwargs: tuple[str, ...]

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def actions(self) -> dict | None:
        """For a DRF viewset route: {"get": "list", "post": "create"}."""
        return getattr(self.callback, "actions", None)

    @property
    def is_api(self) -> bool:
        from rest_framework.views import APIView

        cls = self.view_class
        return isinstance(cls, type) and issubclass(cls, APIView)

    @property
    def display(self) -> str:
        text = self.route.replace("^", "").replace("$", "")
        for kwarg in self.kwargs:
            text = _replace_group(text, kwarg)
        return text or "/"

    @property
    def model(self) -> type[models.Model] | None:
        cls = self.view_class
        queryset = getattr(cls, "queryset", None)
        if isinstance(queryset, models.QuerySet):
            return queryset.model
        model = getattr(cls, "model", None)
        if isinstance(model, type) and issubclass(model, models.Model):
            return model
        return None

    @property
    def permission_model(self) -> type[models.Model] | None:
        model = getattr(self.view_class, "permission_model", None)
        return model if isinstance(model, type) else self.model

    @property
    def is_list(self) -> bool:
        """A DRF list endpoint: a viewset's `list` action or a ListAPIView-style view."""
        if self.actions is not None:
            return self.actions.get("get") == "list"
        from rest_framework.mixins import ListModelMixin

        cls = self.view_class
        return isinstance(cls, type) and issubclass(cls, ListModelMixin) and not self.kwargs

    @property
    def answers_get(self) -> bool:
        if self.actions is not None:
            return "get" in self.actions
        cls = self.view_class
        return cls is None or hasattr(cls, "get")

    def url(self, **kwargs) -> str:
        from django.urls import reverse

        return reverse(self.name, kwargs=kwargs or None)


def _replace_group(text: str, name: str) -> str:
    """`(?P<pk>[^/.]+)` → `<pk>` (balanced parentheses)."""
    start = text.find(f"(?P<{name}>")
    if start < 0:
        return text
    depth, i = 0, start
    while i < len(text):
        if text[i] == "(" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == ")" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[:start] + f"<{name}>" + text[i + 1 :]
        i += 1
    return text


def collect_routes() -> list[Route]:
    """Every URL pattern of the project except SKIP_PREFIXES, first match wins on duplicates."""
    routes: list[Route] = []
    seen: set[str] = set()

    def walk(patterns, prefix: str, namespace: str | None, kwargs: tuple[str, ...]):
        for p in patterns:
            own = tuple(p.pattern.regex.groupindex)
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, text, ns, kwargs + own)
            elif isinstance(p, URLPattern):
                plain = text.replace("^", "").replace("$", "")
                if plain.startswith(tuple(SKIP_PREFIXES)):
                    continue
                if plain in seen:
                    continue
                seen.add(plain)
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                routes.append(Route(text, name, p.callback, kwargs + own))

    walk(get_resolver().url_patterns, "", None, ())
    return routes
