"""Take the README's screenshots of the real portal with the demo data (desktop and phone).

    .venv/bin/python scripts/screenshots.py

Builds a throw-away SQLite database with the demo data, serves it with `runserver` on a free
port, and drives Debian's Chromium (Playwright) through three pages into docs/screenshots/.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "Kompetensi#2026"
ADMIN = "197911182002041003"
ASN = "198710082015121003"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=id-ID"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    db = Path(tempfile.mkdtemp()) / "screens.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    for key in ("REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(key, None)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "load_demo_data"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            shots = [
                (ADMIN, {"width": 1280, "height": 860}, "/semarang/", "admin-home-desktop.png"),
                (ASN, {"width": 1280, "height": 860}, "/semarang/katalog/", "asn-catalogue-desktop.png"),
                (ASN, {"width": 360, "height": 780}, "/semarang/", "asn-home-phone.png"),
            ]  # fmt: skip
            for login, viewport, path, name in shots:
                context = browser.new_context(
                    base_url=base, viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta"
                )
                page = context.new_page()
                page.goto("/akun/login/")
                page.fill("input[name=login]", login)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / name), full_page=False)
                print(OUT / name)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
