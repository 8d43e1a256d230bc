"""`bangfu import-assistance` and `bangfu export-assistance` as scripts use them: exit codes 0,
1 and 2, the summary, the error report with the sheet column, --lang en, --user scope."""

from __future__ import annotations

import csv

import pytest

from bangfu import cli
from bangfu.assistance.models import Posting, Unit
from bangfu.assistance.testing import XINLIAN

from .test_import import (
    POSTING_HEADERS,
    UNIT_HEADERS,
    csv_file,
    import_dir,  # noqa: F401 - the autouse fixture
    workbook,
)

COUNTY = "龙州县公安局"


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch):
    """`bangfu` (run_from_argv) closes every connection when it ends; in a test that would end
    the test's transaction on PostgreSQL."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args) -> int:
    try:
        cli.main(["bangfu", *args])
    except SystemExit as exc:
        return exc.code or 0
    return 0


def good(tmp_path):
    return workbook(
        tmp_path / "good.xlsx",
        {
            "驻村任职": [
                POSTING_HEADERS,
                [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-01-01", ""],
            ]
        },
    )


def bad(tmp_path):
    return workbook(
        tmp_path / "bad.xlsx",
        {
            "驻村任职": [
                POSTING_HEADERS,
                [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-01-01", ""],
                [COUNTY, "李民警", XINLIAN, "驻村工作队队员", "是", "2016-05-01", "2016-04-01"],
            ]
        },
    )


def test_exit_0_and_summary(world, tmp_path, capsys):
    assert run("import-assistance", str(good(tmp_path))) == 0
    out = capsys.readouterr().out
    assert "驻村任职：新增 1，更新 0，未变 0" in out and "拒绝 0 行" in out
    assert Posting.objects.count() == 1


def test_exit_1_nothing_written_and_report_with_sheet(world, tmp_path, capsys):
    report = tmp_path / "errors.csv"
    assert run("import-assistance", str(bad(tmp_path)), "--errors", str(report)) == 1
    err = capsys.readouterr().err
    assert "[驻村任职] 第 3 行 结束日期" in err and "结束日期不能早于开始日期" in err
    assert Posting.objects.count() == 0
    with open(report, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["工作表", "行号", "列", "值", "原因"],
        ["驻村任职", "3", "结束日期", "2016-04-01", "结束日期不能早于开始日期"],
    ]


def test_partial_and_english(world, tmp_path, capsys):
    report = tmp_path / "errors.xlsx"
    code = run(
        "import-assistance",
        str(bad(tmp_path)),
        "--partial",
        "--lang",
        "en",
        "--errors",
        str(report),
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "The end date cannot be earlier than the start date" in err
    assert Posting.objects.count() == 1
    import openpyxl

    sheet = openpyxl.load_workbook(report).active
    assert [c.value for c in sheet[1]] == ["sheet", "row", "column", "value", "reason"]


@pytest.mark.parametrize(
    "content",
    [
        b"",  # empty
        b"\x00\x01\x02binary\x00",  # not a spreadsheet
        b"a,b,c\n1,2,3\n",  # no header row of any kind
    ],
)
def test_exit_2_unreadable(regions, tmp_path, content, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    assert run("import-assistance", str(path)) == 2
    assert capsys.readouterr().err.strip()


def test_exit_2_unknown_kind(regions, tmp_path, capsys):
    path = csv_file(tmp_path / "u.csv", [UNIT_HEADERS, ["甲", "党政机关", "", "", "", ""]])
    assert run("import-assistance", str(path), "--kind", "visits") == 2
    assert "未知的数据类型" in capsys.readouterr().err
    assert not Unit.objects.exists()


def test_kind_given_for_a_csv(regions, tmp_path):
    path = csv_file(tmp_path / "u.csv", [UNIT_HEADERS, ["甲", "党政机关", "", "", "", ""]])
    assert run("import-assistance", str(path), "--kind", "units") == 0
    assert Unit.objects.get().name == "甲"


def test_workbook_without_assistance_sheets_is_2(regions, tmp_path):
    path = workbook(tmp_path / "w.xlsx", {"Sheet1": [["hello", "world"], [1, 2]]})
    assert run("import-assistance", str(path)) == 2


def test_user_option_limits_scope(world, users, tmp_path, capsys):
    assert run("import-assistance", str(good(tmp_path)), "--user", "other_county") == 1
    assert "不在您的管辖范围内" in capsys.readouterr().err
    assert run("import-assistance", str(good(tmp_path)), "--user", "viewer") == 2
    assert run("import-assistance", str(good(tmp_path)), "--user", "nobody") == 2
    assert Posting.objects.count() == 0


def test_export_command(world, tmp_path, capsys):
    out = tmp_path / "all.xlsx"
    assert run("export-assistance", "--output", str(out)) == 0
    assert "已导出 11 行" in capsys.readouterr().out
    one = tmp_path / "units.csv"
    assert (
        run(
            "export-assistance",
            "--output",
            str(one),
            "--kind",
            "units",
            "--unit",
            str(world.city.pk),
        )
        == 0
    )
    lines = one.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ",".join(UNIT_HEADERS)
    assert [line.split(",")[0] for line in lines[1:]] == ["崇左市公安局", "龙州县公安局"]
    assert run("export-assistance", "--output", str(tmp_path / "x.csv")) != 0
