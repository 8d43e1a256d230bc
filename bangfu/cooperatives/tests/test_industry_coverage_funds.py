"""产业覆盖率 with the funds app: an industry project's beneficiaries and households given an
industry subsidy or award (产业奖补) take part in an assisted industry; other money does not."""

from decimal import Decimal

from bangfu.cooperatives.services.coverage import covered_households
from bangfu.core.testing import make_household
from bangfu.funds import testing as funds_testing
from bangfu.funds.choices import AllocationKind, ProjectKind
from bangfu.funds.services import allocations, projects


def test_industry_projects_and_subsidies_count(users, household):
    beneficiary = make_household("451423100201")
    subsidised = make_household("451423100201")
    aided = make_household("451423100201")
    orchard = funds_testing.make_project(kind=ProjectKind.INDUSTRY)
    road = funds_testing.make_project(kind=ProjectKind.INFRASTRUCTURE)
    projects.set_beneficiaries(orchard, [beneficiary])
    projects.set_beneficiaries(road, [household])
    source = funds_testing.make_source("50000.00")
    for target, kind, purpose in (
        (subsidised, AllocationKind.AWARD, "产业奖补"),
        (aided, AllocationKind.AID, "危房改造救助"),
    ):
        allocations.allocate(
            amount=Decimal("3000.00"),
            date=funds_testing.DAY,
            purpose=purpose,
            kind=kind,
            source=source,
            household=target,
        )
    covered = set(covered_households(users["county"]).values_list("pk", flat=True))
    assert beneficiary.pk in covered and subsidised.pk in covered
    assert household.pk not in covered and aided.pk not in covered
