"""`bangfu import-registry` as scripts use it: exit codes, summary, errors, the error report."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command

from bangfu import cli
from bangfu.registry.models import Household
from bangfu.registry.tests.test_import_files import household_rows, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch):
    """`bangfu` (run_from_argv) closes every connection when it ends; in a test that would end
    the test's transaction on PostgreSQL."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def good_file(tmp_path):
    return to_csv(
        household_rows("H001") + household_rows("H002", seq=400, members=2), tmp_path / "ok.csv"
    )


def bad_file(tmp_path):
    rows = household_rows("H001") + household_rows("H002", seq=400, members=2)
    rows[3]["id_number"] = "4.51423E+17"
    return to_csv(rows, tmp_path / "bad.csv")


def test_exit_0_and_summary(regions, tmp_path, capsys):
    call_command("import_registry", str(good_file(tmp_path)))
    out = capsys.readouterr().out
    assert "户：新增 2" in out and "成员：新增 5" in out and "拒绝 0 行" in out
    assert Household.objects.count() == 2


def test_exit_1_with_errors_shown_and_nothing_written(regions, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("import_registry", str(bad_file(tmp_path)))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "第 5 行" in err and "证件号码" in err and "4.51423E+17" in err and "Excel" in err
    assert Household.objects.count() == 0


def test_partial_writes_valid_households(regions, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("import_registry", str(bad_file(tmp_path)), "--partial")
    assert exc.value.code == 1
    assert list(Household.objects.values_list("household_no", flat=True)) == ["H001"]


def test_exit_2_when_unreadable(regions, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(SystemExit) as exc:
        cli.main(["bangfu", "import-registry", str(path)])
    assert exc.value.code == 2


def test_cli_main_exit_codes(regions, tmp_path):
    with pytest.raises(SystemExit) as exc:
        cli.main(["bangfu", "import-registry", str(bad_file(tmp_path))])
    assert exc.value.code == 1
    cli.main(["bangfu", "import-registry", str(good_file(tmp_path))])  # exit 0: returns


def test_error_report_xlsx_and_csv(regions, tmp_path):
    from openpyxl import load_workbook

    report = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit):
        call_command("import_registry", str(bad_file(tmp_path)), "--errors", str(report))
    rows = list(load_workbook(report).active.values)
    assert rows[0] == ("行号", "列", "值", "原因")
    assert rows[1][:3] == (5, "证件号码", "4.51423E+17")
    report = tmp_path / "errors.csv"
    with pytest.raises(SystemExit):
        call_command(
            "import_registry", str(bad_file(tmp_path)), "--errors", str(report), "--lang", "en"
        )
    with open(report, encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["row", "column", "value", "reason"]
    assert lines[1][:3] == ["5", "证件号码", "4.51423E+17"]


def test_user_option_limits_scope(regions, users, tmp_path):
    path = good_file(tmp_path)
    with pytest.raises(SystemExit) as exc:
        call_command("import_registry", str(path), "--user", "other_county")
    assert exc.value.code == 1 and Household.objects.count() == 0
    call_command("import_registry", str(path), "--user", "county")
    assert Household.objects.count() == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["bangfu", "import-registry", str(path), "--user", "viewer"])
    assert exc.value.code == 2  # a viewer may not import
