#!/usr/bin/env python3
"""Headless Chromium for forklab's pictures: starts the browser (Debian's
chromium and chromium-driver, through python3-selenium) and saves a page as
PNG. `make pictures` runs it on the HTML report the README shows; the
browser test (tests/browser/check_html.py) starts its browser here too.

usage: mk/screenshot.py PAGE.html OUT.png [WIDTH HEIGHT]
"""
import base64
import os
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

# Chromium as root, offline, with nothing of its own running on the side.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars"]


def start_browser(profile, width=1200, height=900):
    """A browser with a fresh profile in `profile`, which keeps the console's
    messages (driver.get_log("browser"))."""
    options = Options()
    for flag in CHROMIUM_FLAGS + ["--window-size=%d,%d" % (width, height),
                                  "--user-data-dir=" + profile]:
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def save_screenshot(driver, path, height=None):
    """The page from its top, `height` pixels of it (all of it by default)."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    full = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(full, height or full),
                 "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def main():
    if len(sys.argv) not in (3, 5):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    page, out = sys.argv[1], sys.argv[2]
    width, height = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) == 5 else (1000, 760)
    profile = tempfile.mkdtemp(prefix="forklab-chromium-")
    driver = start_browser(profile, width, height)
    try:
        driver.get("file://" + os.path.abspath(page))
        save_screenshot(driver, out, height)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print("screenshot: %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
