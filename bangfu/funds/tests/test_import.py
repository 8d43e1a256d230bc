"""Import of sources, donations and allocations: 万元 only when the header says so, row-numbered
errors naming the column and the reason, all or nothing, the spending rules row by row."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from bangfu.funds import testing
from bangfu.funds.models import Allocation, Donation, FundPool, FundSource
from bangfu.funds.services.importer import import_funds

pytestmark = pytest.mark.django_db


def csv_file(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SOURCES_WAN = """2020年扶贫资金到位表
资金来源类型,资金名称,年度,金额（万元）,区划代码,到位日期,文号
财政专项资金,道路硬化专项,2020,52.5,451423100201,2020-03-01,龙财〔2020〕1号
帮扶单位自筹,公安厅自筹,2020,0.0001,451423100201,2020/4/1,
"""


def test_wan_column_is_converted(tmp_path, regions):
    result = import_funds(csv_file(tmp_path, SOURCES_WAN), "sources")
    assert result.exit_code == 0, result.errors
    amounts = sorted(FundSource.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("1.00"), Decimal("525000.00")]


def test_plain_amount_is_yuan(tmp_path, regions):
    text = SOURCES_WAN.replace("金额（万元）", "金额")
    assert import_funds(csv_file(tmp_path, text), "sources").exit_code == 1  # 0.0001 yuan
    text = text.replace("0.0001", "3")
    assert import_funds(csv_file(tmp_path, text), "sources").exit_code == 0
    assert sorted(FundSource.objects.values_list("amount", flat=True)) == [
        Decimal("3.00"),
        Decimal("52.50"),
    ]


def test_errors_are_row_numbered_and_nothing_is_written(tmp_path, regions):
    text = (
        "资金来源类型,资金名称,金额,区划代码,到位日期\n"
        "财政专项资金,好的,100,451423100201,2020-01-01\n"
        "财政专项资金,负数,-5,451423100201,2020-01-01\n"
        "某种资金,类型错,5,451423100201,2020-01-01\n"
        "财政专项资金,太大,20000000000,451423100201,2020-01-01\n"
        "财政专项资金,外县,5,451122100201,2020-01-01\n"
    )
    from bangfu.core.testing import make_user

    user = make_user("clerk", "county", "451423")
    result = import_funds(csv_file(tmp_path, text), "sources", user=user)
    by_row = {e.row: e for e in result.errors}
    assert sorted(by_row) == [3, 4, 5, 6]
    assert by_row[3].column == "金额" and "大于0" in by_row[3].reason
    assert by_row[4].column == "资金来源类型" and "财政专项资金" in by_row[4].reason
    assert "100亿" in by_row[5].reason
    assert by_row[6].column == "区划代码" and "管辖范围" in by_row[6].reason
    assert not FundSource.objects.exists()
    result = import_funds(csv_file(tmp_path, text), "sources", user=user, partial=True)
    assert result.created == 1 and FundSource.objects.count() == 1


def test_both_amount_columns_refused(tmp_path, regions):
    text = "资金来源类型,资金名称,金额,金额(万元),区划代码,到位日期\n财政专项资金,x,1,1,451423100201,2020-01-01\n"
    result = import_funds(csv_file(tmp_path, text), "sources")
    assert result.exit_code == 1 and result.errors[0].row is None


def test_donations_are_one_source_each(tmp_path, regions):
    text = (
        "捐赠方,捐赠方类型,金额(万元),捐赠日期,用途,区划代码\n"
        "广西某药业公司,企业,100,2019-05-01,危房改造,451423100201\n"
        "某爱心人士,个人,0.5,2019-06-01,助学,451423100201\n"
    )
    assert import_funds(csv_file(tmp_path, text), "donations").exit_code == 0
    assert Donation.objects.count() == 2
    assert sorted(FundSource.objects.filter(kind="donation").values_list("amount", flat=True)) == [
        Decimal("5000.00"),
        Decimal("1000000.00"),
    ]


def test_allocations_follow_the_spending_rules_row_by_row(tmp_path, household, capsys):
    pool = testing.make_pool(name="危房改造资金池")
    testing.fill_pool(pool, "1000.00")
    text = (
        "资金池,拨付类型,户编号,金额,拨付日期,用途\n"
        f"危房改造资金池,救助,{household.household_no},600,2020-05-01,危房改造\n"
        f"危房改造资金池,救助,{household.household_no},500,2020-05-02,危房改造\n"
    )
    path = csv_file(tmp_path, text)
    result = import_funds(path, "allocations")
    assert [e.row for e in result.errors] == [3]
    assert "400.00元" in result.errors[0].reason and result.errors[0].column == "金额"
    assert not Allocation.objects.exists()
    pool.refresh_from_db()
    assert pool.balance == Decimal("1000.00")
    with pytest.raises(SystemExit) as exc:
        call_command("import_funds", str(path), "--kind", "allocations")
    assert exc.value.code == 1
    assert "第 3 行" in capsys.readouterr().err
    fixed = text.replace(",500,", ",400,")
    call_command("import_funds", str(csv_file(tmp_path, fixed)), "--kind", "allocations")
    assert FundPool.objects.get().balance == 0 and Allocation.objects.count() == 2


def test_chinese_punctuation_in_names_is_kept_and_found(tmp_path, regions):
    """A name is read as written: "（一期）" stays full-width (stored so, and found so), while
    full-width digits typed into a code are still read as the code."""
    projects = (
        "项目类型,项目名称,村代码,预算,项目状态,开工日期\n"
        "基础设施,新联村道路硬化（一期）,４５１４２３１００２０１,10000,在建,2020-03-01\n"
    )
    result = import_funds(csv_file(tmp_path, projects, "p.csv"), "projects")
    assert result.exit_code == 0, result.errors
    from bangfu.funds.models import Project, ProjectOutput

    project = Project.objects.get()
    assert project.name == "新联村道路硬化（一期）" and project.village_id == "451423100201"
    outputs = "项目名称,产出名称,数量,计量单位\n新联村道路硬化（一期）,硬化道路,2.5,公里\n"
    result = import_funds(csv_file(tmp_path, outputs, "o.csv"), "project_outputs")
    assert result.exit_code == 0, result.errors
    assert ProjectOutput.objects.get().project == project
