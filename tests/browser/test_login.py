"""Logging in through the Chinese login form lands on the home page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_through_the_form_lands_on_the_home_page(page, url, demo_world):
    page.goto(url("/"))
    # not logged in: the login page, in Chinese
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh"))
    expect(page.get_by_role("heading", name="登录帮扶系统")).to_be_visible()

    # a wrong password is refused with a message, and the form stays
    page.get_by_label("用户名").fill("xinlian")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.get_by_label("用户名").fill("longzhou")
    page.get_by_label("密码").fill("bangfu-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url("/"))
    expect(page.get_by_role("heading", name="首页", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航")).to_contain_text("贫困户")
    expect(page.locator("main")).to_contain_text("龙州县")
