"""The web import and export: upload → progress → outcome → error report, permissions, scope."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.core.models import ImportBatch
from bangfu.registry.models import Household
from bangfu.registry.tests.test_import_files import household_rows, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sync_imports(settings, tmp_path):
    settings.BANGFU_IMPORT_SYNC = True
    settings.BANGFU_IMPORT_DIR = tmp_path / "imports"


def upload(client, path, **data):
    with open(path, "rb") as fh:
        file = SimpleUploadedFile(path.name, fh.read())
    return client.post(reverse("imports-registry"), {"file": file, **data})


def test_upload_progress_outcome_flow(regions, users, login, tmp_path):
    client = login(users["county"])
    page = client.get(reverse("imports-registry"))
    assert page.status_code == 200 and "上传并导入" in page.content.decode()
    path = to_csv(
        household_rows("H001") + household_rows("H002", seq=400, members=2), tmp_path / "ok.csv"
    )
    response = upload(client, path)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports-batch", args=[batch.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "新增 2" in page
    fragment = client.get(reverse("imports-progress", args=[batch.pk])).content.decode()
    assert 'value="100"' in fragment and "hx-trigger" not in fragment  # finished: polling stops
    assert Household.objects.count() == 2


def test_running_batch_keeps_polling(users, login):
    client = login(users["county"])
    batch = ImportBatch.objects.create(
        kind="registry",
        filename="x.csv",
        user=users["county"],
        status="running",
        rows_total=200,
        rows_done=50,
    )
    fragment = client.get(reverse("imports-progress", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'hx-get="' in fragment
    assert 'value="25"' in fragment


def test_errors_on_screen_and_report_download_only_for_owner_or_admin(
    regions, users, login, tmp_path
):
    rows = household_rows("H001")
    rows[1]["id_number"] = "4.51423E+17"
    path = to_csv(rows, tmp_path / "bad.csv")
    client = login(users["county"])
    response = upload(client, path)
    page = client.get(response["Location"]).content.decode()
    assert "有错误，未写入" in page and "4.51423E+17" in page and "下载错误报告" in page
    batch = ImportBatch.objects.get()
    download = client.get(reverse("imports-errors", args=[batch.pk]))
    assert download.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [c.value for c in sheet[1]] == ["行号", "列", "值", "原因"]
    assert sheet.cell(2, 1).value == 3 and sheet.cell(2, 2).value == "证件号码"
    other = login(users["other_county"])
    assert other.get(reverse("imports-errors", args=[batch.pk])).status_code == 404
    assert other.get(reverse("imports-batch", args=[batch.pk])).status_code == 404
    admin = login(users["admin"])
    assert admin.get(reverse("imports-errors", args=[batch.pk])).status_code == 200
    assert Household.objects.count() == 0


def test_village_user_cannot_import_another_village(regions, users, login, tmp_path, settings):
    from bangfu.accounts import choices

    # give village users the import permission for this test only
    settings_patterns = dict(choices.ROLE_PERMISSIONS)
    choices.ROLE_PERMISSIONS["village"] = (
        *settings_patterns["village"],
        "registry.import_registry",
    )
    try:
        rows = household_rows("H001", members=1) + household_rows(
            "H002", seq=400, members=1, region_code="451423100202", village="罗回村"
        )
        client = login(users["village"])
        response = upload(client, to_csv(rows, tmp_path / "two.csv"), partial="on")
        page = client.get(response["Location"]).content.decode()
        assert "管辖范围" in page and "部分写入" in page
        assert list(Household.objects.values_list("household_no", flat=True)) == ["H001"]
    finally:
        choices.ROLE_PERMISSIONS.clear()
        choices.ROLE_PERMISSIONS.update(settings_patterns)


def test_permissions(users, login):
    viewer = login(users["viewer"])
    assert viewer.get(reverse("imports-registry")).status_code == 403
    assert viewer.get(reverse("imports-export")).status_code == 403
    township = login(users["township"])
    assert township.get(reverse("imports-registry")).status_code == 403
    assert township.get(reverse("imports-export")).status_code == 200


def test_login_required(client, regions):
    response = client.get(reverse("imports-registry"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_export_scoped_and_masked(regions, users, login, household, other_household):
    client = login(users["village"])
    page = client.get(reverse("imports-export")).content.decode()
    assert "不能重新导入" in page
    response = client.get(reverse("imports-export"), {"format": "csv", "region": "", "year": ""})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["户编号"] for r in rows} == {household.household_no}
    assert all("****" in r["证件号码"] for r in rows)
    outside = client.get(reverse("imports-export"), {"format": "csv", "region": "451423100202"})
    assert outside.status_code == 400 and "管辖范围" in outside.content.decode()
    county = login(users["county"])
    response = county.get(
        reverse("imports-export"), {"format": "xlsx", "region": "451423", "year": "2020"}
    )
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    ids = [r[30] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 6 and not any("*" in i for i in ids)
