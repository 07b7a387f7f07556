"""Acceptance: the web pages work in a real browser, served by ``storyscope serve``'s app.

A headless Chromium (Debian's ``chromium`` + ``chromium-driver`` packages; nothing is
downloaded at test time) opens the story list, opens the story, clicks a citation in
the summary and checks that the cited sentence is highlighted and on screen. The
server is the real app (uvicorn on a free loopback port) over a store filled from
examples/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HIGHLIGHT_RGB = "rgb(255, 211, 61)"  # --hl in report.css

pytestmark = pytest.mark.skipif(
    not (os.path.isfile(CHROMIUM) and os.path.isfile(CHROMEDRIVER)),
    reason="needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)",
)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn in a background thread on a free loopback port; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium through the system chromedriver (Selenium Manager is never asked)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI containers run as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, models: Any) -> Iterator[str]:
    from storyscope.corpus import Corpus
    from storyscope.serve import create_app

    corpus = Corpus.open(tmp_path_factory.mktemp("store") / "stories.db", models=models)
    try:
        summary = corpus.ingest([EXAMPLES])
        assert summary.added == 4, summary
        with serving(create_app(corpus, models=models)) as url:
            yield url
    finally:
        corpus.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


# In-page checks run as JavaScript: what the reader actually sees.
_ON_SCREEN = """
const el = arguments[0];
const box = el.getClientRects()[0];
if (!box) { return false; }
const x = box.left + Math.min(box.width / 2, 20), y = box.top + box.height / 2;
if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) { return false; }
const hit = document.elementFromPoint(x, y);
return hit === el || el.contains(hit);
"""


# The page scrolls smoothly; put an element in place at once so a click lands where it is.
_TO_CENTER = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})"


def _norm(text: str) -> str:
    return " ".join(text.split())


def drive_citation(driver: Any, base: str) -> None:
    """Story list -> story -> click a summary citation -> the cited sentence is highlighted on screen."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 10, poll_frequency=0.1)
    driver.get(base + "/")
    links = driver.find_elements(By.CSS_SELECTOR, "table.stories a.story-link")
    assert links, "the story list shows no story"
    row = links[0].find_element(By.XPATH, "./ancestor::tr")
    outlets, articles = (c.text for c in row.find_elements(By.CSS_SELECTOR, "td.n"))
    assert (outlets, articles) == ("4", "4")
    assert row.find_elements(By.CSS_SELECTOR, "svg.bar rect.on")  # the coverage bar is drawn

    links[0].click()
    wait.until(ec.url_matches(r"/stories/[^/]+$"))
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#summary ol.summary li a.cite")))
    assert driver.find_element(By.CSS_SELECTOR, "nav.crumbs a").get_attribute("href") == base + "/"
    assert driver.find_elements(By.CSS_SELECTOR, "#coverage-plot svg rect.cell")
    assert driver.find_elements(By.CSS_SELECTOR, "#timeline-plot svg g.event")

    # A citation whose sentence is off screen until clicked (the articles sit below the summary).
    cite = target = None
    for candidate in driver.find_elements(By.CSS_SELECTOR, "#summary ol.summary li a.cite"):
        ids = (candidate.get_attribute("data-targets") or "").split()
        assert ids, "a citation without targets"
        first = driver.find_element(By.ID, ids[0])
        driver.execute_script(_TO_CENTER, candidate)
        if not driver.execute_script(_ON_SCREEN, first):
            cite, target, targets = candidate, first, ids
            break
    assert cite is not None and target is not None, "every cited sentence is already on screen"
    assert "highlight" not in (target.get_attribute("class") or "").split()
    item = cite.find_element(By.XPATH, "./ancestor::li")
    claim = _norm(driver.execute_script("return arguments[0].firstChild.textContent", item))

    cite.click()
    wait.until(lambda d: "highlight" in (target.get_attribute("class") or "").split())
    wait.until(
        lambda d: d.execute_script(_ON_SCREEN, target), "the cited sentence was not scrolled into view"
    )
    wait.until(
        lambda d: (
            d.execute_script("return getComputedStyle(arguments[0]).backgroundColor", target) == HIGHLIGHT_RGB
        )
    )
    lit = driver.find_elements(By.CSS_SELECTOR, ".sent.highlight")
    assert {el.get_attribute("id") for el in lit} == set(targets)
    # The summary sentence is verbatim from an article: one highlighted sentence holds it.
    assert any(claim.rstrip(".") in _norm(el.text) for el in lit), claim
    assert re.search(r"\S", target.text)

    # Esc clears the highlight (the reader is never stuck with it).
    driver.find_element(By.TAG_NAME, "body").send_keys("\ue00c")
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".sent.highlight"))


def test_citation_in_summary_highlights_the_cited_sentence(browser: Any, base_url: str) -> None:
    drive_citation(browser, base_url)


def test_pages_load_nothing_and_raise_no_errors(browser: Any, base_url: str) -> None:
    """No element loads a resource, nothing was fetched from elsewhere, and the console is clean.

    A CSP violation (an inline style or a script the policy does not allow) or a
    script error shows up as a SEVERE console entry, so this also checks that the
    pages work under their own Content-Security-Policy.
    """
    from selenium.webdriver.common.by import By

    browser.get_log("browser")  # drop what earlier tests logged
    browser.get(base_url + "/")
    story = browser.find_element(By.CSS_SELECTOR, "a.story-link").get_attribute("href")
    for url in (base_url + "/", story):
        browser.get(url)
        loaders = browser.execute_script(
            "return document.querySelectorAll('[src], link[href], img, iframe, object, embed').length"
        )
        assert loaders == 0
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(u.startswith(base_url) for u in fetched), fetched
        # Click something in each plot: the script must handle SVG triggers without errors.
        for mark in browser.find_elements(By.CSS_SELECTOR, "svg rect.cell[data-targets], svg g.event")[:2]:
            browser.execute_script(_TO_CENTER, mark)
            mark.click()
        errors = [
            e
            for e in browser.get_log("browser")
            if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
        ]
        assert not errors, errors
