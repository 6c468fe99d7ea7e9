"""One employee's browser: the app driven by role and accessible name, as the
spec's table names its controls."""

from __future__ import annotations

import json
import re

from playwright.sync_api import BrowserContext, Page, expect

ALL_SYNCED = re.compile(r"All synced")
ADDRESS_PARTS = {"street", "city", "postal_code", "country"}


class Employee:
    def __init__(self, context: BrowserContext, url: str) -> None:
        self.context = context
        self.url = url
        self.errors: list = []  # uncaught errors and what the page's policy refused
        self.page = self.open_tab()

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def open_tab(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)
        page.goto(self.url + "/")
        return page

    def sign_in(self, token: str, page: Page | None = None) -> None:
        page = page or self.page
        page.get_by_role("textbox", name="Token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sync now")).to_be_visible()

    @property
    def status(self):
        return self.page.get_by_role("status")

    def offline(self, offline: bool = True) -> None:
        self.context.set_offline(offline)
        if offline:
            expect(self.status).to_contain_text("Offline")

    def synced(self, page: Page | None = None, timeout: float = 60_000) -> None:
        page = page or self.page
        page.get_by_role("button", name="Sync now").click()
        expect(page.get_by_role("status")).to_contain_text(ALL_SYNCED, timeout=timeout)
        expect(page.get_by_role("status")).not_to_contain_text("Syncing", timeout=timeout)

    def open_customer(self, name: str, page: Page | None = None) -> None:
        page = page or self.page
        page.get_by_role("link", name="Customers").click()
        page.get_by_role("searchbox", name="Search customers").fill(name)
        page.get_by_role("link", name=name, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)

    def edit(self, page: Page | None = None, **values: str) -> None:
        """Fills fields by their labels (``postal_code`` is "Postal code") and saves."""
        page = page or self.page
        page.bring_to_front()  # a hidden tab's timers are throttled
        pending = self.pending(page)
        for field, value in values.items():
            label = field.replace("_", " ").capitalize()
            page.get_by_role("textbox", name=label, exact=True).fill(value)
        page.get_by_role("button", name="Save changes").click()
        expect(page.get_by_text(re.compile(r"changes? queued"))).to_be_visible()
        commands = {"address" if f in ADDRESS_PARTS else f for f in values}
        expect(page.get_by_role("status")).to_contain_text(
            f"{pending + len(commands)} pending"
        )

    def pending(self, page: Page | None = None) -> int:
        found = re.search(
            r"(\d+) pending", (page or self.page).get_by_role("status").inner_text()
        )
        return int(found.group(1)) if found else 0

    def field(self, label: str):
        return self.page.get_by_role("textbox", name=label, exact=True)

    def set_setting(self, key: str, value) -> None:
        """One of the app's settings in IndexedDB (as a person could in the devtools)."""
        self.page.evaluate(
            """([key, value]) => new Promise((resolve, reject) => {
            const open = indexedDB.open('customers');
            open.onsuccess = () => {
                const tx = open.result.transaction('settings', 'readwrite');
                tx.objectStore('settings').put(value, key);
                tx.oncomplete = () => resolve();
                tx.onerror = () => reject(tx.error);
            };
        })""",
            [key, value],
        )

    def stored(self, store: str, page: Page | None = None) -> list[dict]:
        """Everything in one of the app's IndexedDB stores."""
        return (page or self.page).evaluate(
            """(store) => new Promise((resolve, reject) => {
            const open = indexedDB.open('customers');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const all = open.result.transaction(store).objectStore(store).getAll();
                all.onsuccess = () => resolve(all.result);
                all.onerror = () => reject(all.error);
            };
        })""",
            store,
        )


def wait_for_service_worker(page: Page) -> None:
    """Until the service worker controls the page, so a reload works offline.

    The predicate is a function, not an expression: Playwright compiles a
    function itself, while an expression that is not true at once is polled
    through ``eval`` in the page, which the app's policy (no 'unsafe-eval')
    refuses."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def register(server, name: str, token: str = "carol-token", **values) -> str:
    """A customer registered at the office, straight through the API."""
    answer = server.session(token).post(
        f"{server.url}/customers",
        timeout=30,
        json={"client_id": "office", "name": name, **values},
    )
    assert answer.status_code == 201, answer.text
    server.wait_projected()
    return answer.json()["customer_id"]


def history(server, customer_id: str) -> list[dict]:
    answer = server.session().get(
        f"{server.url}/customers/{customer_id}/history", timeout=30
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["events"]


def sent_commands(requests: list) -> list[list[str]]:
    """The command ids of each POST /sync a page sent."""
    return [
        [c["command_id"] for c in json.loads(r.post_data)["commands"]]
        for r in requests
        if r.method == "POST" and r.url.endswith("/sync")
    ]
