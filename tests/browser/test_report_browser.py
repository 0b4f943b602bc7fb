"""The HTML report in a real browser: Debian's ``chromium`` and ``chromium-driver`` through
Selenium (no browser or driver is ever downloaded).

The page must load without console errors, filtering must narrow the transfers table, sorting
must work from the keyboard, a transfer's detail must open from its link, and a screenshot is
saved to ``test-artifacts/report.png`` for CI. ``test_console_check_catches_a_js_error`` shows
that the console check fails a page that throws.

Outside CI the tests are skipped when the binaries are absent; in CI (``CI`` set) they must run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = pytest.mark.browser


def _binaries_present() -> bool:
    return os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)


if not _binaries_present() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium and chromium-driver are not installed "
                "(apt-get install chromium chromium-driver)", allow_module_level=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dataflow.api import load
    from dataflow.build import build, write_folder

    old = Path.cwd()
    os.chdir(ROOT)
    try:
        res = build(load("examples/ai-relay"))
    finally:
        os.chdir(old)
    out = tmp_path_factory.mktemp("browser") / "out"
    write_folder(res.files, out)
    return out / "report.html"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    assert _binaries_present(), f"CI needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages " \
                                "chromium and chromium-driver)"
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1600",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()


def console_errors(driver: Any) -> list[str]:
    """Messages of severity SEVERE in the browser console since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def load_page(driver: Any, path: Path) -> None:
    driver.get(path.as_uri())
    driver.execute_script("return document.readyState")  # waits for the load event
    assert driver.execute_script("return document.documentElement.classList.contains('js')"), \
        "the report's script did not run"


def visible_rows(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [r.get_attribute("data-id") for r in
            driver.find_elements(By.CSS_SELECTOR, "#transfers-table tbody tr[data-id]")
            if r.is_displayed()]


def test_report_in_chromium(driver: Any, report: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    console_errors(driver)  # drop anything from before
    load_page(driver, report)
    assert console_errors(driver) == []
    assert "Writing assistant" in driver.title

    all_rows = visible_rows(driver)
    assert len(all_rows) == 3
    shown = driver.find_element(By.ID, "shown")
    assert shown.text == "3 of 3 transfers shown"

    # filtering narrows the table: text, then area, then status
    box = driver.find_element(By.ID, "f-text")
    box.send_keys("relay-to-us")
    assert visible_rows(driver) == ["CN/acme/relay-to-us"]
    assert shown.text == "1 of 3 transfers shown"
    box.clear()
    box.send_keys(Keys.BACKSPACE)  # fire an input event after clear()
    assert len(visible_rows(driver)) == 3
    Select(driver.find_element(By.ID, "f-area")).select_by_value("SG")
    assert visible_rows(driver) == ["SG/acme/sg-to-us"]
    Select(driver.find_element(By.ID, "f-status")).select_by_value("gap")
    assert visible_rows(driver) == ["SG/acme/sg-to-us"]
    box.send_keys("no-such-transfer")
    assert visible_rows(driver) == []
    assert shown.text == "0 of 3 transfers shown"
    assert driver.find_element(By.CSS_SELECTOR, "tr.no-match").is_displayed()
    driver.find_element(By.ID, "f-reset").click()
    driver.execute_script("return 0")
    assert len(visible_rows(driver)) == 3

    # sorting by people from the keyboard; aria-sort follows
    people = driver.find_element(By.CSS_SELECTOR, "button[data-col='5']")
    people.send_keys(Keys.ENTER)
    th = people.find_element(By.XPATH, "..")
    assert th.get_attribute("aria-sort") == "ascending"
    assert visible_rows(driver)[-1] == "CN/acme/relay-to-us"  # 250,000 people
    people.send_keys(Keys.SPACE)
    assert th.get_attribute("aria-sort") == "descending"
    assert visible_rows(driver)[0] == "CN/acme/relay-to-us"
    first = driver.find_element(By.CSS_SELECTOR, "button[data-col='0']").find_element(
        By.XPATH, "..")
    assert first.get_attribute("aria-sort") is None

    # a transfer's detail opens from its link in the table
    detail = driver.find_element(By.ID, "t-CN-acme-relay-to-us")
    assert detail.get_attribute("open") is None
    link = driver.find_element(By.CSS_SELECTOR, "#transfers-table a[href='#t-CN-acme-relay-to-us']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert detail.get_attribute("open") is not None
    assert "decision trace" in detail.text.lower()
    assert detail.find_elements(By.CSS_SELECTOR, "svg"), "the path is drawn"

    # and the summary opens another from the keyboard
    other = driver.find_element(By.CSS_SELECTOR, "#t-SG-acme-sg-to-us > summary")
    other.send_keys(Keys.ENTER)
    assert driver.find_element(By.ID, "t-SG-acme-sg-to-us").get_attribute("open") is not None

    assert console_errors(driver) == []
    ARTIFACTS.mkdir(exist_ok=True)
    ignore = ARTIFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")  # screenshots are CI artifacts, not sources
    driver.execute_script("window.scrollTo(0, 0)")
    assert driver.save_screenshot(str(ARTIFACTS / "report.png"))
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_console_check_catches_a_js_error(driver: Any, report: Path, tmp_path: Path) -> None:
    html = report.read_text(encoding="utf-8")
    # the report's CSP would refuse the extra script; take it out so the script really throws
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    broken = tmp_path / "broken.html"
    broken.write_text(html.replace("</body>", '<script>throw new Error("x")</script></body>'),
                      encoding="utf-8")
    console_errors(driver)
    load_page(driver, broken)
    errors = console_errors(driver)
    assert errors and any("Error: x" in e for e in errors), errors


def test_csp_blocks_injected_script(driver: Any, report: Path, tmp_path: Path) -> None:
    html = report.read_text(encoding="utf-8")
    injected = tmp_path / "injected.html"
    injected.write_text(html.replace("</body>", "<script>document.title = 'pwned'</script>"
                                     "</body>"), encoding="utf-8")
    console_errors(driver)
    load_page(driver, injected)
    assert driver.title != "pwned"
    assert any("Content Security Policy" in e for e in console_errors(driver))


def test_no_network_requests(driver: Any, report: Path) -> None:
    load_page(driver, report)
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert urls == []
    assert shutil.which("chromium") or os.access(CHROMIUM, os.X_OK)
