"""The web library in a real browser: headless Chromium (Debian's `chromium`, driven by Selenium)
against `python -m bot serve` and the emulator, public and signed in, with axe-core (vendored in
tests/vendor, run offline) reporting no serious or critical violations. Screenshots are kept in
tests/artifacts/ (git-ignored); the test prints where."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.library.steps import CLIENT_ID, CLIENT_SECRET, SECRET_KEY, exchange
from tests.harness import ServeProcess, TestBot, bot_env, free_port

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE = Path(__file__).resolve().parents[2] / "vendor" / "axe.min.js"


@pytest.fixture
def browser() -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("chromium and chromium-driver are needed (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,915"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def serve(bot: TestBot, public: bool) -> ServeProcess:
    port = free_port()
    bot.emulator.openid_client = (CLIENT_ID, CLIENT_SECRET)
    env = bot_env(bot.emulator, bot.settings.database_url, port, SLACK_CLIENT_ID=CLIENT_ID,
                  SLACK_CLIENT_SECRET=CLIENT_SECRET, ROUNDTABLE_SECRET_KEY=SECRET_KEY,
                  LIBRARY_PUBLIC="1" if public else "0", LIBRARY_URL=f"http://127.0.0.1:{port}",
                  SLACK_OPENID_AUTHORIZE_URL=bot.emulator.base_url + "openid/connect/authorize")
    process = ServeProcess(env, ("--no-scheduler",))
    process.wait_healthy()
    return process


def serious_violations(driver) -> list[str]:  # type: ignore[no-untyped-def]
    driver.execute_script(AXE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
        ".then(r => done(r.violations.map(v => [v.id, v.impact, v.nodes.length])));")
    return [f"{rule} ({impact}, {nodes} nodes)" for rule, impact, nodes in result if impact in ("serious", "critical")]


def shot(driver, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"library-{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return path


@pytest.mark.parametrize("public", [True, False], ids=["public", "signed-in"])
def test_search_a_practice_page_and_sign_in_in_chromium(bot: TestBot, browser, public: bool) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    def arrived(check) -> None:  # type: ignore[no-untyped-def]
        """A click or Enter only starts loading the next page: poll for it (a timeout, not a sleep)."""
        WebDriverWait(browser, 20, poll_frequency=0.05).until(check)

    ids = exchange(bot)
    server = serve(bot, public)
    engine = bot.settings.database_url.split(":")[0].split("+")[0]
    try:
        browser.get(server.url + "/library")
        if not public:
            assert "Sign in to read the library" in browser.title
            assert "Wireless" not in browser.find_element(By.TAG_NAME, "main").text
            browser.find_element(By.LINK_TEXT, "Sign in with Slack").click()  # through the emulator's consent
            arrived(lambda d: "Signed in as" in d.find_element(By.TAG_NAME, "header").text)
            assert "Signed in as Dianah Neff" in browser.find_element(By.TAG_NAME, "header").text
        assert serious_violations(browser) == []
        box = browser.find_element(By.ID, "q")  # the label names it; Enter submits, no script
        assert browser.find_element(By.CSS_SELECTOR, "label[for=q]").text == "Search practices"
        box.send_keys("wireless", Keys.ENTER)
        arrived(lambda d: "q=wireless" in d.current_url and d.find_elements(By.ID, "results"))
        results = browser.find_element(By.ID, "results").find_element(By.XPATH, "..").text
        assert "Wireless hotspots downtown" in results
        assert ("permits" in results) is (not public)  # unpublished: members only
        assert "q=wireless" in browser.current_url  # a stable URL for the search
        assert serious_violations(browser) == []
        shot(browser, f"search-{'public' if public else 'member'}-{engine}")
        browser.find_element(By.LINK_TEXT, "Wireless hotspots downtown").click()
        arrived(lambda d: "/library/practices/" in d.current_url)
        assert browser.current_url.endswith(f"/library/practices/{ids['public']}")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Wireless hotspots downtown"
        assert "Free wireless in the squares." in browser.find_element(By.TAG_NAME, "article").text
        assert serious_violations(browser) == []
        skip = browser.find_element(By.CSS_SELECTOR, "a.skip")
        assert skip.get_attribute("href").endswith("#main")
        shot(browser, f"practice-{'public' if public else 'member'}-{engine}")
        browser.execute_script("document.querySelector('main').appendChild(document.createElement('input'))")
        assert any(v.startswith("label") for v in serious_violations(browser))  # the check can fail
    finally:
        code, output = server.stop()
    assert "Traceback" not in output
