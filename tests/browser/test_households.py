"""The household pages as their users use them: search, open, edit, see the change recorded;
another village's household stays invisible; the list works on a phone."""

import re

import pytest
from playwright.sync_api import expect

from bangfu.core.privacy import mask_phone
from bangfu.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XINLIAN = "451423100201"
LUOHUI = "451423100202"


def head_of(household: Household) -> str:
    return household.members.get(relation="head").name


def search(page, text: str) -> None:
    """Type into the list's search box (opening the 筛选 panel if it is folded) and search."""
    box = page.get_by_role("searchbox")
    if not box.is_visible():
        page.locator("summary").filter(has_text="筛选").click()
    box.fill(text)
    page.get_by_role("button", name="查询").click()


def test_find_open_edit_and_see_the_change_in_the_history(page, url, login, demo_world):
    household = Household.objects.filter(region_id=XINLIAN).order_by("household_no")[3]
    head = head_of(household)
    old_group = household.group_name
    new_group = "新建屯"
    login(page, "xinlian")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="贫困户").click()
    expect(page.get_by_role("heading", name="贫困户", exact=True)).to_be_visible()
    search(page, household.household_no)
    results = page.locator("#results")
    expect(results.get_by_role("link", name=household.household_no)).to_be_visible()
    expect(results.locator("tbody tr")).to_have_count(1)
    results.get_by_role("link", name=head).click()

    expect(page).to_have_url(url(f"/registry/households/{household.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(head)
    page.get_by_role("link", name="修改", exact=True).first.click()
    group = page.get_by_label("村民小组", exact=True)
    expect(group).to_have_value(old_group)
    group.fill(new_group)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(url(f"/registry/households/{household.pk}/"))
    expect(page.get_by_role("main")).to_contain_text(f"{new_group}")
    history = page.locator("section").filter(has=page.get_by_role("heading", name="修改记录"))
    change = history.get_by_role("listitem").filter(has_text="村民小组").first
    expect(change).to_contain_text(old_group)
    expect(change).to_contain_text(new_group)
    expect(history).to_contain_text("xinlian")
    household.refresh_from_db()
    assert household.group_name == new_group


def test_a_village_user_cannot_open_another_villages_household(page, url, login, demo_world):
    other = Household.objects.filter(region_id=LUOHUI).order_by("household_no").first()
    head = head_of(other)
    login(page, "xinlian")
    for path in (f"/registry/households/{other.pk}/", f"/registry/households/{other.pk}/edit/"):
        response = page.goto(url(path))
        assert response.status == 404, path
        body = page.locator("body")
        expect(body).to_contain_text(re.compile("未找到|找不到|不存在|Not Found"))
        expect(body).not_to_contain_text(other.household_no)
        expect(body).not_to_contain_text(head)
        if other.phone:
            expect(body).not_to_contain_text(other.phone)
            expect(body).not_to_contain_text(mask_phone(other.phone))
    # and the list does not offer it either
    page.goto(url(f"/registry/households/?q={other.household_no}"))
    expect(page.locator("#results")).not_to_contain_text(other.household_no)
    expect(page.locator("#results")).to_contain_text("没有符合条件的")


def test_the_household_list_is_usable_on_a_phone(phone_page, url, login, demo_world):
    page = phone_page
    login(page, "longzhou")
    # the menu folds away on a phone: open it and go to the household list
    menu = page.get_by_role("button", name="菜单")
    expect(menu).to_be_visible()
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="贫困户").tap()
    expect(page).to_have_url(url("/registry/households/"))
    expect(page.get_by_role("heading", name="贫困户", exact=True)).to_be_visible()

    def no_horizontal_overflow():
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"the page is {width}px wide on a 390px screen"

    no_horizontal_overflow()
    household = Household.objects.filter(region_id=XINLIAN).order_by("household_no").first()
    results = page.locator("#results")
    link = results.get_by_role("link", name=household.household_no)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # the search works at this width too
    search(page, household.household_no)
    expect(results.locator("tbody tr")).to_have_count(1)
    no_horizontal_overflow()
    link.tap()
    expect(page).to_have_url(re.compile(rf"/registry/households/{household.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(household.household_no)
    no_horizontal_overflow()
