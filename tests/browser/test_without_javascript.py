"""The explorer's pages answer with JavaScript off (issue 14): the same journey, in a
Chromium whose scripts are disabled, finds what it finds with them on; forms are plain
GET and POST forms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import Served
from tests.support.browser import (
    assert_no_console_errors,
    console_errors,
    follow,
    new_browser,
)


@pytest.fixture(scope="module")
def no_script() -> Iterator[webdriver.Chrome]:
    driver = new_browser(javascript=False)
    try:
        yield driver
    finally:
        driver.quit()


def test_scripts_are_really_off(no_script: webdriver.Chrome) -> None:
    # given, when: a page that tries to run a script
    no_script.get("data:text/html,<p id=p>off</p><script>p.textContent='on'</script>")
    # then: the page's script did not run
    assert no_script.find_element(By.ID, "p").text == "off"


def test_the_journey_works_without_javascript(served: Served, no_script: webdriver.Chrome) -> None:
    # given: the home page, scripts off
    console_errors(no_script)
    no_script.get(f"{served.base_url}/")

    # when: search, claim, source, compare, article, sign-in
    search = no_script.find_element(By.CSS_SELECTOR, 'input[type="search"][name="q"]')
    search.send_keys("Sukhoi")
    follow(no_script, search.submit)
    follow(no_script, no_script.find_element(By.CSS_SELECTOR, "ol.claims li a").click)
    claim_heading = no_script.find_element(By.TAG_NAME, "h1").text
    reports = no_script.find_element(By.CSS_SELECTOR, "section[aria-labelledby='reports']")
    reports_text = reports.text
    follow(no_script, reports.find_element(By.LINK_TEXT, "Kyodo").click)
    source_heading = no_script.find_element(By.TAG_NAME, "h1").text
    source_page = no_script.current_url
    Select(no_script.find_element(By.CSS_SELECTOR, "select[name='b']")).select_by_visible_text(
        "Ungenannte Quellen (Kyodo)"
    )
    follow(
        no_script, no_script.find_element(By.CSS_SELECTOR, "form[action$='/compare'] button").click
    )
    compare_heading = no_script.find_element(By.TAG_NAME, "h1").text
    no_script.get(source_page)
    follow(
        no_script,
        no_script.find_element(By.CSS_SELECTOR, "ol.reported li a[href*='/documents/']").click,
    )
    marks = no_script.find_elements(By.CSS_SELECTOR, "mark")
    follow(no_script, no_script.find_element(By.LINK_TEXT, "Sign in").click)
    key_field = no_script.find_elements(By.CSS_SELECTOR, "input[type='password'][name='key']")

    # then: every page answered in full
    assert "Sukhoi" in claim_heading
    assert "voraussichtlich" in reports_text and "0.75" in reports_text
    assert source_heading == "Kyodo"
    assert "Kyodo" in compare_heading and "Ungenannte Quellen" in compare_heading
    assert marks, "the article's quotes are not marked"
    assert key_field, "the sign-in form is missing"
    assert_no_console_errors(no_script)
