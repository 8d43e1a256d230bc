import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bangfu.funds import testing
from bangfu.funds.choices import ProjectStatus
from bangfu.funds.services import projects

D = datetime.date


@pytest.mark.django_db
def test_completed_before_started_refused(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_project(
            status=ProjectStatus.COMPLETED, start_date=D(2020, 5, 1), completion_date=D(2020, 4, 30)
        )
    assert "早于开工日期" in exc.value.message_dict["completion_date"][0]


@pytest.mark.django_db
def test_accepted_requires_completed(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_project(status=ProjectStatus.ACCEPTED, start_date=D(2020, 5, 1))
    assert "不能验收" in exc.value.message_dict["status"][0]
    project = testing.make_project(
        status=ProjectStatus.ACCEPTED, start_date=D(2020, 5, 1), completion_date=D(2020, 9, 1)
    )
    assert project.pk


@pytest.mark.django_db
def test_underway_needs_start_and_village_level(regions):
    with pytest.raises(ValidationError) as exc:
        testing.make_project(status=ProjectStatus.UNDERWAY)
    assert "start_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        testing.make_project(village="451423100")
    assert "village" in exc.value.message_dict


@pytest.mark.django_db
def test_budget_bounds(regions):
    for budget, reason in (("0", "大于0"), ("10000000001", "100亿")):
        with pytest.raises(ValidationError) as exc:
            testing.make_project(budget=budget)
        assert reason in exc.value.message_dict["budget"][0]


@pytest.mark.django_db
def test_beneficiaries_in_the_county(household, other_household, far_household):
    project = testing.make_project()
    projects.set_beneficiaries(project, [household, other_household])  # same county
    assert project.beneficiaries.count() == 2
    with pytest.raises(ValidationError) as exc:
        projects.set_beneficiaries(project, [household, far_household])
    assert far_household.household_no in exc.value.message_dict["beneficiaries"][0]
    assert project.beneficiaries.count() == 2  # unchanged


@pytest.mark.django_db
def test_outputs(regions):
    project = testing.make_project()
    output = projects.add_output(project, "硬化道路", Decimal("3.5"), "公里")
    output.refresh_from_db()
    assert str(output) == "硬化道路 3.5公里"
    with pytest.raises(ValidationError):
        projects.add_output(project, "路灯", Decimal("0"), "盏")


@pytest.mark.django_db
def test_village_fixed_once_funded(regions):
    from bangfu.funds.services import allocations
    from bangfu.regions.models import Region

    project = testing.make_project()
    project.village = Region.objects.get(pk=testing.LUOHUI)
    projects.save_project(project)  # no money yet: moving is fine
    allocations.allocate(
        amount=Decimal("1"),
        date=testing.DAY,
        purpose="p",
        source=testing.make_source(),
        project=project,
    )
    project.village = Region.objects.get(pk=testing.XINLIAN)
    with pytest.raises(ValidationError) as exc:
        projects.save_project(project)
    assert "不能改到其他村" in exc.value.message_dict["village"][0]
