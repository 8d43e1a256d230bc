"""The 项目受益户 import writes set-based (`PROJECT_BENEFICIARIES.bulk_writer` →
`projects.add_beneficiaries`): the same links, audit entries (on the project's page) and
refusals, with the same messages, as the row-by-row path (`add_beneficiary`); a household named
twice for a project refused across batches; a query count that does not grow with the rows."""

import dataclasses

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bangfu.core.models import AuditEntry
from bangfu.core.testing import make_household
from bangfu.funds import testing
from bangfu.funds.models import Project
from bangfu.funds.services import projects, sheets
from bangfu.funds.services.layouts import PROJECT_BENEFICIARIES

pytestmark = pytest.mark.django_db

Beneficiary = Project.beneficiaries.through
ROW_BY_ROW = dataclasses.replace(PROJECT_BENEFICIARIES, bulk_writer=None)


def write(tmp_path, pairs, name: str = "b.csv"):
    """`pairs`: (project name, household number) per row."""
    path = tmp_path / name
    body = "".join(f"{p},{h}\n" for p, h in pairs)
    path.write_text("项目名称,户编号\n" + body, encoding="utf-8")
    return path


def errors(result):
    """By row: the set-based path reports a batch's refusals when it writes the batch."""
    return sorted((e.row, e.column, e.value, e.reason) for e in result.errors)


def _not_row_by_row(link):
    raise AssertionError("the set-based path fell back to row by row")


def imported(path, layout, partial=False):
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = sheets.import_sheet(path, layout, partial=partial)
    links = list(Beneficiary.objects.order_by("pk").values_list("project_id", "household_id"))
    audit = [
        (e.action, e.object_repr, e.subject_type, e.subject_id, e.after)
        for e in AuditEntry.objects.filter(
            pk__gt=mark, object_type="funds.project_beneficiaries"
        ).order_by("pk")
    ]
    return result, links, audit


def both_ways(path, partial=False):
    """The same file set-based (never falling back to row by row) and, from the same state,
    row by row."""
    with transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(projects, "add_beneficiary", _not_row_by_row)
        bulk = imported(path, PROJECT_BENEFICIARIES, partial)
        transaction.set_rollback(True)
    return bulk, imported(path, ROW_BY_ROW, partial)


@pytest.fixture
def road(regions):
    return testing.make_project(name="新联村道路硬化")  # in 新联村, 龙州县


@pytest.fixture
def water(regions):
    return testing.make_project(name="罗回村饮水工程", village="451423100202")


def test_set_based_and_row_by_row_write_the_same(
    tmp_path, road, water, household, other_household, monkeypatch
):
    monkeypatch.setattr(sheets, "BATCH", 3)
    path = write(
        tmp_path,
        [
            (road.name, household.household_no),
            (road.name, other_household.household_no),  # another village of the county
            (water.name, household.household_no),
            (water.name, other_household.household_no),
        ],
    )
    bulk, one_by_one = both_ways(path)
    assert bulk[0].ok and bulk[0].created == one_by_one[0].created == 4
    assert bulk[1] == one_by_one[1] and len(bulk[1]) == 4
    assert bulk[2] == one_by_one[2] and len(bulk[2]) == 4
    action, text, subject_type, subject_id, after = bulk[2][0]
    assert (action, subject_type, subject_id) == ("create", "funds.project", str(road.pk))
    assert after == {"beneficiaries": household.household_no}
    assert text == f"{road} · {household.household_no}"
    assert list(road.beneficiaries.order_by("pk")) == [household, other_household]


def bad_file(tmp_path, road, water, household, other_household, far_household):
    projects.set_beneficiaries(water, [household])
    return write(
        tmp_path,
        [
            (road.name, household.household_no),  # 2: good
            (road.name, far_household.household_no),  # 3: another county
            (road.name, household.household_no),  # 4: the household of row 2 again
            (water.name, household.household_no),  # 5: already a beneficiary: unchanged
            (water.name, household.household_no),  # 6: … named again: a second link
            ("不存在的项目", household.household_no),  # 7: no such project
            (road.name, "999999999999"),  # 8: no such household
            (water.name, other_household.household_no),  # 9: good
        ],
    )


@pytest.fixture
def bad(tmp_path, road, water, household, other_household, far_household):
    return bad_file(tmp_path, road, water, household, other_household, far_household)


def test_each_rule_is_reported_on_its_row_and_column(bad, far_household):
    bulk, one_by_one = both_ways(bad)
    assert errors(bulk[0]) == errors(one_by_one[0])  # the same refusals, the same messages
    found = {(row, column): reason for row, column, _v, reason in errors(bulk[0])}
    assert sorted(found) == [
        (3, "户编号"),
        (4, "户编号"),
        (6, "户编号"),
        (7, "项目名称"),
        (8, "户编号"),
    ]
    assert far_household.household_no in found[(3, "户编号")]
    assert "不在项目所在村或县" in found[(3, "户编号")]
    assert "重复" in found[(4, "户编号")] and found[(6, "户编号")] == found[(4, "户编号")]
    assert "不存在的项目" in found[(7, "项目名称")] and "找不到" in found[(8, "户编号")]
    assert bulk[1] == one_by_one[1] and len(bulk[1]) == 1  # all or nothing: the earlier link
    assert bulk[2] == one_by_one[2] == []


def test_partial_keeps_the_good_rows(bad, road, water, household, other_household):
    bulk, one_by_one = both_ways(bad, partial=True)
    assert errors(bulk[0]) == errors(one_by_one[0]) and len(bulk[0].errors) == 5
    assert (bulk[0].created, bulk[0].unchanged) == (one_by_one[0].created, 1) == (2, 1)
    assert bulk[1] == one_by_one[1]
    assert bulk[1] == [
        (water.pk, household.pk),
        (road.pk, household.pk),
        (water.pk, other_household.pk),
    ]
    assert bulk[2] == one_by_one[2] and len(bulk[2]) == 2


def test_a_household_named_twice_is_refused_across_batches(
    tmp_path, road, household, other_household, monkeypatch
):
    monkeypatch.setattr(sheets, "BATCH", 3)
    monkeypatch.setattr(projects, "add_beneficiary", _not_row_by_row)
    third = make_household("451423100201")
    names = [h.household_no for h in (household, other_household, third)]
    path = write(tmp_path, [(road.name, n) for n in names + names[1:]])
    result = sheets.import_sheet(path, PROJECT_BENEFICIARIES, partial=True)
    assert [(e.row, e.column) for e in result.errors] == [(5, "户编号"), (6, "户编号")]
    assert result.created == 3 and road.beneficiaries.count() == 3


def test_query_count_grows_far_slower_than_the_rows(tmp_path, regions):
    households = [make_household("451423100201") for _ in range(20)]
    roads = [testing.make_project(name=f"道路{i}") for i in range(10)]

    def queries(pairs, name) -> int:
        with CaptureQueriesContext(connection) as ctx:
            result = sheets.import_sheet(write(tmp_path, pairs, name), PROJECT_BENEFICIARIES)
        assert result.created == len(pairs), result.errors
        return len(ctx.captured_queries)

    pairs = [(p.name, h.household_no) for p in roads for h in households]
    few, many = queries(pairs[:10], "few.csv"), queries(pairs[10:], "many.csv")
    assert len(pairs[10:]) == 190
    assert many - few < 180 / 10
