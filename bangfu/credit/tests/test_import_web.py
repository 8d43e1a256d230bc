"""The upload page of the loans/jobs import: counts on success, every error and nothing written
on failure, scope, permission."""

from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.credit import testing
from bangfu.credit.models import Loan

HEADER = ["户编号", "贷款产品", "贷款金额（万元）", "放款日期", "期限（月）", "用途"]


def _upload(rows):
    import io

    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("loans.xlsx", buf.getvalue())


@pytest.fixture
def product(regions):
    return testing.make_product()


def test_upload_imports_loans_in_wan(product, household, users, login, settings):
    settings.BANGFU_IMPORT_SYNC = True
    client = login(users["village"])
    url = reverse("credit:import")
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "kind": "loans",
            "file": _upload([[household.household_no, "半夏贷", 2, "2019-04-01", 12, "种桑"]]),
        },
        follow=True,
    )
    page = r.content.decode()
    assert "已完成" in page and 'data-written="1"' in page
    assert reverse("credit:import") in page  # 再导入一个文件: back to this page
    assert Loan.objects.get().amount == Decimal("20000.00")


def test_upload_with_errors_writes_nothing_and_lists_them(
    product, household, other_household, users, login, settings
):
    settings.BANGFU_IMPORT_SYNC = True
    client = login(users["village"])
    rows = [
        [household.household_no, "半夏贷", 1, "2019-04-01", 12, "种桑"],
        [other_household.household_no, "半夏贷", 1, "2019-04-01", 12, "种桑"],
    ]
    r = client.post(reverse("credit:import"), {"kind": "loans", "file": _upload(rows)}, follow=True)
    page = r.content.decode()
    assert 'data-row="3"' in page and "找不到" in page and 'data-written="0"' in page
    assert not Loan.objects.exists()


def test_viewer_may_not_import(users, login, regions):
    assert login(users["viewer"]).get(reverse("credit:import")).status_code == 403
