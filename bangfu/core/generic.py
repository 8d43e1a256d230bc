"""Generic views every app reuses (NetBox style): list, object, edit, delete.

Conventions:
- `queryset` is the unscoped base queryset (`Household.objects.all()`); every lookup goes through
  `queryset.for_user(request.user)`, so an object outside the user's area is a 404.
- The object is looked up *before* the permission is checked: an out-of-scope object is a 404
  whatever the user's role; an in-scope object the user may not change is a 403.
- Object URLs take `pk` (int), regions take `code` (`lookup_kwarg`, `lookup_field`).
- Permissions are `<app>.<action>_<model>` of `queryset.model` (action view/add/change/delete);
  `permission_model` overrides the model (e.g. adding a member is `registry.add_member` while the
  URL names the household).
- Saves go through the models' own `save()` (AuditedModel), so the audit log needs nothing here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 25


def permission_name(model: type[models.Model], action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


class BaseView(View):
    queryset: models.QuerySet | None = None
    permission_action = "view"
    permission_model: type[models.Model] | None = None
    template_name: str | None = None

    @property
    def model(self) -> type[models.Model]:
        if self.queryset is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset")
        return self.queryset.model

    def get_permission(self, action: str | None = None) -> str:
        return permission_name(
            self.permission_model or self.model, action or self.permission_action
        )

    def has_permission(self, action: str | None = None) -> bool:
        return self.request.user.has_perm(self.get_permission(action))

    def check_permission(self, action: str | None = None) -> None:
        if not self.has_permission(action):
            raise PermissionDenied

    def get_queryset(self) -> models.QuerySet:
        """The base queryset restricted to the user's area."""
        return self.queryset.all().for_user(self.request.user)

    def get_extra_context(self, **kwargs) -> dict:
        return {}

    def base_context(self) -> dict:
        model = self.permission_model or self.model
        opts = model._meta
        return {
            "model": model,
            "verbose_name": opts.verbose_name,
            "verbose_name_plural": opts.verbose_name_plural,
        }


class ObjectMixin:
    lookup_kwarg = "pk"
    lookup_field = "pk"

    def get_object(self):
        value = self.kwargs.get(self.lookup_kwarg)
        try:
            return self.get_queryset().get(**{self.lookup_field: value})
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


class ObjectListView(BaseView):
    """A paginated, filtered list of the rows in the user's area.

    Subclasses set `queryset`, `filterset` (a django-filter FilterSet class), `table` (a
    `core.tables.Table` subclass) and optionally `template_name`. An htmx request gets only the
    results partial (`results_template`), so filters update the list in place.
    """

    filterset = None
    table = None
    template_name = "core/object_list.html"
    results_template = "includes/list_results.html"
    per_page = DEFAULT_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.check_permission("view")
        queryset = self.get_queryset()
        filterset = None
        if self.filterset is not None:
            filterset = self.filterset(request.GET or None, queryset=queryset, request=request)
            self.customize_filter_form(filterset.form)
            queryset = filterset.qs if filterset.is_bound else filterset.queryset
        queryset = self.annotate(queryset)
        page = self.paginate(queryset)
        table = self.table(page.object_list, request=request) if self.table else None
        context = {
            **self.base_context(),
            "filterset": filterset,
            "filter_form": filterset.form if filterset is not None else None,
            "page_obj": page,
            "paginator": page.paginator,
            "table": table,
            "object_list": page.object_list,
            "results_template": self.results_template,
            "can_add": self.has_permission("add"),
            "query_without_page": self.query_without("page"),
        }
        context.update(self.get_extra_context(filterset=filterset, page=page))
        template = self.results_template if is_htmx(request) else self.template_name
        return render(request, template, context)

    def customize_filter_form(self, form) -> None:
        """Hook: adapt the filter form to the user (e.g. offer only regions in scope)."""

    def annotate(self, queryset):
        """Hook: select_related / annotate what the table shows (no N+1)."""
        return queryset

    def get_per_page(self) -> int:
        try:
            value = int(self.request.GET.get("per_page", self.per_page))
        except ValueError:
            return self.per_page
        return value if value in PER_PAGE_CHOICES else self.per_page

    def paginate(self, queryset):
        paginator = Paginator(queryset, self.get_per_page())
        try:
            return paginator.page(self.request.GET.get("page") or 1)
        except PageNotAnInteger:
            return paginator.page(1)
        except EmptyPage:
            return paginator.page(paginator.num_pages)

    def query_without(self, *names: str) -> str:
        params = self.request.GET.copy()
        for name in names:
            params.pop(name, None)
        return params.urlencode()


class ObjectView(ObjectMixin, BaseView):
    """One object from the user's area; 404 when it is outside."""

    template_name = None

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_permission("view")
        context = {
            **self.base_context(),
            "object": obj,
            "can_change": self.has_permission("change"),
            "can_delete": self.has_permission("delete"),
        }
        context.update(self.get_extra_context(object=obj))
        return render(request, self.template_name, context)


class ObjectEditView(ObjectMixin, BaseView):
    """Create (no `pk` in the URL) or change an object with a form.

    `form_class` receives `instance` and `user` (`get_form_kwargs`). `save_form(form)` writes and
    returns the saved object; raise `django.core.exceptions.ValidationError` there to refuse the
    save and show the form again with the user's input kept.
    """

    form_class = None
    template_name = "core/object_edit.html"
    # When the URL names a parent (e.g. a household for a new member), the view is a create view
    # for `permission_model` and `get_object` returns the parent.
    creates_child = False

    def is_create(self) -> bool:
        return self.creates_child or self.kwargs.get(self.lookup_kwarg) is None

    def get_edit_object(self):
        if self.creates_child or self.kwargs.get(self.lookup_kwarg) is not None:
            return self.get_object()
        return None

    def get_instance(self, obj):
        """The instance the form edits: the object itself, or a new child of it."""
        return obj if obj is not None else self.model()

    def get_form_kwargs(self, obj) -> dict:
        return {"instance": self.get_instance(obj), "user": self.request.user}

    def get_form(self, obj, data=None, files=None):
        return self.form_class(data=data, files=files, **self.get_form_kwargs(obj))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.get_edit_object()
        self.check_permission("add" if self.is_create() else "change")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form(self.object))

    def post(self, request, *args, **kwargs):
        form = self.get_form(self.object, request.POST, request.FILES)
        if form.is_valid():
            from django.core.exceptions import ValidationError

            try:
                with transaction.atomic():
                    saved = self.save_form(form)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, self.success_message(saved))
                return HttpResponseRedirect(self.get_success_url(saved))
        return self.render_form(form, status=200)

    def save_form(self, form):
        return form.save()

    def success_message(self, obj) -> str:
        return _("已保存：%(obj)s") % {"obj": obj}

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def get_cancel_url(self) -> str:
        return self.request.META.get("HTTP_REFERER") or "/"

    def get_title(self) -> str:
        model = self.permission_model or self.model
        name = model._meta.verbose_name
        return (_("新增%(name)s") if self.is_create() else _("修改%(name)s")) % {"name": name}

    def render_form(self, form, status=200):
        context = {
            **self.base_context(),
            "object": self.object,
            "form": form,
            "title": self.get_title(),
            "cancel_url": self.get_cancel_url(),
        }
        context.update(self.get_extra_context(object=self.object, form=form))
        return render(self.request, self.template_name, context, status=status)


class ServiceEditView(ObjectEditView):
    """An edit view whose save goes through a service (`save_form`) in one transaction; the
    service's ValidationError is shown next to the fields it names (the form's
    `add_service_error`, e.g. `assistance.forms.ServiceFormMixin`) and nothing is written."""

    def post(self, request, *args, **kwargs):
        form = self.get_form(self.object, request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = self.save_form(form)
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, self.success_message(saved))
                return HttpResponseRedirect(self.get_success_url(saved))
        return self.render_form(form)


class ObjectDeleteView(ObjectMixin, BaseView):
    """Confirm (GET) and delete (POST) an object; the delete is audited by the model."""

    template_name = "core/object_delete.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.get_object()
        self.check_permission("delete")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        context = {
            **self.base_context(),
            "object": self.object,
            "cancel_url": self.get_return_url(),
        }
        context.update(self.get_extra_context(object=self.object))
        return render(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        url = self.get_return_url()
        label = str(self.object)
        with transaction.atomic():
            self.object.delete()
        messages.success(request, _("已删除：%(obj)s") % {"obj": label})
        return HttpResponseRedirect(url)

    def get_return_url(self) -> str:
        raise NotImplementedError
