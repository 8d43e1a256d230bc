"""The registry import as a county office meets it: messy files in, clear errors out."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.core.models import AuditEntry, ImportBatch
from bangfu.registry import idnumber
from bangfu.registry.models import Household, Member, MemberSurvey, StatusChange, Survey
from bangfu.registry.services.importer import import_registry
from bangfu.registry.tests.test_import_files import household_rows, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


def run(tmp_path, rows, **kwargs):
    path = to_csv(
        rows, tmp_path / "registry.csv", title_rows=kwargs.pop("titles", ["建档立卡信息表"])
    )
    return import_registry(path, **kwargs)


def reasons(result) -> list[tuple]:
    return [(e.row, e.column, e.value, e.reason) for e in result.errors]


def only_error(result):
    assert result.status == "rejected", result.summary()
    assert len(result.errors) >= 1
    return result.errors


# ------------------------------------------------------------------ a clean file


def test_clean_file_creates_households_members_surveys_and_history(regions, tmp_path):
    rows = household_rows("H001") + household_rows("H002", seq=300, members=2)
    result = run(tmp_path, rows)
    assert result.status == "done" and result.exit_code == 0
    assert (result.households_created, result.members_created) == (2, 5)
    h = Household.objects.get(household_no="H001")
    assert h.region_id == "451423100201"
    assert (h.category, h.status, h.main_cause) == ("ordinary", "not_exited", "illness")
    assert h.other_cause_list == ["lack_funds", "lack_skills"]
    assert h.phone == "13812345678"
    survey = Survey.objects.get(household=h, year=2020)
    assert survey.farmland_mu == Decimal("3.5") and survey.household_size == 3
    # (15000 + 3000 + 0 + 1200 - 600) / 3
    assert survey.net_income_per_capita == Decimal("6200.00")
    head = h.members.get(relation="head")
    assert head.sex == "male" and head.birth_date == datetime.date(1960, 1, 10)
    ms = MemberSurvey.objects.get(member=head, survey=survey)
    assert (ms.schooling, ms.work_status, ms.work_months, ms.pension_insurance) == (
        "not_in_school",
        "county",
        8,
        False,
    )
    change = StatusChange.objects.get(household=h)
    assert change.status == "not_exited" and change.reason == "导入：registry.csv"
    # every object created is in the audit log, attributed to the batch, shown on the household
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.status == "done" and batch.rows_total == 5 and batch.rows_done == 5
    # one entry per household, with its survey, status change, members and their facts nested
    entry = AuditEntry.objects.for_subject(h).get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "registry.household",
        str(h.pk),
    )
    assert (entry.import_batch_id, entry.source, entry.before) == (batch.pk, "import", None)
    assert entry.after["household_no"] == "H001" and entry.after["phone"] == "13812345678"
    assert (
        entry.after["survey"]["id"] == survey.pk and entry.after["survey"]["farmland_mu"] == "3.50"
    )
    assert entry.after["status_change"]["status"] == "not_exited"
    nested = {m["id_number"]: m for m in entry.after["members"]}
    assert set(nested) == set(h.members.values_list("id_number", flat=True))
    head_entry = nested[head.id_number]
    assert (head_entry["id"], head_entry["name"], head_entry["relation"]) == (
        head.pk,
        head.name,
        "head",
    )
    assert head_entry["facts"]["id"] == ms.pk and head_entry["facts"]["work_months"] == 8


def test_messy_spellings_are_understood(regions, tmp_path):
    rows = household_rows("H001", members=2)
    head_id = rows[0]["id_number"]
    fullwidth = (
        head_id[:-1].translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}) + head_id[-1]
    )
    rows[0].update(
        id_number=f"  {fullwidth} ",
        relation="户主",
        sex="男 ",
        birth_date="1960年1月10日",
        health="大病",
        category="五保户",
    )
    rows[1].update(relation="妻子", birth_date="1967/2/11", relocated="N", safe_water="y")
    for row in rows:
        row.update(
            region_code="４５１４２３１００２０１",
            registered_year="2015.0",
            relocated="×",
            safe_water="√",
            electricity="1",
            tv_access="Y",
            road_hardened="true",
            food_clothing_secure="是",
            category="五保户",
            other_causes="缺资金;缺技术",
        )
    result = run(tmp_path, rows, titles=["龙州县建档立卡信息表", "（2020 年）"])
    assert result.status == "done", reasons(result)
    h = Household.objects.get()
    assert h.category == "tekun" and h.region_id == "451423100201"
    survey = h.surveys.get()
    assert (survey.relocated, survey.safe_water, survey.electricity, survey.road_hardened) == (
        False,
        True,
        True,
        True,
    )
    assert h.members.get(relation="spouse").birth_date == datetime.date(1967, 2, 11)
    assert h.members.get(relation="head").surveys.get().health == "serious_illness"


def test_lower_case_x_check_character_is_accepted(regions, tmp_path):
    seq = next(
        s
        for s in range(1, 999, 2)
        if idnumber.make("451423", datetime.date(1960, 1, 10), s).endswith("X")
    )
    rows = household_rows("H001", members=1)
    rows[0]["id_number"] = idnumber.make("451423", datetime.date(1960, 1, 10), seq).lower()
    rows[0]["sex"] = ""
    result = run(tmp_path, rows)
    assert result.status == "done", reasons(result)
    assert Member.objects.get().id_number.endswith("X")


def test_english_aliases_as_headers_and_unknown_columns_reported(regions, tmp_path):
    from bangfu.registry.services.importer import COLUMNS

    rows = household_rows("H001", members=1)
    rows[0]["备注"] = "老党员"
    path = to_csv(rows, tmp_path / "en.csv", headers=[c.field for c in COLUMNS] + ["备注"])
    result = import_registry(path)
    assert result.status == "done", reasons(result)
    assert any("备注" in w for w in result.warnings)
    assert result.unknown_columns == ["备注"]
    from openpyxl import load_workbook

    rows = list(load_workbook(result.error_file).active.values)
    assert rows[1][:2] == (1, "备注") and "未导入" in rows[1][3]
    assert "备注" in ImportBatch.objects.get(pk=result.batch_id).message


def test_gb18030_csv_and_xlsx_with_merged_title(regions, tmp_path):
    rows = household_rows("H001", members=2)
    gb = to_csv(rows, tmp_path / "gb.csv", encoding="gb18030")
    assert import_registry(gb).status == "done"
    rows = household_rows("H002", seq=400, members=2)
    xlsx = to_xlsx(
        rows,
        tmp_path / "r.xlsx",
        title="龙州县建档立卡信息表",
        raw={
            (0, "survey_year"): 2020,
            (0, "farmland_mu"): 3.5,
            (0, "birth_date"): datetime.datetime(1960, 1, 10),
            (1, "birth_date"): 24514,
        },
    )
    result = import_registry(xlsx)
    assert result.status == "done", reasons(result)
    assert Household.objects.count() == 2


# ------------------------------------------------------------------ every bad input


def test_missing_required_column_names_the_column(regions, tmp_path):
    from bangfu.registry.services.importer import COLUMNS

    rows = household_rows("H001")
    headers = [c.header if c.field != "schooling" else "备用" for c in COLUMNS]
    path = to_csv(rows, tmp_path / "r.csv", headers=headers)
    result = import_registry(path)
    assert result.status == "rejected" and result.exit_code == 1
    assert any(e.column == "在校生状况" and "缺少必填列" in e.reason for e in result.errors)
    assert Household.objects.count() == 0


def test_empty_required_cell_is_missing_never_no(regions, tmp_path):
    rows = household_rows("H001", members=1)
    rows[0]["safe_water"] = ""
    rows[0]["medical_insurance"] = " "
    result = run(tmp_path, rows)
    errors = only_error(result)
    assert {(e.row, e.column) for e in errors} >= {(3, "饮水安全"), (3, "参加基本医疗保险")}
    assert all(e.reason == "必填，不能为空" for e in errors)
    assert Household.objects.count() == 0


@pytest.mark.parametrize(
    "value, reason",
    [
        ("45142319600110101", "应为 18 位"),
        ("451423196002301019", "出生日期 19600230 不存在"),
        ("4.51423E+17", "Excel"),
        ("451423196001101010.0", "Excel"),
        ("45142319600110A01X", "前 17 位应为数字"),
    ],
)
def test_invalid_id_numbers_rejected_with_reason(regions, tmp_path, value, reason):
    rows = household_rows("H001", members=1)
    rows[0]["id_number"] = value
    rows[0]["sex"] = rows[0]["birth_date"] = ""
    errors = only_error(run(tmp_path, rows))
    assert any(e.column == "证件号码" and reason in e.reason and e.row == 3 for e in errors), errors


def test_wrong_check_character_rejected(regions, tmp_path):
    rows = household_rows("H001", members=1)
    good = rows[0]["id_number"]
    rows[0]["id_number"] = good[:17] + ("0" if good[17] != "0" else "1")
    errors = only_error(run(tmp_path, rows))
    assert any("校验码错误" in e.reason and f"应为 {good[17]}" in e.reason for e in errors)


def test_eighteen_digits_that_lost_their_end_to_excel(regions, tmp_path):
    rows = household_rows("H001", members=1)
    rows[0]["id_number"] = rows[0]["id_number"][:15] + "000"
    rows[0]["sex"] = rows[0]["birth_date"] = ""
    errors = only_error(run(tmp_path, rows))
    if rows[0]["id_number"][17] != "0":
        assert any("Excel" in e.reason for e in errors)
    assert any(e.column == "证件号码" for e in errors)


def test_id_number_stored_as_excel_number_in_xlsx(regions, tmp_path):
    rows = household_rows("H001", members=1)
    rows[0]["sex"] = rows[0]["birth_date"] = ""
    path = to_xlsx(rows, tmp_path / "n.xlsx", raw={(0, "id_number"): 4.51423196001101e17})
    errors = only_error(import_registry(path))
    assert any(e.column == "证件号码" and "Excel" in e.reason and e.row == 2 for e in errors)


def test_sex_and_birth_date_must_agree_with_id(regions, tmp_path):
    rows = household_rows("H001", members=1)
    rows[0]["sex"] = "女"
    rows[0]["birth_date"] = "1960-01-11"
    errors = only_error(run(tmp_path, rows))
    assert any(e.column == "性别" and "证件号码" in e.reason for e in errors)
    assert any(e.column == "出生日期" and "1960-01-10" in e.reason for e in errors)


@pytest.mark.parametrize(
    "field, value, header, reason",
    [
        ("category", "富裕户", "贫困户属性", "不是可选的值"),
        ("status", "已出列", "户类型", "不是可选的值"),
        ("main_cause", "懒", "主要致贫原因", "不是可选的值"),
        ("other_causes", "因病、运气", "其他致贫原因", "“运气”不是致贫原因"),
        ("housing_safety", "E", "住房安全等级", "不是可选的值"),
        ("schooling", "大学", "在校生状况", "不是可选的值"),
        ("relocated", "也许", "是否易地扶贫搬迁", "应填“是”或“否”"),
        ("wage_income", "-5", "工资性收入", "不能为负数"),
        ("farmland_mu", "三亩", "耕地面积(亩)", "应为数字"),
        ("registered_year", "2013", "纳入年度", "2014"),
        ("work_months", "13", "务工时间(月)", "0 到 12"),
        ("phone", "12345", "联系电话", "联系电话"),
    ],
)
def test_bad_values_rejected_naming_row_column_value(
    regions, tmp_path, field, value, header, reason
):
    rows = household_rows("H001", members=2)
    for row in rows:
        row[field] = value
    errors = only_error(run(tmp_path, rows))
    match = [e for e in errors if e.column == header and reason in e.reason]
    assert match, errors
    assert match[0].row == 3 and match[0].value == value


def test_exit_year_required_when_exited(regions, tmp_path):
    rows = household_rows("H001", members=1, status="已脱贫")
    errors = only_error(run(tmp_path, rows))
    assert [(e.column, e.reason) for e in errors] == [
        ("脱贫年度", "户类型为已脱贫时必须填写脱贫年度")
    ]


def test_household_size_must_match_rows(regions, tmp_path):
    rows = household_rows("H001", members=3, household_size="4")
    errors = only_error(run(tmp_path, rows))
    assert any(
        e.column == "家庭人口数" and "有 3 行" in e.reason and e.value == "4" for e in errors
    )


def test_net_income_off_by_more_than_one_yuan(regions, tmp_path):
    ok = household_rows("H001", members=3, net_income_per_capita="6200.5")
    assert run(tmp_path, ok).status == "done"
    bad = household_rows("H002", seq=400, members=3, net_income_per_capita="6500")
    errors = only_error(run(tmp_path, bad))
    assert any(e.column == "人均纯收入" and "6200.00" in e.reason for e in errors)


def test_exactly_one_head(regions, tmp_path):
    rows = household_rows("H001", members=2)
    rows[1]["relation"] = "户主"
    errors = only_error(run(tmp_path, rows))
    assert any(e.column == "与户主关系" and "有 2 名" in e.reason and e.row == 4 for e in errors)
    rows = household_rows("H002", members=2)
    rows[0]["relation"] = "之子"
    errors = only_error(run(tmp_path, rows))
    assert any("有 0 名" in e.reason for e in errors)


def test_repeated_household_fields_must_agree(regions, tmp_path):
    rows = household_rows("H001", members=2)
    rows[1]["main_cause"] = "因残"
    errors = only_error(run(tmp_path, rows))
    [error] = errors
    assert (error.row, error.column, error.value) == (4, "主要致贫原因", "因残")
    assert "第 3 行为“因病”" in error.reason


def test_repeated_household_fields_checked_on_every_row_of_a_run(regions, tmp_path):
    """Rows repeating the previous row's household columns are staged once per run; a run of
    differing rows is still reported row by row, and households whose rows are interleaved in
    the file are still read back whole."""
    h1 = household_rows("H001", members=4)
    h2 = household_rows("H002", seq=400, members=2)
    for row in h1[2:]:
        row["main_cause"] = "因残"
    rows = [h1[0], h1[1], h2[0], h1[2], h1[3], h2[1]]  # data rows 3..8
    errors = only_error(run(tmp_path, rows))
    assert [(e.row, e.column, e.value) for e in errors] == [
        (6, "主要致贫原因", "因残"),
        (7, "主要致贫原因", "因残"),
    ]
    for row in h1[2:]:
        row["main_cause"] = "因病"
    result = run(tmp_path, rows)
    assert result.status == "done", reasons(result)
    assert Member.objects.filter(household__household_no="H001").count() == 4
    assert Member.objects.filter(household__household_no="H002").count() == 2


def test_duplicate_id_in_file_names_both_rows(regions, tmp_path):
    rows = household_rows("H001", members=2) + household_rows("H002", seq=400, members=1)
    rows[2].update(
        id_number=rows[1]["id_number"], sex=rows[1]["sex"], birth_date=rows[1]["birth_date"]
    )
    errors = only_error(run(tmp_path, rows))
    dup = {e.row: e.reason for e in errors if "重复" in e.reason}
    assert "第 5 行" in dup[4] and "第 4 行" in dup[5]


def test_id_already_in_another_household_names_both_numbers(regions, household, tmp_path):
    taken = household.members.first()
    rows = household_rows("H001", members=1)
    rows[0].update(id_number=taken.id_number, sex="", birth_date="")
    errors = only_error(run(tmp_path, rows))
    assert any(household.household_no in e.reason and "H001" in e.reason for e in errors)


@pytest.mark.parametrize(
    "code, reason",
    [
        ("451423100299", "不存在"),
        ("451423100000", "应为村或村民小组"),
        ("4514231002", "12 位"),
    ],
)
def test_region_must_be_an_existing_village(regions, tmp_path, code, reason):
    rows = household_rows("H001", members=1, region_code=code, village="")
    errors = only_error(run(tmp_path, rows))
    assert any(e.column == "行政区划代码" and reason in e.reason for e in errors), errors


def test_names_must_match_the_code(regions, tmp_path):
    rows = household_rows("H001", members=1, township="水口镇")
    errors = only_error(run(tmp_path, rows))
    assert any(e.column == "乡镇" and "下冻镇" in e.reason for e in errors)


def test_one_bad_row_writes_nothing_and_partial_writes_the_good_households(regions, tmp_path):
    rows = household_rows("H001") + household_rows("H002", seq=400, members=2)
    rows[4]["schooling"] = "读书"
    audit_count = AuditEntry.objects.count()
    result = run(tmp_path, rows)
    assert result.status == "rejected" and Household.objects.count() == 0
    assert AuditEntry.objects.count() == audit_count
    result = run(tmp_path, rows, partial=True)
    assert result.status == "partial" and result.exit_code == 1
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H001"]
    assert result.rows_rejected == 2 and result.households_created == 1


@pytest.mark.django_db(transaction=True)
def test_a_database_error_while_writing_leaves_nothing_written(regions, tmp_path, monkeypatch):
    """A write the database refuses late in the merge (here: member facts pointing at no
    member) fails the whole import, whether it surfaces in PostgreSQL's background writer or
    at SQLite's COMMIT: no household, no member, no audit entry of the batch."""
    from django.db import IntegrityError

    from bangfu.core.imports import bulk

    real_insert = bulk.insert

    def insert(table, cols, rows):
        if table == MemberSurvey._meta.db_table and rows:
            member = list(cols).index("member_id")
            rows = [rows[0][:member] + (987654321,) + rows[0][member + 1 :], *rows[1:]]
        real_insert(table, cols, rows)

    monkeypatch.setattr(bulk, "insert", insert)
    rows = household_rows("H001") + household_rows("H002", seq=400, members=2)
    with pytest.raises(IntegrityError):
        run(tmp_path, rows)
    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not AuditEntry.objects.filter(import_batch=batch).exists()


# ------------------------------------------------------------------ re-import


def test_reimport_changes_nothing_and_writes_no_audit(regions, tmp_path):
    rows = household_rows("H001") + household_rows(
        "H002", seq=400, members=2, status="已脱贫", exit_year="2019"
    )
    run(tmp_path, rows)
    audit_count, changes = AuditEntry.objects.count(), StatusChange.objects.count()
    result = run(tmp_path, rows)
    assert result.status == "done"
    assert (result.households_unchanged, result.members_unchanged) == (2, 5)
    assert (result.households_created, result.households_updated) == (0, 0)
    assert AuditEntry.objects.count() == audit_count
    assert StatusChange.objects.count() == changes
    assert Household.objects.get(household_no="H001").version == 1


def test_newer_file_updates_and_audits_every_change(regions, tmp_path):
    rows = household_rows("H001", members=3)
    run(tmp_path, rows)
    h = Household.objects.get()
    newer = household_rows(
        "H001", members=2, status="已脱贫", exit_year="2020", wage_income="20000"
    )
    newer[1]["name"] = "新名字"
    result = run(tmp_path, newer)
    assert result.status == "done", reasons(result)
    assert result.households_updated == 1 and result.members_updated >= 1
    h.refresh_from_db()
    assert h.status == "exited" and h.exit_year == 2020 and h.version == 2
    change = h.status_changes.latest("id")
    assert (change.previous_status, change.status) == ("not_exited", "exited")
    survey = h.surveys.get(year=2020)
    assert survey.wage_income == Decimal("20000") and survey.household_size == 2
    # the third member is no longer listed for 2020: that year's facts are removed (audited)
    third = Member.objects.get(id_number=rows[2]["id_number"])
    assert not MemberSurvey.objects.filter(member=third, survey=survey).exists()
    # one UPDATE entry for the household, holding only what changed in each of its records
    update = AuditEntry.objects.for_subject(h).get(import_batch=result.batch_id)
    assert (update.action, update.object_type, update.object_id) == (
        "update",
        "registry.household",
        str(h.pk),
    )
    assert update.before["status"] == "not_exited" and update.after["status"] == "exited"
    assert "category" not in update.after  # unchanged fields are left out
    assert update.after["status_change"]["id"] == change.pk
    assert update.before["survey"]["wage_income"] == "15000"
    assert update.after["survey"]["wage_income"] == "20000"
    assert update.after["survey"]["year"] == 2020
    renamed = Member.objects.get(id_number=rows[1]["id_number"])
    before_members = {m["id"]: m for m in update.before["members"]}
    after_members = {m["id"]: m for m in update.after["members"]}
    assert after_members[renamed.pk]["name"] == "新名字"
    assert before_members[renamed.pk]["name"] == rows[1]["name"]
    assert after_members[third.pk]["facts"] is None
    assert before_members[third.pk]["facts"]["schooling"] == "not_in_school"
    head = Member.objects.get(id_number=rows[0]["id_number"])
    assert head.pk not in after_members  # the head's records did not change


def test_a_new_year_adds_a_survey(regions, tmp_path):
    run(tmp_path, household_rows("H001"))
    result = run(tmp_path, household_rows("H001", survey_year="2021"))
    assert result.households_updated == 1
    assert list(Survey.objects.values_list("year", flat=True).order_by("year")) == [2020, 2021]


def test_group_code_15_digits(regions, tmp_path):
    from bangfu.regions.models import Region

    Region.objects.create(code="451423100201001", name="一组", level=6, parent_id="451423100201")
    rows = household_rows("H001", members=1, region_code="451423100201001", group="一组")
    result = run(tmp_path, rows)
    assert result.status == "done", reasons(result)
    h = Household.objects.get()
    assert h.region_id == "451423100201001" and h.group_name == "一组"


# ------------------------------------------------------------------ scope, language, file faults


def test_user_may_import_only_their_subtree(regions, users, tmp_path):
    rows = household_rows("H001", members=1) + household_rows(
        "H002", seq=400, members=1, region_code="451423100202", village="罗回村"
    )
    result = run(tmp_path, rows, user=users["village"])
    errors = [e for e in result.errors if e.column == "行政区划代码"]
    assert [e.row for e in errors] == [4] and "管辖范围" in errors[0].reason
    result = run(tmp_path, rows, user=users["county"])
    assert result.status == "done"
    entry = AuditEntry.objects.filter(import_batch=result.batch_id).first()
    assert entry.username == "county"


def test_reasons_in_english(regions, tmp_path):
    rows = household_rows("H001", members=1)
    rows[0]["safe_water"] = ""
    result = run(tmp_path, rows, lang="en")
    assert result.status == "rejected"
    # English reasons come from bangfu/locale/en (the msgid is shown until it is translated);
    # the report's headers are English at once.
    assert result.errors[0].reason
    from openpyxl import load_workbook

    sheet = load_workbook(result.error_file).active
    assert [c.value for c in sheet[1]] == ["row", "column", "value", "reason"]
    assert sheet.cell(2, 1).value == 3 and sheet.cell(2, 2).value == "饮水安全"


def test_unreadable_files_fail(regions, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert import_registry(empty).exit_code == 2
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x00\x01\x02garbage\x00")
    assert import_registry(binary).exit_code == 2
    noheader = tmp_path / "n.csv"
    noheader.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = import_registry(noheader)
    assert result.status == "failed" and "表头" in result.message
    assert ImportBatch.objects.get(pk=result.batch_id).status == "failed"


def test_the_household_entry_holds_every_created_record_as_stored(regions, tmp_path):
    """The nested values of the one CREATE entry are what the model's own audit snapshot
    would have recorded for each record (decimals, dates, booleans alike)."""
    from bangfu.core.audit import snapshot

    result = run(tmp_path, household_rows("H001", members=2, farmland_mu="2.25", wage_income="100"))
    h = Household.objects.get()
    entry = AuditEntry.objects.get(subject_type="registry.household", subject_id=str(h.pk))
    assert entry.action == "create" and entry.import_batch_id == result.batch_id
    assert entry.object_repr == "H001" and entry.object_id == str(h.pk)

    def stored(obj, *implied):
        values = snapshot(obj, obj.get_audit_fields())
        return {"id": obj.pk} | {k: v for k, v in values.items() if k not in implied}

    after = dict(entry.after)
    survey, members, status_change = (
        after.pop("survey"),
        after.pop("members"),
        after.pop("status_change"),
    )
    assert after == snapshot(h, h.get_audit_fields())
    assert survey == stored(h.surveys.get(), "household_id")
    assert status_change == stored(h.status_changes.get(), "household_id")
    assert len(members) == 2
    for nested in members:
        member = Member.objects.get(pk=nested["id"])
        facts = nested.pop("facts")
        assert nested == stored(member, "household_id")
        assert facts == stored(member.surveys.get(), "survey_id", "member_id")


def test_import_with_query_logging_on(regions, tmp_path):
    """DEBUG (the development default) formats every statement with its parameters."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection):
        result = run(tmp_path, household_rows("H001", farmland_mu="2.25"))
    assert result.status == "done"
    assert Survey.objects.get().farmland_mu == Decimal("2.25")


# ------------------------------------------------------------------ the household page's history


def _history(client, h) -> str:
    import re

    from django.urls import reverse

    html = client.get(reverse("registry:household", kwargs={"pk": h.pk})).content.decode()
    return re.search(r'<ol class="history">(.*?)</ol>', html, re.S).group(1)


def test_imported_household_history_lists_its_members_masked(regions, users, client, tmp_path):
    rows = household_rows("H001", members=3, phone="13912345678")
    assert run(tmp_path, rows, user=users["county"]).status == "done"
    h = Household.objects.get()
    client.force_login(users["township"])  # no accounts.view_personal_data
    history = _history(client, h)
    for row in rows:
        # each member of the one nested entry is listed by name, its ID number masked
        assert row["name"] in history
        assert row["id_number"] not in history
        assert row["id_number"][:4] + "**********" + row["id_number"][-4:] in history
    assert "13912345678" not in history and "139****5678" in history
    assert "2020 年度" in history and "非在校生" in history  # the survey and a member's facts
    assert "导入批次" in history
    client.force_login(users["county"])
    history = _history(client, h)
    assert all(row["id_number"] in history for row in rows)


def test_reimport_changes_show_before_and_after_per_member(regions, users, client, tmp_path):
    rows = household_rows("H001", members=3)
    run(tmp_path, rows)
    newer = household_rows("H001", members=2, wage_income="20000")
    newer[1]["name"] = "新名字"
    run(tmp_path, newer)
    client.force_login(users["county"])
    history = _history(client, Household.objects.get())
    entries = history.split("<div><strong>")[1:]  # one per audit entry, newest first
    assert len(entries) == 2
    update = entries[0]  # the re-import's
    assert "新名字" in update and rows[1]["name"] in update
    assert "15000" in update and "20000" in update  # the survey's wage income, before → after
    assert rows[2]["name"] in update  # whose facts for 2020 were removed
    assert rows[0]["name"] not in update  # the head did not change
