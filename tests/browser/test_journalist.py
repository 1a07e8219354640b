"""The journalist's journey through the explorer, offline, in a real browser (issue 14):
search "Sukhoi", open the claim, see who reported it and how firmly, open Kyodo's page
and the article; then find KCNA and compare it with the Kremlin."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import Served
from tests.support.browser import assert_no_console_errors, follow, screenshot


def _wait(page: webdriver.Chrome, css: str) -> WebElement:
    found: WebElement = WebDriverWait(page, 10).until(
        ready.presence_of_element_located((By.CSS_SELECTOR, css))
    )
    return found


def _search(page: webdriver.Chrome, words: str) -> None:
    search = page.find_element(By.CSS_SELECTOR, 'input[type="search"][name="q"]')
    search.clear()
    search.send_keys(words)
    follow(page, search.submit)


def test_search_then_open_the_claim_its_source_and_its_article(
    served: Served, page: webdriver.Chrome
) -> None:
    # given: the explorer's home page
    page.get(f"{served.base_url}/")
    assert_no_console_errors(page)
    screenshot(page, "home")

    # when: the journalist searches "Sukhoi" and opens the claim found
    _search(page, "Sukhoi")
    found = WebDriverWait(page, 10).until(
        ready.element_to_be_clickable((By.CSS_SELECTOR, "ol.claims li a"))
    )
    assert "Sukhoi" in found.text
    assert_no_console_errors(page)
    screenshot(page, "search")
    follow(page, found.click)

    # then: the claim's page shows Kyodo and its unnamed sources, the hedge marked in the
    # quote, the confidence, and the chain drawn as a graph
    heading = _wait(page, "h1")
    assert "Sukhoi" in heading.text
    reports = page.find_element(By.CSS_SELECTOR, "section[aria-labelledby='reports']")
    assert "Kyodo" in reports.text
    assert "Ungenannte Quellen (Kyodo)" in reports.text  # the unnamed sources it cites
    assert "0.75" in reports.text
    hedges = [mark.text for mark in page.find_elements(By.CSS_SELECTOR, "blockquote mark")]
    assert "voraussichtlich" in hedges
    assert page.find_elements(By.CSS_SELECTOR, "svg[role='img']"), "no chain graph"
    assert_no_console_errors(page)
    screenshot(page, "claim")

    # when: the journalist opens Kyodo's page
    follow(page, reports.find_element(By.LINK_TEXT, "Kyodo").click)

    # then: what Kyodo reported, and whom it is compared with
    assert _wait(page, "h1").text == "Kyodo"
    assert page.find_elements(By.CSS_SELECTOR, "ol.reported li a")
    assert page.find_elements(By.CSS_SELECTOR, "form[action$='/compare'] select[name='b']")
    assert_no_console_errors(page)
    screenshot(page, "source")

    # when: the journalist opens the article Kyodo's report is in
    follow(page, page.find_element(By.CSS_SELECTOR, "ol.reported li a[href*='/documents/']").click)

    # then: the text, with the quotes marked and linked to their claims
    _wait(page, "h1")
    quoted = page.find_elements(
        By.CSS_SELECTOR, "a[href*='/claims/'] mark, mark a[href*='/claims/']"
    )
    assert quoted, "no quote of the article is marked and linked to its claim"
    assert_no_console_errors(page)
    screenshot(page, "document")


def test_compare_kcna_with_the_kremlin(served: Served, page: webdriver.Chrome) -> None:
    # given: KCNA's page, found by searching its name
    page.get(f"{served.base_url}/")
    _search(page, "KCNA")
    WebDriverWait(page, 10).until(ready.element_to_be_clickable((By.CSS_SELECTOR, "ul.sources a")))
    follow(
        page,
        page.find_element(By.CSS_SELECTOR, "ul.sources").find_element(By.LINK_TEXT, "KCNA").click,
    )
    assert _wait(page, "h1").text == "KCNA"

    # when: the journalist compares it with the Kremlin
    Select(page.find_element(By.CSS_SELECTOR, "select[name='b']")).select_by_visible_text("Kremlin")
    follow(page, page.find_element(By.CSS_SELECTOR, "form[action$='/compare'] button").click)

    # then: what each reports; in the demo article they report different things (KCNA
    # the invitation accepted, the Kremlin Kim's trip to the aircraft plants)
    heading = _wait(page, "h1")
    assert "KCNA" in heading.text and "Kremlin" in heading.text
    agreement = page.find_element(By.CSS_SELECTOR, "section[aria-labelledby='agreement']")
    assert "No shared claims" in agreement.text
    only_kcna = page.find_element(By.CSS_SELECTOR, "section[aria-labelledby='only-a']").text
    only_kremlin = page.find_element(By.CSS_SELECTOR, "section[aria-labelledby='only-b']").text
    assert "Einladung" in only_kcna
    assert "Komsomolsk" in only_kremlin
    assert_no_console_errors(page)
    screenshot(page, "compare")
