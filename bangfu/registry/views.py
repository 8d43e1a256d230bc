"""Pages of the registry: the household list, a household's file and the edit forms.

Every view starts from `Model.objects.for_user(request.user)` (through core.generic), so a
household outside the user's area is a 404 and the lists show only the user's area.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.generic import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView
from bangfu.core.privacy import id_number_for, phone_for
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from .choices import Relation
from .filters import HouseholdFilterSet
from .forms import HouseholdForm, MemberForm, MemberSurveyForm, StatusChangeForm, SurveyForm
from .models import Household, Member, MemberSurvey, StatusChange, Survey
from .services.households import change_history, create_household, update_household
from .tables import HouseholdTable

# Above this many regions in scope the region filter is a text box for a code, not a list.
REGION_CHOICES_LIMIT = 1500


def household_url(household) -> str:
    return reverse("registry:household", kwargs={"pk": household.pk})


def age_on(born: datetime.date | None, day: datetime.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class HouseholdListView(ObjectListView):
    queryset = Household.objects.all()
    filterset = HouseholdFilterSet
    table = HouseholdTable
    template_name = "registry/household_list.html"
    results_template = "registry/household_list_results.html"

    def customize_filter_form(self, form):
        regions = list(
            Region.objects.for_user(self.request.user)
            .filter(level__gte=Level.COUNTY, level__lte=Level.VILLAGE)
            .order_by("code")
            .values_list("code", "name", "level")[: REGION_CHOICES_LIMIT + 1]
        )
        if 0 < len(regions) <= REGION_CHOICES_LIMIT:
            indent = {Level.COUNTY: "", Level.TOWNSHIP: "　", Level.VILLAGE: "　　"}
            choices = [("", _("全部（我的区域）"))] + [
                (code, f"{indent.get(level, '')}{name}") for code, name, level in regions
            ]
            form.fields["region"] = forms.ChoiceField(
                label=_("区域"), choices=choices, required=False
            )
        else:
            form.fields["region"].widget.attrs.update(
                {"placeholder": _("区划代码"), "inputmode": "numeric"}
            )
        for name in ("status", "category"):
            form.fields[name].widget = forms.CheckboxSelectMultiple(
                choices=form.fields[name].choices
            )
        form.fields["cause"].choices = [("", _("全部")), *form.fields["cause"].choices[1:]]
        form.fields["q"].help_text = ""
        form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": _("姓名、户编号或证件号码末几位")}
        )
        form.fields["survey_year"].widget.attrs.update({"inputmode": "numeric"})
        # The search box first: it is what people use most.
        form.order_fields(["q", "region", "status", "category", "cause", "survey_year"])

    def annotate(self, queryset):
        head = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).values(
            "name"
        )[:1]
        size = (
            Member.objects.filter(household=OuterRef("pk"))
            .order_by()
            .values("household")
            .annotate(n=Count("pk"))
            .values("n")
        )
        latest = Survey.objects.filter(household=OuterRef("pk")).order_by("-year")
        return queryset.select_related("region__parent").annotate(
            head_name=Subquery(head),
            member_count=Coalesce(Subquery(size, output_field=IntegerField()), 0),
            latest_income=Subquery(latest.values("net_income_per_capita")[:1]),
            latest_year=Subquery(latest.values("year")[:1]),
        )


class HouseholdView(ObjectView):
    queryset = Household.objects.all()
    template_name = "registry/household.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region__parent")

    def get_extra_context(self, object=None, **kwargs):
        household = object
        user = self.request.user
        surveys = list(household.surveys.order_by("-year"))
        selected = None
        year = self.request.GET.get("year")
        if year and year.isdigit():
            selected = next((s for s in surveys if s.year == int(year)), None)
        if selected is None and surveys:
            selected = surveys[0]
        facts = {}
        if selected is not None:
            facts = {ms.member_id: ms for ms in MemberSurvey.objects.filter(survey=selected)}
        today = timezone.localdate()
        members = []
        for m in household.members.order_by("id"):
            members.append(
                {
                    "object": m,
                    "id_number": id_number_for(user, m.id_number),
                    "age": age_on(m.birth_date, today),
                    "facts": facts.get(m.pk),
                }
            )
        region = household.region
        return {
            "region_path": [*region.ancestors(), region],
            "phone": phone_for(user, household.phone),
            "members": members,
            "surveys": surveys,
            "selected_survey": selected,
            "status_changes": household.status_changes.order_by("-date", "-id"),
            "history": change_history(household, user),
            "can_add_member": user.has_perm("registry.add_member"),
            "can_change_member": user.has_perm("registry.change_member"),
            "can_delete_member": user.has_perm("registry.delete_member"),
            "can_add_survey": user.has_perm("registry.add_survey"),
            "can_change_survey": user.has_perm("registry.change_survey"),
            "can_change_status": user.has_perm("registry.add_statuschange")
            and user.has_perm("registry.change_household"),
        }


class HouseholdEditView(ObjectEditView):
    """New household (no pk) or edit one; saves go through services.households."""

    queryset = Household.objects.all()
    form_class = HouseholdForm
    template_name = "registry/household_edit.html"

    def save_form(self, form):
        if self.object is None:
            data = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
            return create_household(self.request.user, data)
        return update_household(
            self.object,
            form.changes(),
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data.get("status_reason", ""),
            status_date=form.cleaned_data.get("status_date"),
        )

    def get_success_url(self, obj):
        return household_url(obj)

    def get_cancel_url(self):
        return household_url(self.object) if self.object else reverse("registry:household_list")

    def get_title(self):
        return (
            _("新增贫困户")
            if self.object is None
            else _("修改贫困户 %(no)s") % {"no": self.object.household_no}
        )


class MemberAddView(ObjectEditView):
    """Add a member to the household named by `pk`."""

    queryset = Household.objects.all()
    permission_model = Member
    creates_child = True
    form_class = MemberForm

    def get_instance(self, obj):
        return Member(household=obj)

    def get_success_url(self, obj):
        return household_url(obj.household)

    def get_cancel_url(self):
        return household_url(self.object)

    def get_title(self):
        return _("新增家庭成员：%(no)s") % {"no": self.object.household_no}


class MemberEditView(ObjectEditView):
    queryset = Member.objects.select_related("household")
    form_class = MemberForm

    def get_success_url(self, obj):
        return household_url(obj.household)

    def get_cancel_url(self):
        return household_url(self.object.household)


class MemberDeleteView(ObjectDeleteView):
    queryset = Member.objects.select_related("household")

    def post(self, request, *args, **kwargs):
        member = self.object
        if member.relation == Relation.HEAD and member.household.members.count() > 1:
            messages.error(request, _("不能删除户主：请先把另一名成员设为户主。"))
            return HttpResponseRedirect(self.get_return_url())
        return super().post(request, *args, **kwargs)

    def get_return_url(self):
        return household_url(self.object.household)


class SurveyEditBase(ObjectEditView):
    """A survey year with the members' facts for that year (one sub-form per member)."""

    form_class = SurveyForm
    template_name = "registry/survey_edit.html"

    def household(self):
        raise NotImplementedError

    def member_forms(self, survey: Survey, data=None):
        existing = {}
        if survey.pk:
            existing = {ms.member_id: ms for ms in survey.member_surveys.all()}
        forms_ = []
        for member in self.household().members.order_by("id"):
            instance = existing.get(member.pk) or MemberSurvey(member=member)
            forms_.append(
                MemberSurveyForm(
                    data=data, instance=instance, member=member, prefix=f"m{member.pk}"
                )
            )
        return forms_

    def get(self, request, *args, **kwargs):
        form = self.get_form(self.object)
        return self.render_survey(form, self.member_forms(form.instance))

    def post(self, request, *args, **kwargs):
        form = self.get_form(self.object, request.POST)
        member_forms = self.member_forms(form.instance, request.POST)
        valid = form.is_valid()
        valid = all([f.is_valid() for f in member_forms]) and valid
        if valid:
            with transaction.atomic():
                survey = form.save()
                for f in member_forms:
                    ms = f.save(commit=False)
                    ms.survey = survey
                    ms.member = f.member
                    ms.save()
            messages.success(request, _("已保存 %(year)s 年度调查") % {"year": survey.year})
            return HttpResponseRedirect(household_url(survey.household) + f"?year={survey.year}")
        return self.render_survey(form, member_forms)

    def render_survey(self, form, member_forms):
        household = self.household()
        context = {
            **self.base_context(),
            "object": self.object,
            "household": household,
            "form": form,
            "member_forms": member_forms,
            "title": self.get_title(),
            "cancel_url": household_url(household),
        }
        return render(self.request, self.template_name, context)


class SurveyAddView(SurveyEditBase):
    queryset = Household.objects.all()
    permission_model = Survey
    creates_child = True

    def household(self):
        return self.object

    def get_instance(self, obj):
        return Survey(household=obj)

    def get_title(self):
        return _("新增年度调查：%(no)s") % {"no": self.object.household_no}


class SurveyEditView(SurveyEditBase):
    queryset = Survey.objects.select_related("household")

    def household(self):
        return self.object.household

    def get_title(self):
        return _("修改 %(year)s 年度调查：%(no)s") % {
            "year": self.object.year,
            "no": self.object.household.household_no,
        }


class StatusChangeView(ObjectEditView):
    """Record a status change (e.g. 自然减少 with its reason) of the household named by `pk`."""

    queryset = Household.objects.all()
    permission_model = StatusChange
    creates_child = True
    form_class = StatusChangeForm

    def check_permission(self, action=None):
        super().check_permission(action)
        if not self.request.user.has_perm("registry.change_household"):
            raise PermissionDenied

    def get_form_kwargs(self, obj):
        return {"household": obj, "user": self.request.user}

    def save_form(self, form):
        return update_household(
            self.object,
            form.changes(),
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            status_date=form.cleaned_data["date"],
        )

    def success_message(self, obj):
        return _("已记录户类型变化：%(status)s") % {"status": obj.get_status_display()}

    def get_success_url(self, obj):
        return household_url(obj)

    def get_cancel_url(self):
        return household_url(self.object)

    def get_title(self):
        return _("户类型变化：%(no)s（现为%(status)s）") % {
            "no": self.object.household_no,
            "status": self.object.get_status_display(),
        }
