"""The editor's journey in a real browser, offline (issue 14): sign in with an API key,
paste an article, see the dry run, store it, and find the new report on its claim's page,
then confirm the machine's suggestion."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import Served
from tests.support.browser import assert_no_console_errors, follow, screenshot
from tests.support.servers import run_cli

TITLE = "Kim to tour Russian fighter-jet plant"
ARTICLE = (
    "Kim to tour Russian fighter-jet plant\n\n"
    "Kim Jong Un will probably visit a Sukhoi fighter-jet plant in Komsomolsk-on-Amur, "
    "Kyodo reported, citing unnamed sources.\n"
)


def _wait(page: webdriver.Chrome, css: str) -> WebElement:
    found: WebElement = WebDriverWait(page, 20).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, css))
    )
    return found


def test_sign_in_ingest_store_and_confirm(served: Served, page: webdriver.Chrome) -> None:
    # given: an editor's key, made on the server's shell as README says
    made = run_cli(served.database_url, "keys", "create", "--role", "editor", "--name", "anna")
    key = made.strip().splitlines()[-1]

    # when: the editor signs in from the home page
    page.get(f"{served.base_url}/")
    follow(page, page.find_element(By.LINK_TEXT, "Sign in").click)
    _wait(page, "input[type='password'][name='key']").send_keys(key)
    screenshot(page, "login")
    follow(page, page.find_element(By.CSS_SELECTOR, "form[action$='/login'] button").click)

    # then: signed in, by name, with the ingest page at hand
    nav = _wait(page, "header.site nav")
    assert "anna" in nav.text
    assert key not in str(page.get_cookies())
    follow(page, nav.find_element(By.LINK_TEXT, "Ingest").click)

    # when: the editor pastes an article and asks for the dry run
    _wait(page, "textarea[name='text']").send_keys(ARTICLE)
    page.find_element(By.ID, "title").send_keys(TITLE)
    Select(page.find_element(By.ID, "language")).select_by_value("en")
    follow(page, page.find_element(By.CSS_SELECTOR, "button[value='preview']").click)

    # then: the text with the proposed report highlighted, Kyodo and the hedge in it
    preview = _wait(page, ".ingest-preview")
    assert preview.find_elements(By.CSS_SELECTOR, "mark"), "no quote is highlighted"
    proposed = page.find_element(By.CSS_SELECTOR, "ol.proposed").text
    assert "Kyodo" in proposed
    assert "probably" in proposed
    assert_no_console_errors(page)
    page.execute_script("arguments[0].scrollIntoView()", preview)  # the test's, not the page's
    screenshot(page, "ingest-preview")

    # when: the editor stores it and opens the claim from the stored article
    follow(page, page.find_element(By.CSS_SELECTOR, "button[value='store']").click)
    heading = _wait(page, "h1")
    assert heading.text == TITLE
    follow(page, page.find_element(By.CSS_SELECTOR, "a[href*='/claims/'] mark").click)

    # then: the claim's page lists the new report, a suggestion the editor may confirm
    reports = _wait(page, "section[aria-labelledby='reports']")
    assert TITLE in reports.text
    assert "suggested" in reports.text
    assert_no_console_errors(page)
    follow(page, reports.find_element(By.CSS_SELECTOR, "button[value='CONFIRMED']").click)
    reports = _wait(page, "section[aria-labelledby='reports']")
    assert "confirmed" in reports.text
    assert not reports.find_elements(By.CSS_SELECTOR, "button[value='CONFIRMED']")
    assert_no_console_errors(page)

    # when: the editor signs out
    follow(page, page.find_element(By.CSS_SELECTOR, "header.site nav button").click)

    # then: no review buttons, a sign-in link
    _wait(page, "header.site nav")
    assert page.find_element(By.CSS_SELECTOR, "header.site nav").text.strip() == "Sign in"
    assert not page.find_elements(By.CSS_SELECTOR, "form[action$='/review']")
