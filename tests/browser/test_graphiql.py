"""GraphiQL at /graphql renders and runs a query with no network beyond the server."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import Served
from tests.support.browser import assert_no_console_errors, screenshot

QUERY = '{ claims(search: "Sukhoi", first: 1) { totalCount } }'
EDITOR = ".graphiql-container .graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-container .graphiql-response .CodeMirror"
RUN = ".graphiql-container .graphiql-execute-button"


def _response(driver: webdriver.Chrome) -> str:
    script = f"return document.querySelector('{RESPONSE}').CodeMirror.getValue()"
    return str(driver.execute_script(script))


def test_graphiql_renders_and_runs_a_query(served: Served, page: webdriver.Chrome) -> None:
    # given: GraphiQL, opened as README says, with no CDN reachable
    page.get(f"{served.base_url}/graphql")
    wait = WebDriverWait(page, 20)
    editor = wait.until(
        ready.presence_of_element_located((By.CSS_SELECTOR, EDITOR)),
        "GraphiQL's editor never appeared: does /graphql load its assets from a CDN?",
    )

    # when: a query is typed in and run
    page.execute_script("arguments[0].CodeMirror.setValue(arguments[1])", editor, QUERY)
    page.find_element(By.CSS_SELECTOR, RUN).click()

    # then: the result pane shows the count
    wait.until(lambda driver: '"totalCount": 1' in _response(driver), "no result in the pane")
    screenshot(page, "graphiql")
    assert_no_console_errors(page)
