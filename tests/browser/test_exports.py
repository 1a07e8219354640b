"""A claim's JSON routes open in the browser, offline: the harness's smoke test."""

from __future__ import annotations

import json

from selenium import webdriver
from selenium.webdriver.common.by import By

from tests.browser.conftest import Served
from tests.support.browser import assert_no_console_errors, screenshot


def test_the_claimreview_of_the_sukhoi_claim_opens_in_the_browser(
    served: Served, page: webdriver.Chrome
) -> None:
    # given: the demo's Sukhoi claim
    claim = served.claim_id("Sukhoi")

    # when: a journalist opens its ClaimReview
    page.get(f"{served.base_url}/claims/{claim}/claimreview.jsonld")
    screenshot(page, "claimreview")

    # then: the browser shows the JSON-LD document, about that claim
    document = json.loads(page.find_element(By.TAG_NAME, "body").text)
    review = document[0] if isinstance(document, list) else document
    assert "ClaimReview" in json.dumps(review)
    assert "Sukhoi" in review["claimReviewed"]
    assert_no_console_errors(page)
