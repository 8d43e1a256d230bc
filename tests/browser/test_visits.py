"""Recording a visit on a phone (390×844): a cadre opens the quick entry, records a visit with a
follow-up and a photo, and finds it on the visit list and the household page; a visit dated in
the future is refused with the reason and nothing is written."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.assistance import testing as assistance_testing
from bangfu.core.attachments.testing import png_bytes
from bangfu.core.models import Attachment
from bangfu.registry.models import Household
from bangfu.visits.models import FollowUp, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XINLIAN = "451423100201"
PASSWORD = "bangfu-demo"


@pytest.fixture
def cadre_world(demo_world, settings, tmp_path):
    settings.BANGFU_ATTACHMENT_DIR = tmp_path / "attachments"
    unit = assistance_testing.make_unit("自治区公安厅（测试）")
    assistance_testing.make_assignment(unit, XINLIAN)
    cadre = assistance_testing.make_cadre(unit, "黄书记")
    user = User.objects.create_user("huang", password=PASSWORD, role=Role.CADRE)
    cadre.user = user
    cadre.save()
    household = Household.objects.filter(region_id=XINLIAN).order_by("household_no").first()
    assistance_testing.make_pairing(cadre, household)
    return household


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_record_a_visit_on_a_phone(phone_page, url, login, cadre_world, tmp_path):
    page, household = phone_page, cadre_world
    photo = tmp_path / "门前.png"
    photo.write_bytes(png_bytes(8, 8))
    login(page, "huang")
    page.goto(url("/visits/quick/"))
    expect(page.get_by_role("heading", name="快速登记走访")).to_be_visible()
    fits_the_screen(page)
    today = timezone.localdate()
    expect(page.get_by_label("走访日期")).to_have_value(today.isoformat())
    save = page.get_by_role("button", name="保存走访")
    assert save.bounding_box()["height"] >= 44  # a touch target

    page.get_by_label("走访户", exact=True).select_option(household.household_no)
    page.get_by_label("走访事由").select_option(label="帮扶措施落实")
    page.get_by_label("走访情况").fill("新建猪圈已完工，养猪 12 头")
    page.get_by_label("待办事项（可选）").fill("联系兽医上门防疫")
    due = today + datetime.timedelta(days=14)
    page.get_by_label("完成期限").fill(due.isoformat())
    page.get_by_label("照片（可选）").set_input_files(str(photo))
    save.click()

    expect(page.get_by_text("已登记走访")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("新建猪圈已完工")
    expect(main).to_contain_text("联系兽医上门防疫")
    expect(main.get_by_role("link", name="门前.png")).to_be_visible()
    fits_the_screen(page)
    visit = Visit.objects.get()
    assert visit.household == household and visit.date == today
    assert FollowUp.objects.get().due_date == due
    assert Attachment.objects.of(visit).get().media_type == "image/png"

    page.goto(url("/visits/"))
    expect(page.locator("#results")).to_contain_text(household.household_no)
    page.goto(url(f"/registry/households/{household.pk}/"))
    visits = page.locator("section#visits")
    expect(visits).to_contain_text("新建猪圈已完工")


def test_a_future_date_is_refused_and_nothing_is_written(phone_page, url, login, cadre_world):
    page, household = phone_page, cadre_world
    login(page, "huang")
    page.goto(url("/visits/quick/"))
    page.get_by_label("走访户", exact=True).select_option(household.household_no)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("走访日期").fill(tomorrow.isoformat())
    page.get_by_label("走访情况").fill("未来的走访")
    page.get_by_label("待办事项（可选）").fill("不应写入")
    page.get_by_label("完成期限").fill(tomorrow.isoformat())
    page.get_by_role("button", name="保存走访").click()

    expect(page.get_by_text("不能登记未来的走访")).to_be_visible()
    expect(page.get_by_label("走访情况")).to_have_value("未来的走访")
    assert not Visit.objects.exists() and not FollowUp.objects.exists()
