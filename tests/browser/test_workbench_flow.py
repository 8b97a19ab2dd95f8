"""A matter taken village → township → village through the workbench, in a real browser.

The village operator logs in, picks a township-tier item by its pinyin initials, brings all
materials but one (the form says at once what is missing), submits and gets the one-time notice,
supplements; the case appears on the township's open worklist without a reload; the township
claims, decides and issues the result; the result is back at the village, which delivers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.auth import TEST_PASSWORD
from tests.support.system import System

pytestmark = pytest.mark.browser

VILLAGE, TOWNSHIP = "c01.t01.v01", "c01.t01"
ITEM = "GH-001"  # 申请《村镇建设项目选址意见书》的受理: township tier, five required materials
WAIT_MS = 20_000


def login(browser: Any, system: System, operator: str, node: str) -> Any:
    system.token(operator, node)  # seeds the account with the test password
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{system.url('node')}/")
    assert "/login" in page.url  # not logged in yet
    page.fill('input[name="operator_id"]', operator)
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url("**/worklist**")
    return page


def take(page: Any, action: str, fields: dict[str, str] | None = None) -> None:
    """Open an action's form on the case page, fill it, confirm."""
    details = page.locator(f'details:has(form[data-action="{action}"])')
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    form = page.locator(f'form[data-action="{action}"]')
    for name, value in (fields or {}).items():
        target = form.locator(f'[name="{name}"]')
        if target.evaluate("el => el.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()


def test_matter_from_village_to_township_and_back(browser: Any, system: System, artifacts: Path) -> None:
    village = login(browser, system, "cun.liuxin", VILLAGE)
    township = login(browser, system, "zhen.liuxin", TOWNSHIP)  # its worklist stays open from here on

    # new matter: find the item by pinyin initials and open its guide
    village.click("text=新办件")
    village.fill("#item-filter", "czjs")
    visible = village.locator("#items li:not([hidden])")
    assert visible.count() >= 1
    village.click(f'#items a[href="/new/{ITEM}"]')
    assert village.locator("text=办事指南").is_visible()

    # tick every material but one required: the form says at once what is missing
    boxes = village.locator('input[name="materials"][data-kind="required"]')
    n = boxes.count()
    assert n >= 2
    for i in range(n - 1):
        boxes.nth(i).check()
    missing_name = boxes.nth(n - 1).get_attribute("data-name")
    missing = village.locator("#missing")
    assert missing_name and missing_name in missing.inner_text()
    assert village.locator("#submit-matter").inner_text() == "提交并出具一次性告知书"
    village.fill('input[name="name"]', "王五")
    village.fill('input[name="phone"]', "13900001111")
    village.click("#submit-matter")
    village.wait_for_url("**/cases/**")
    assert "一次性告知" in village.inner_text("main")
    assert missing_name in village.locator(".notice-box").inner_text()
    case_number = village.locator('[data-field="case_number"]').inner_text()
    case_url = village.url.split("?")[0]

    # the citizen brings the missing material: supplement, the case is accepted and routed
    village.locator('.notice-box input[name="materials"]').first.check()
    village.click("text=提交补正")
    village.wait_for_load_state()
    assert village.locator('[data-field="status"]').get_attribute("data-status") != "pending_supplement"

    # it appears on the township's worklist without a reload (live update)
    row = township.locator(f'#rows tr:has-text("{case_number}")')
    row.wait_for(timeout=WAIT_MS)
    township.screenshot(path=str(artifacts / "worklist-township.png"), full_page=True)
    row.locator("a").click()
    township.wait_for_url("**/cases/**")

    take(township, "claim")
    take(township, "decide", {"approved": "true", "reason": "选址符合村镇规划"})
    assert township.locator('[data-field="status"]').get_attribute("data-status") == "decided"
    township.screenshot(path=str(artifacts / "case-township.png"), full_page=True)
    take(township, "issue-result", {"result": "村镇建设项目选址意见书 柳选字第001号"})
    township.wait_for_url("**/worklist**")  # handed over: the case left the township
    assert case_number in township.inner_text("main")

    # back at the village: the result is there for delivery
    village.goto(f"{system.url('node')}/worklist")
    village.locator(f'#rows tr:has-text("{case_number}")').wait_for(timeout=WAIT_MS)
    village.goto(case_url)
    assert village.locator('form[data-action="deliver"]').count() == 1
    take(village, "deliver", {"recipient": "王五"})
    assert village.locator('[data-field="status"]').get_attribute("data-status") == "delivered"
    timeline = village.locator("table.timeline").inner_text()
    for step in ("收件", "一次性告知", "补正材料", "受理", "认领", "作出决定", "出件", "送达"):
        assert step in timeline
    village.screenshot(path=str(artifacts / "case-village.png"), full_page=True)
    village.goto(f"{system.url('node')}/worklist?view=submitted")
    village.screenshot(path=str(artifacts / "worklist-village.png"), full_page=True)
    for p in (village, township):
        p.context.close()
