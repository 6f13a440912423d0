#!/usr/bin/env python3
"""Checks HTML reports of `forklab check` in a real browser (headless
Chromium driven by Selenium, Debian's chromium, chromium-driver and
python3-selenium), and keeps a screenshot of each.

    check_html.py --shots DIR REPORT.html...

For each page: no console message of level SEVERE; nothing loaded from
anywhere (no resource entries: the page is self-contained) and no script
that runs; every process of the JSON report the page carries has its node
in the tree and its section; every finding links to a process that exists,
and every link on the page leads to an element that exists; the
descriptor tables in the page are the JSON report's tables, row by row, with
the rows a blocked process waited on, and those that kept it waiting,
marked as the report's "waiting" says; the tree's links are reached with
the Tab key. Prints one line per check and exits 1 when any failed.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "mk"))
from screenshot import save_screenshot, start_browser  # noqa: E402 (the path above first)

class Checker:
    def __init__(self):
        self.failures = 0
        self.passed = 0

    def expect(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failures += 1
            print("FAIL: " + what)
        return condition


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def check_self_contained(driver, check, name):
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    check.expect(resources == [], "%s: the page loaded %s" % (name, resources))
    running = driver.execute_script(
        "return [...document.scripts].filter(s => s.type !== 'application/json').length")
    check.expect(running == 0, "%s: %d script(s) that run" % (name, running))
    check.expect(driver.execute_script("return document.documentElement.lang") == "en",
                 "%s: no lang on <html>" % name)


def check_processes(driver, check, name, report):
    for process in report["processes"]:
        pid = process["pid"]
        nodes = css(driver, 'svg a.node[data-pid="%d"]' % pid)
        check.expect(len(nodes) >= 1, "%s: pid %d has no node in the tree" % (name, pid))
        for node in nodes:
            check.expect(bool(node.get_attribute("aria-label")),
                         "%s: the node of pid %d has no text alternative" % (name, pid))
        check.expect(len(css(driver, 'section.process[data-pid="%d"]' % pid)) >= 1,
                     "%s: pid %d has no section" % (name, pid))
    check.expect(len(css(driver, "svg a.node")) == len(report["processes"]),
                 "%s: the tree has %d nodes for %d processes" %
                 (name, len(css(driver, "svg a.node")), len(report["processes"])))


def check_links(driver, check, name, report):
    pids = {p["pid"] for p in report["processes"]}
    findings = css(driver, "li.finding")
    check.expect(len(findings) == len(report["findings"]),
                 "%s: %d findings shown, %d in the report" %
                 (name, len(findings), len(report["findings"])))
    for item, finding in zip(findings, report["findings"]):
        check.expect(item.get_attribute("data-kind") == finding["kind"],
                     "%s: finding %s shown as %s" %
                     (name, finding["kind"], item.get_attribute("data-kind")))
        if finding["pid"] == 0:
            continue
        links = item.find_elements(By.CSS_SELECTOR, "a.process-link")
        check.expect(len(links) == 1, "%s: the %s finding has no link to its process" %
                     (name, finding["kind"]))
        for link in links:
            target = link.get_attribute("hash")[1:]
            pid = driver.execute_script(
                "const t = document.getElementById(arguments[0]); "
                "return t ? Number(t.dataset.pid) : null", target)
            check.expect(pid == finding["pid"] and pid in pids,
                         "%s: the %s finding links to %r, not to pid %d" %
                         (name, finding["kind"], target, finding["pid"]))
    broken = driver.execute_script(
        "return [...document.querySelectorAll('a[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href').slice(1))"
        ".filter(id => !document.getElementById(id))")
    check.expect(broken == [], "%s: links to nothing: %s" % (name, broken[:5]))


def rows_of(table):
    rows = []
    for row in table.find_elements(By.CSS_SELECTOR, "tbody tr[data-fd]"):
        cells = row.find_elements(By.CSS_SELECTOR, "th, td")
        rows.append({"fd": int(row.get_attribute("data-fd")), "kind": cells[1].text,
                     "target": cells[2].text, "end": cells[3].text,
                     "class": row.get_attribute("class") or ""})
    return rows


def check_tables(driver, check, name, report):
    """The page's tables against the JSON report's: same events, same rows."""
    marked = {}  # (pid, fd at the timeout) -> "waits" or "holds"
    for process in report["processes"]:
        waiting = process.get("waiting")
        if not waiting:
            continue
        if waiting.get("fd") is not None:
            marked[(process["pid"], waiting["fd"])] = "waits"
        for holder in waiting["held_by"]:
            marked.setdefault((holder["pid"], holder["fd"]), "holds")
    compared = 0
    for process in report["processes"]:
        pid = process["pid"]
        sections = css(driver, 'section.process[data-pid="%d"]' % pid)
        if not sections:
            continue
        tables = sections[-1].find_elements(By.CSS_SELECTOR, "table[data-event]")
        events = [e for e in process["events"] if "fds" in e]
        check.expect(len(tables) == len(events), "%s: pid %d has %d tables, the report %d" %
                     (name, pid, len(tables), len(events)))
        for table, event in zip(tables, events):
            check.expect(table.get_attribute("data-event") == event["event"],
                         "%s: pid %d: table %s for event %s" %
                         (name, pid, table.get_attribute("data-event"), event["event"]))
            shown = rows_of(table)
            expected = [{"fd": fd["fd"], "kind": fd["kind"], "target": fd["target"],
                         "end": fd["end"]} for fd in event["fds"]]
            check.expect([{k: r[k] for k in ("fd", "kind", "target", "end")} for r in shown] ==
                         expected, "%s: pid %d, %s table: %s != %s" %
                         (name, pid, event["event"], shown, expected))
            for row in shown:
                mark = marked.get((pid, row["fd"])) if event["event"] == "timeout" else None
                check.expect((mark or "") == row["class"],
                             "%s: pid %d fd %d at %s marked %r, expected %r" %
                             (name, pid, row["fd"], event["event"], row["class"], mark))
            compared += 1
    return compared


def check_keyboard(driver, check, name):
    """Tab from the top reaches the first node of the tree."""
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(40):
        focused = driver.switch_to.active_element
        if "node" in (focused.get_attribute("class") or ""):
            break
        focused.send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    check.expect("node" in (focused.get_attribute("class") or ""),
                 "%s: Tab never reached a node of the tree" % name)


def check_page(driver, check, path, shots):
    name = os.path.basename(path)
    driver.get("file://" + os.path.abspath(path))
    report = json.loads(driver.execute_script(
        "return document.getElementById('forklab-report').textContent"))
    check_self_contained(driver, check, name)
    check_processes(driver, check, name, report)
    check_links(driver, check, name, report)
    tables = check_tables(driver, check, name, report)
    shot = os.path.join(shots, os.path.splitext(name)[0] + ".png")
    save_screenshot(driver, shot)  # before the keyboard test moves the focus
    check_keyboard(driver, check, name)
    severe = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check.expect(severe == [], "%s: console errors: %s" % (name, severe))
    print("%s: %d processes, %d findings, %d descriptor tables compared; screenshot %s" %
          (name, len(report["processes"]), len(report["findings"]), tables, shot))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shots", required=True, help="folder for the screenshots")
    parser.add_argument("pages", nargs="+")
    options = parser.parse_args()
    os.makedirs(options.shots, exist_ok=True)
    check = Checker()
    profile = tempfile.mkdtemp(prefix="forklab-chromium-")
    driver = start_browser(profile)
    try:
        for page in options.pages:
            check_page(driver, check, page, options.shots)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print("browser: %d checks passed, %d failed" % (check.passed, check.failures))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
