"""The five standards and thresholds are loaded as data, exactly as standards.md lists them;
rules are validated against the field whitelist; a used version is immutable."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bangfu.standards.models import Standard, StandardItem, StandardVersion, Threshold
from bangfu.standards.testing import make_verdict

pytestmark = pytest.mark.django_db

ITEMS = {
    "cn-household": "income food_clothing education medical housing water",
    "gx-household": "income_source housing medical education road water electricity tv income",
    "cn-village": "incidence",
    "gx-village": "featured_industry housing medical education road water electricity "
    "public_service tv collective_income committee incidence",
    "gx-county": "featured_industry housing medical education road water electricity "
    "public_service social_assistance incidence",
}


def test_five_standards_with_items_in_order():
    assert sorted(Standard.objects.values_list("code", flat=True)) == sorted(ITEMS)
    for code, items in ITEMS.items():
        version = Standard.objects.get(code=code).current_version()
        assert list(version.items.values_list("code", flat=True)) == items.split()
    water = StandardItem.objects.get(version__standard__code="cn-household", code="water")
    assert (water.active_in(2018), water.active_in(2019)) == (False, True)


def test_default_poverty_lines_and_reload_keeps_edits():
    line = Threshold.objects.get(name="poverty_line", year=2015, province="")
    assert line.value == Decimal("2855")
    line.value = Decimal("2900")
    line.save()
    call_command("load_standards")
    line.refresh_from_db()
    assert line.value == Decimal("2900")
    assert Threshold.objects.get(name="poverty_line", year=2020).value == Decimal("4000")
    assert not Threshold.objects.filter(name="poverty_line", year=2021).exists()


def _item(expression, code="x"):
    version = StandardVersion.objects.create(
        standard=Standard.objects.get(code="cn-household"), number=9
    )
    return StandardItem(version=version, code=code, order=1, name="x", expression=expression)


@pytest.mark.parametrize(
    "expression, message",
    [
        ({"field": "survey.secret", "op": "eq", "value": True}, "未知字段：survey.secret"),
        ({"field": "survey.safe_water", "op": "like", "value": True}, "未知运算符"),
        ({"field": "survey.safe_water", "op": "eq", "value": "yes"}, "survey.safe_water"),
        ({"field": "survey.housing_safety", "op": "in", "value": ["A", "E"]}, "E"),
        ({"every_member": {"field": "survey.safe_water", "op": "eq", "value": True}}, "未知字段"),
        ({"field": "__import__('os')", "op": "eq", "value": 1}, "未知字段"),
        ({"builtin": "anything"}, "未知的内置规则"),
    ],
)
def test_unknown_field_or_bad_rule_is_rejected_on_save(expression, message):
    item = _item(expression)
    with pytest.raises(ValidationError) as e:
        item.save()
    assert message in str(e.value)
    assert not StandardItem.objects.filter(version__number=9).exists()


def test_valid_rule_saves():
    _item({"field": "survey.net_income_per_person", "op": "gt", "value": "5000"}).save()
    assert StandardItem.objects.filter(version__number=9).count() == 1


def test_version_used_by_a_verdict_is_immutable(household):
    verdict = make_verdict(household)
    item = verdict.version.items.get(code="income")
    item.name = "改"
    with pytest.raises(ValidationError, match="新建版本"):
        item.save()
    with pytest.raises(ValidationError, match="新建版本"):
        item.delete()


def test_threshold_edit_is_audited_and_used_by_the_next_evaluation(regions):
    from bangfu.core import testing
    from bangfu.core.models import AuditEntry
    from bangfu.standards.services.evaluate import evaluate

    h = testing.make_household("451423100201", members=1, income_per_person=3500)
    line = Threshold.objects.get(name="poverty_line", year=2020, province="")
    line.value = Decimal("3400")
    line.save()
    entry = AuditEntry.objects.get(object_type="standards.threshold", object_id=str(line.pk))
    assert (Decimal(entry.before["value"]), Decimal(entry.after["value"])) == (4000, 3400)
    result = evaluate("cn-household", 2020, "451423100201")
    assert [r.passed for r in result.rows if r.subject == h.household_no] == [True]
