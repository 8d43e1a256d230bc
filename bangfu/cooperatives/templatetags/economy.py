"""`{% household_economy household as he %}`: what the household takes part in or receives from
the economy apps — cooperative memberships, jobs, loans, commitments — each from the user's
scoped records and only when the user may view that kind (one query per kind); None when there
is nothing to show."""

from django import template
from django.apps import apps

register = template.Library()
LIMIT = 20


@register.simple_tag(takes_context=True)
def household_economy(context, household):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return None
    result = {}
    if user.has_perm("cooperatives.view_membership"):
        from ..models import Membership

        result["memberships"] = list(
            Membership.objects.for_user(user)
            .filter(household=household)
            .select_related("cooperative")
            .order_by("-joined")[:LIMIT]
        )
    if apps.is_installed("bangfu.employment") and user.has_perm("employment.view_job"):
        from bangfu.employment.models import Job

        result["jobs"] = list(
            Job.objects.for_user(user)
            .filter(member__household=household)
            .select_related("member")
            .order_by("-year", "-start_date")[:LIMIT]
        )
    if apps.is_installed("bangfu.credit") and user.has_perm("credit.view_loan"):
        from bangfu.credit.models import Loan

        result["loans"] = list(
            Loan.objects.for_user(user)
            .filter(household=household)
            .select_related("product")
            .order_by("-date")[:LIMIT]
        )
    if apps.is_installed("bangfu.commitments") and user.has_perm("commitments.view_commitment"):
        from bangfu.commitments.models import Commitment

        result["commitments"] = list(
            Commitment.objects.for_user(user)
            .filter(household=household)
            .select_related("member", "unit")
            .order_by("-start_date")[:LIMIT]
        )
    return result or None
