"""Every list and object page of the economy apps costs the same number of queries for one record
as for several (no N+1)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.assistance import testing as at
from bangfu.commitments import testing as commitment_testing
from bangfu.commitments.services import commitments
from bangfu.consumption import testing as consumption_testing
from bangfu.cooperatives import testing
from bangfu.cooperatives.services import cooperatives
from bangfu.core.testing import make_household
from bangfu.credit import testing as credit_testing
from bangfu.employment import testing as employment_testing


def _add(world, coop, product, agreement, commitment, i):
    household = make_household("451423100201")
    member = testing.make_member(coop, household)
    cooperatives.pay_dividend(coop, 2019, Decimal("10") + i, membership=member)
    cooperatives.add_contract(
        coop, buyer=f"买方{i}", product="半夏", start_date=datetime.date(2019, 1, 1)
    )
    credit_testing.make_loan(household, product)
    employment_testing.make_job(household.members.first(), agreement=agreement)
    consumption_testing.make_purchase(world.county, cooperative=coop, village=None)
    commitment_testing.make_commitment(household, unit=world.county)
    commitments.record_payment(
        commitment, commitment.start_date.replace(month=9 + i), Decimal("1000")
    )
    testing.make_cooperative(name=f"合作社{i}", unit=world.county)


@pytest.mark.parametrize(
    "url",
    [
        lambda o: reverse("cooperatives:cooperative_list"),
        lambda o: reverse("cooperatives:cooperative", args=[o["coop"].pk]),
        lambda o: reverse("cooperatives:membership_list"),
        lambda o: reverse("cooperatives:dividend_list"),
        lambda o: reverse("commitments:payment_list"),
        lambda o: reverse("cooperatives:industry_coverage"),
        lambda o: reverse("cooperatives:covered"),
        lambda o: reverse("credit:loan_list"),
        lambda o: reverse("credit:product", args=[o["product"].pk]),
        lambda o: reverse("employment:job_list"),
        lambda o: reverse("employment:agreement_list"),
        lambda o: reverse("consumption:purchase_list"),
        lambda o: reverse("commitments:commitment_list"),
        lambda o: reverse("commitments:commitment", args=[o["commitment"].pk]),
        lambda o: reverse("assistance:unit", args=[o["unit"].pk]),
    ],
)
def test_page_queries_do_not_grow_with_the_records(regions, household, users, login, url):
    world = at.make_world()
    coop = testing.make_cooperative(unit=world.county)
    product = credit_testing.make_product()
    agreement = employment_testing.make_agreement(unit=world.county)
    commitment = commitment_testing.make_commitment(household, datetime.date(2019, 9, 1))
    objects = {"coop": coop, "product": product, "commitment": commitment, "unit": world.county}
    client = login(users["county"])
    _add(world, coop, product, agreement, commitment, 0)
    target = url(objects)
    with CaptureQueriesContext(connection) as one:
        assert client.get(target).status_code == 200
    for i in range(1, 3):
        _add(world, coop, product, agreement, commitment, i)
    with CaptureQueriesContext(connection) as three:
        assert client.get(target).status_code == 200
    assert len(three) == len(one), target
