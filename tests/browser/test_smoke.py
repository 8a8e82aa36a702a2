"""The browser harness itself: Chromium starts, the login page renders and passes axe."""

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_login_page_renders_in_a_phone_and_has_no_accessibility_violations(phone):
    page = phone.new_page()
    page.goto("/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()
    screenshot(page, "login-phone")
    assert axe_violations(page) == []
