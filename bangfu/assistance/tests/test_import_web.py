"""The web import and export of assistance data: upload → batch page with the outcome and the
errors (sheet, row, column, reason) → report download; permissions and scope."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.assistance.models import Posting
from bangfu.assistance.testing import DAQIAO, XINLIAN
from bangfu.core.models import ImportBatch

from .test_import import (
    POSTING_HEADERS,
    import_dir,  # noqa: F401 - the autouse fixture
    workbook,
)

COUNTY = "龙州县公安局"


def upload(client, path, **data):
    with open(path, "rb") as fh:
        file = SimpleUploadedFile(path.name, fh.read())
    return client.post(reverse("imports-assistance"), {"file": file, **data})


def test_upload_and_outcome(world, users, login, tmp_path):
    client = login(users["county"])
    page = client.get(reverse("imports-assistance"))
    assert page.status_code == 200 and "导入帮扶数据" in page.content.decode()
    book = workbook(
        tmp_path / "p.xlsx",
        {
            "驻村任职": [
                POSTING_HEADERS,
                [COUNTY, "黄书记", XINLIAN, "第一书记", "是", "2016-01-01", ""],
            ]
        },
    )
    response = upload(client, book)
    batch = ImportBatch.objects.get(kind="assistance")
    assert response.status_code == 302
    assert response["Location"] == reverse("imports-batch", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "驻村任职：新增 1" in page and "写入 1 条记录" in page
    assert reverse("imports-assistance") in page  # "import another file" leads back here
    assert Posting.objects.get().cadre == world.secretary


def test_errors_on_screen_and_report_download(world, users, login, tmp_path):
    book = workbook(
        tmp_path / "bad.xlsx",
        {
            "驻村任职": [
                POSTING_HEADERS,
                [COUNTY, "黄书记", DAQIAO, "第一书记", "是", "2016-01-01", ""],
            ]
        },
    )
    client = login(users["county"])
    response = upload(client, book)
    page = client.get(response["Location"]).content.decode()
    assert (
        "有错误，未写入" in page
        and "该村不在您的管辖范围内" in page
        and "<td>驻村任职</td>" in page
    )
    batch = ImportBatch.objects.get(kind="assistance")
    download = client.get(reverse("imports-errors", args=[batch.pk]))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    assert rows == [
        ("工作表", "行号", "列", "值", "原因"),
        ("驻村任职", 2, "村代码", DAQIAO, "该村不在您的管辖范围内"),
    ]
    assert not Posting.objects.exists()
    # another user does not learn the batch exists
    other = login(users["other_county"])
    assert other.get(reverse("imports-batch", args=[batch.pk])).status_code == 404


def test_wrong_file_type_is_refused(users, login):
    client = login(users["county"])
    response = client.post(
        reverse("imports-assistance"), {"file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert response.status_code == 400 and "请上传 .xlsx 或 .csv 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("user", ["township", "viewer", "village"])
def test_roles_without_rights_may_not_import(users, login, user):
    assert login(users[user]).get(reverse("imports-assistance")).status_code == 403


def test_export_download_is_scoped_and_masked(world, users, login):
    world.secretary.phone = "13800000001"
    world.secretary.save()
    client = login(users["viewer"])
    page = client.get(reverse("imports-assistance-export"))
    assert page.status_code == 200 and "证件号码和电话将被遮盖" in page.content.decode()
    response = client.get(reverse("imports-assistance-export"), {"format": "csv", "kind": "cadres"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "黄书记" in text and "138****0001" in text and "钟山县委组织部" not in text
    # a .csv holds one kind
    response = client.get(reverse("imports-assistance-export"), {"format": "csv"})
    assert response.status_code == 400


def test_export_of_a_unit_out_of_scope_is_refused(world, users, login):
    client = login(users["county"])
    response = client.get(
        reverse("imports-assistance-export"), {"format": "xlsx", "unit": world.other.pk}
    )
    assert response.status_code == 400  # not among the units the user may choose
    response = client.get(
        reverse("imports-assistance-export"), {"format": "xlsx", "unit": world.city.pk}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["帮扶单位", "帮扶干部", "定点帮扶", "驻村任职", "结对帮扶"]
    units = [r[0] for r in book["帮扶单位"].iter_rows(min_row=2, values_only=True)]
    assert units == ["崇左市公安局", "龙州县公安局"]


def test_subnav_links_to_import_and_export(world, users, login):
    page = login(users["county"]).get(reverse("assistance:unit_list")).content.decode()
    assert reverse("imports-assistance-export") in page
    page = login(users["county"]).get(reverse("imports-assistance-export")).content.decode()
    assert reverse("imports-assistance") in page
