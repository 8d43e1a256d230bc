"""Village facts (村情): pages, API, audit and the import command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from bangfu.core.models import AuditEntry
from bangfu.regions.models import VillageYear
from bangfu.regions.services.village_facts import import_village_facts
from bangfu.regions.testing import make_village_year

HEADER = (
    "region_code,year,rural_population,featured_industry,road_to_village_hardened,"
    "clinic_with_doctor,public_service_venue,broadband,collective_income,committee_rated_good\n"
)
CN_HEADER = "区划代码,年度,户籍人口,特色产业,通村硬化路,卫生室和村医,公共服务场所,宽带,村集体经济收入,两委班子好\n"


def write(tmp_path, text, name="facts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_region_page_shows_facts_by_year_with_edit_link(users, login):
    old = make_village_year(year=2019, rural_population=1200)
    new = make_village_year(year=2020, rural_population=1234)
    r = login(users["village"]).get(reverse("regions:region", kwargs={"code": "451423100201"}))
    html = r.content.decode()
    assert "1234" in html and "1200" in html
    assert html.index('data-year="2020"') < html.index('data-year="2019"')
    assert reverse("regions:villageyear_edit", kwargs={"pk": new.pk}) in html
    assert reverse("regions:villageyear_edit", kwargs={"pk": old.pk}) in html
    # a viewer sees the facts but no edit link
    r = login(users["viewer"]).get(reverse("regions:region", kwargs={"code": "451423100201"}))
    html = r.content.decode()
    assert "1234" in html
    assert reverse("regions:villageyear_edit", kwargs={"pk": new.pk}) not in html


@pytest.mark.django_db
def test_village_without_facts_says_so(users, login):
    r = login(users["village"]).get(reverse("regions:region", kwargs={"code": "451423100201"}))
    assert "无村情数据" in r.content.decode()


@pytest.mark.django_db
def test_add_via_form_is_audited_and_rejects_a_township(users, login):
    c = login(users["village"])
    data = {
        "region": "451423100201",
        "year": 2020,
        "rural_population": 980,
        "featured_industry": "on",
        "clinic_with_doctor": "on",
        "collective_income": "12000.50",
    }
    r = c.post(reverse("regions:villageyear_add"), data)
    assert r.status_code == 302
    vy = VillageYear.objects.get(region_id="451423100201", year=2020)
    assert vy.collective_income == Decimal("12000.50")
    assert vy.road_to_village_hardened is False
    assert vy.western_region is True  # from the region tree
    assert (
        AuditEntry.objects.filter(object_type="regions.villageyear", action="create").count() == 1
    )
    # the same village and year again: refused, nothing written
    r = c.post(reverse("regions:villageyear_add"), data)
    assert r.status_code == 200 and VillageYear.objects.count() == 1
    # a village outside the user's scope is not offered
    r = c.post(reverse("regions:villageyear_add"), {**data, "region": "451423100202"})
    assert r.status_code == 200 and not VillageYear.objects.filter(region="451423100202")


@pytest.mark.django_db
def test_edit_audits_before_and_after(users, login):
    vy = make_village_year(collective_income=Decimal(0))
    c = login(users["county"])
    url = reverse("regions:villageyear_edit", kwargs={"pk": vy.pk})
    r = c.post(
        url,
        {
            "region": vy.region_id,
            "year": 2020,
            "rural_population": 1000,
            "collective_income": "8000",
        },
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.filter(object_type="regions.villageyear", action="update").get()
    assert Decimal(entry.before["collective_income"]) == 0
    assert Decimal(entry.after["collective_income"]) == 8000
    assert entry.subject_type == "regions.region" and entry.subject_id == "451423100201"


@pytest.mark.django_db
def test_list_filters_and_scope(users, login):
    make_village_year("451423100201", 2020)
    make_village_year("451423100202", 2020)
    make_village_year("451423100202", 2019)
    r = login(users["village"]).get(reverse("regions:villageyear_list"))
    assert {row.region_id for row in r.context["object_list"]} == {"451423100201"}
    r = login(users["county"]).get(reverse("regions:villageyear_list") + "?year=2019")
    assert [row.region_id for row in r.context["object_list"]] == ["451423100202"]


@pytest.mark.django_db
def test_api_create_and_scope(users, client):
    client.force_login(users["village"])
    url = "/api/village-facts/"
    body = {
        "region": "451423100201",
        "year": 2019,
        "rural_population": 700,
        "featured_industry": True,
        "road_to_village_hardened": True,
        "clinic_with_doctor": True,
        "public_service_venue": True,
        "broadband": False,
        "collective_income": "-1",
        "committee_rated_good": True,
    }
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 400
    assert "collective_income" in r.json()
    r = client.post(url, {**body, "collective_income": "3000"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["western_region"] is True
    r = client.post(
        url,
        {**body, "region": "451423100202", "collective_income": "1"},
        content_type="application/json",
    )
    assert r.status_code == 400
    make_village_year("451423100202", 2019)
    r = client.get(url)
    assert r.json()["count"] == 1


@pytest.mark.django_db
def test_import_upserts_by_village_and_year_with_chinese_headers(regions, tmp_path):
    make_village_year("451423100201", 2019, rural_population=1)
    path = write(
        tmp_path,
        CN_HEADER
        + '451423100201,2019,1500,是,是,是,否,Y,"12,000",√\n'
        + "451423100202000,2020,800,否,1,0,是,N,0,×\n",
    )
    result = import_village_facts(path)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    a = VillageYear.objects.get(region="451423100201", year=2019)
    assert a.rural_population == 1500 and a.collective_income == Decimal("12000")
    assert a.public_service_venue is False and a.committee_rated_good is True
    b = VillageYear.objects.get(region="451423100202", year=2020)
    assert b.road_to_village_hardened is True and b.clinic_with_doctor is False
    entries = AuditEntry.objects.filter(object_type="regions.villageyear")
    assert entries.filter(action="create").count() == 2  # the factory's and the import's
    upd = entries.get(action="update")
    assert upd.before["rural_population"] == 1 and upd.after["rural_population"] == 1500
    assert upd.source == "import"
    # the same file again changes nothing
    result = import_village_facts(path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


@pytest.mark.django_db
def test_import_errors_name_row_column_and_reason_and_write_nothing(regions, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "451423100201,2020,1500,是,是,是,是,是,100,是\n"
        + "451423100202,2020,abc,是,是,是,是,是,100,是\n"
        + "451423100,2020,100,是,是,是,是,是,100,是\n"
        + "451423100201,2020,1500,是,是,是,是,也许,100,是\n"
        + "451423100203,2020,1500,是,是,是,是,是,100,是\n",
    )
    result = import_village_facts(path)
    assert VillageYear.objects.count() == 0
    found = {(e.row, e.column): e.reason for e in result.errors}
    assert found[(3, "rural_population")] == "应为数字"
    assert "村" in found[(4, "region_code")]
    assert found[(5, "broadband")] == "应填“是”或“否”"
    assert "找不到" in found[(6, "region_code")]
    assert result.exit_code == 1


@pytest.mark.django_db
def test_import_duplicate_rows_and_empty_cells(regions, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "451423100201,2020,1500,是,是,是,是,是,100,是\n"
        + "451423100201,2020,1400,是,是,是,是,是,100,是\n"
        + "451423100202,2020,1400,是,是,是,是,是,,是\n",
    )
    result = import_village_facts(path)
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert "与第 2 行重复" in reasons[(3, "year")]
    assert reasons[(4, "collective_income")] == "必填"
    assert VillageYear.objects.count() == 0


@pytest.mark.django_db
def test_import_is_scoped_to_the_user(users, tmp_path):
    path = write(tmp_path, HEADER + "451423100202,2020,1500,是,是,是,是,是,100,是\n")
    result = import_village_facts(path, user=users["village"])
    assert "找不到" in result.errors[0].reason
    assert VillageYear.objects.count() == 0


@pytest.mark.django_db
def test_command_exit_codes(regions, tmp_path, capsys):
    good = write(tmp_path, HEADER + "451423100201,2020,1500,是,是,是,是,是,100,是\n")
    call_command("import_village_facts", str(good))
    assert "新增 1" in capsys.readouterr().out
    bad = write(tmp_path, HEADER + "451423100201,2021,x,是,是,是,是,是,100,是\n", "bad.csv")
    with pytest.raises(SystemExit) as exc:
        call_command("import_village_facts", str(bad))
    assert exc.value.code == 1
    missing = write(tmp_path, "region_code,year\n451423100201,2020\n", "missing.csv")
    with pytest.raises(SystemExit) as exc:
        call_command("import_village_facts", str(missing))
    assert exc.value.code == 2
    assert "缺少必填列" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        call_command("import_village_facts", str(tmp_path / "nope.csv"))
    assert exc.value.code == 2


@pytest.mark.django_db
def test_upload_page(users, login, tmp_path):
    c = login(users["village"])
    url = reverse("regions:villageyear_import")
    assert c.get(url).status_code == 200
    path = write(tmp_path, HEADER + "451423100201,2020,1500,是,是,是,是,是,100,是\n")
    with open(path, "rb") as f:
        r = c.post(url, {"file": f})
    assert 'data-result="done"' in r.content.decode()
    assert VillageYear.objects.filter(region="451423100201", year=2020).exists()
    assert login(users["viewer"]).get(url).status_code == 403


@pytest.mark.django_db
def test_demo_facts_use_the_registry_demos_population(regions):
    from bangfu.regions.services import demo

    n = demo.build(2000)
    rows = VillageYear.objects.filter(region="451423100201").order_by("year")
    assert [r.year for r in rows] == [2015, 2016, 2017, 2018, 2019, 2020]
    assert {r.rural_population for r in rows} == {3947}  # registry demo's 新联村 at 2,000
    assert n == VillageYear.objects.count()
    assert AuditEntry.objects.filter(object_type="regions.villageyear").count() == n
    assert demo.build(2000) == 0  # a second run adds nothing


@pytest.mark.django_db
def test_import_xlsx_with_title_row_and_gb18030_csv(regions, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["龙州县 2020 年村情统计表"])
    ws.append(CN_HEADER.strip().split(","))
    ws.append(["451423100201", 2020, 1500, "是", "是", "是", "是", "是", 12000.5, "是"])
    path = tmp_path / "facts.xlsx"
    wb.save(path)
    result = import_village_facts(path)
    assert result.ok, result.errors
    assert VillageYear.objects.get(region="451423100201").collective_income == Decimal("12000.50")
    gb = tmp_path / "gb.csv"
    gb.write_bytes((CN_HEADER + "451423100202,2020,900,否,是,是,是,是,0,否\n").encode("gb18030"))
    result = import_village_facts(gb)
    assert result.ok, result.errors
    assert VillageYear.objects.get(region="451423100202").featured_industry is False
