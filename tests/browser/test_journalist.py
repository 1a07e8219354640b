"""The journalist's journey through the explorer, offline, in a real browser: search
"Sukhoi", open the claim, see who reported it and how firmly (issue 14). The source and
compare pages join the journey when they exist."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import Served
from tests.support.browser import assert_no_console_errors, screenshot


def test_search_then_open_the_claim(served: Served, page: webdriver.Chrome) -> None:
    # given: the explorer's home page
    page.get(f"{served.base_url}/")
    assert_no_console_errors(page)
    screenshot(page, "home")

    # when: the journalist searches "Sukhoi" and opens the claim found
    search = page.find_element(By.CSS_SELECTOR, 'input[type="search"][name="q"]')
    search.send_keys("Sukhoi")
    search.submit()
    found = WebDriverWait(page, 10).until(
        ready.element_to_be_clickable((By.CSS_SELECTOR, "ol.claims li a"))
    )
    assert "Sukhoi" in found.text
    assert_no_console_errors(page)
    screenshot(page, "search")
    found.click()

    # then: the claim's page shows Kyodo and its unnamed sources, the hedge marked in the
    # quote, and the confidence
    heading = WebDriverWait(page, 10).until(ready.presence_of_element_located((By.TAG_NAME, "h1")))
    assert "Sukhoi" in heading.text
    reports = page.find_element(By.CSS_SELECTOR, "section[aria-labelledby='reports']").text
    assert "Kyodo" in reports
    assert "Ungenannte Quellen (Kyodo)" in reports  # the unnamed sources it cites
    assert "0.75" in reports
    hedges = [mark.text for mark in page.find_elements(By.CSS_SELECTOR, "blockquote mark")]
    assert "voraussichtlich" in hedges
    assert_no_console_errors(page)
    screenshot(page, "claim")
