"""The administrators' audit page in a real browser: a failed and a good sign-in are listed, the filters narrow the
list, the CSV link keeps the filters, and the page is not in other roles' navigation."""

import pytest

from tests.support import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_reads_the_audit_log_with_filters(pages):
    visitor = pages.open(None, None)
    pages.watch.allow_status(401)  # the wrong password, on purpose
    sign_in(visitor, "writer1", password="not the password", next_url="/learn")
    page = pages.open("admin", "/admin/audit?action=sign-in-failed")
    rows = page.locator("#audit-log tbody tr")
    assert rows.count() >= 1 and "writer1" in rows.first.inner_text() and "401" in rows.first.inner_text()
    page.select_option("#f-action", "sign-in")
    page.fill("#f-actor", "admin1")
    page.click("#f-apply")
    page.wait_for_url("**action=sign-in**")
    texts = [page.locator("#audit-log tbody tr").nth(i).inner_text() for i in range(page.locator("#audit-log tbody tr").count())]
    assert texts and all("admin1" in t and "sign-in" in t for t in texts)
    assert "actor=admin1" in page.get_attribute("#audit-csv", "href")
    assert page.locator("nav a[href='/admin/audit']").count() == 1
    consultant = pages.open("consultant", "/")
    assert consultant.locator("nav a[href='/admin/audit']").count() == 0
