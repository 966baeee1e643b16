"""Drives the demo page in a headless system Chromium (Selenium + Debian's chromium-driver).

Used by tests/web (the browser test of `make test`) and benchmarks/web_demo_timing.py. No browser
is downloaded: `missing()` names what is absent so callers can skip or fail with that message.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
import time

import numpy as np

# Flags known to work headless on these machines, plus a fresh profile per launch.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1200,1100",
                  "--disable-dev-shm-usage")  # containers often have a tiny /dev/shm
CHROMIUM_NAMES = ("chromium", "chromium-browser")
DRIVER_NAMES = ("chromedriver",)


def _which(names):
    return next((p for p in map(shutil.which, names) if p), None)


def missing() -> list[str]:
    """What this machine lacks to drive the page (empty when everything is there)."""
    absent = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        absent.append("the selenium Python package (requirements.txt)")
    if not _which(CHROMIUM_NAMES):
        absent.append("chromium (Debian package chromium)")
    if not _which(DRIVER_NAMES):
        absent.append("chromedriver (Debian package chromium-driver)")
    return absent


class DemoPage:
    """One headless Chromium on the demo served at `base_url` (`open` may go to another)."""

    def __init__(self, base_url: str = ""):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.base_url = base_url.rstrip("/")
        self._profile = tempfile.TemporaryDirectory(prefix="mccnet-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = _which(CHROMIUM_NAMES)
        for flag in CHROMIUM_FLAGS + (f"--user-data-dir={self._profile.name}",):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An explicit driver path: Selenium Manager (which would download one) never runs.
        self.driver = webdriver.Chrome(options=options,
                                       service=Service(_which(DRIVER_NAMES)))
        self.driver.set_script_timeout(60)

    def open(self, query: str = "", base_url: str | None = None) -> None:
        self.driver.get(f"{(base_url or self.base_url).rstrip('/')}/?{query}")

    def status(self) -> str:
        return self.driver.execute_script("return document.body.dataset.status")

    def message(self) -> str:
        return self.driver.execute_script("return document.getElementById('message').textContent")

    def wait(self, statuses=("done", "error"), timeout: float = 120.0) -> str:
        """Polls the page's status until it is one of `statuses`; returns it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.status()
            if s in statuses:
                return s
            time.sleep(0.2)
        raise TimeoutError(f"page still {self.status()!r} after {timeout} s: {self.message()}")

    def result_info(self) -> dict:
        """Timings, tile count, size, backend, DP-axis measurement and split gain of the last
        result."""
        return self.driver.execute_script(
            "const r = window.mccnetDemo.result; return {times: r.times, tileMs: r.tileMs, "
            "tiles: r.tiles, tile: r.tile, width: r.width, height: r.height, "
            "backend: r.backend, hasDefocus: r.defocus !== null, dpAxis: r.dpAxis, "
            "splitGain: r.splitGain};")

    def output(self, name: str = "output") -> np.ndarray:
        """A float array of the last result, before 8-bit packing: "output" (the blended image,
        H x W x 3) or "defocus" (the blended defocus map, H x W)."""
        info = self.result_info()
        encoded = self.driver.execute_script(
            "const b = new Uint8Array(window.mccnetDemo.result[arguments[0]].buffer); let s = '';"
            "for (let i = 0; i < b.length; i += 0x8000) "
            "  s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));"
            "return btoa(s);", name)
        data = np.frombuffer(base64.b64decode(encoded), np.float32)
        return data.reshape(info["height"], info["width"], -1).squeeze(-1 if name != "output"
                                                                        else ())

    def result_png(self) -> bytes:
        """The PNG the page's Save button writes."""
        encoded = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "window.mccnetDemo.resultPng().then((blob) => {"
            "  const reader = new FileReader();"
            "  reader.onload = () => done(reader.result.split(',')[1]);"
            "  reader.readAsDataURL(blob); });")
        return base64.b64decode(encoded)

    def upload(self, element_id: str, path) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.ID, element_id).send_keys(str(path))

    def click(self, element_id: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.ID, element_id).click()

    def console(self) -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser")]

    def screenshot(self, path) -> None:
        self.driver.save_screenshot(str(path))

    def close(self) -> None:
        self.driver.quit()
        self._profile.cleanup()
