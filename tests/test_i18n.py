"""English as the second language: the switch works, and the catalogue keeps up with the UI.

The UI is written in Bahasa Indonesia (the msgids); locale/en/LC_MESSAGES/django.po holds the
English. scripts/test.sh compiles it before the suite; a missing or stale .mo is compiled here.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TEMPLATES = ROOT / "templates"
# The same folders `makemessages` is told to skip (see the README / docs).
IGNORED = [".venv", "static", "staticfiles", "node_modules"]

LANDING_ID = "Pengembangan kompetensi ASN, dalam satu portal"
LANDING_EN = "Civil servant competency development, in one portal"


# --- a few lines of .po parsing (no polib in the project) -------------------------------------


def _unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s[1:-1])


def parse_po(text):
    """Entries as dicts: msgid, msgid_plural, msgstr (index -> text), flags. Skips obsolete."""
    entries, entry, key = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in text.splitlines():
        if line.startswith("#~") or not line.strip():
            continue
        if line.startswith("#,"):
            flush()
            entry, key = {"flags": {f.strip() for f in line[2:].split(",")}, "msgstr": {}}, None
            continue
        if line.startswith("#"):
            continue
        m = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if m:
            name, index, value = m.group(1), m.group(2), _unquote(m.group(3))
            if name in ("msgid", "msgctxt") and (entry is None or "msgid" in entry):
                flush()
                entry = {"flags": set(), "msgstr": {}}
            if name.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = value
            else:
                key = (name, None)
                entry[name] = value
        else:  # continuation line
            value = _unquote(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += value
            else:
                entry[key[0]] += value
    flush()
    return entries


def untranslated(entries):
    """Entries (other than the header) that would show in Indonesian: empty or fuzzy."""
    missing = []
    for e in entries:
        if e["msgid"] == "":
            continue
        forms = e["msgstr"]
        wanted = [0, 1] if "msgid_plural" in e else [0]
        if "fuzzy" in e["flags"] or any(not forms.get(i) for i in wanted):
            missing.append(e["msgid"])
    return missing


# --- the compiled catalogue --------------------------------------------------------------------


@pytest.fixture(scope="module")
def english_catalogue():
    """Compile the .po if the .mo is missing or older, then drop cached catalogues."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        msgfmt = shutil.which("msgfmt")
        assert msgfmt, "gettext (msgfmt) is needed to compile locale/en; see the README."
        tmp = MO.with_name(f".django.{os.getpid()}.mo")
        subprocess.run([msgfmt, "--check-format", "-o", str(tmp), str(PO)], check=True)
        os.replace(tmp, MO)
        import gettext

        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None
    yield MO


# --- the language switch -----------------------------------------------------------------------


@pytest.mark.django_db
def test_default_language_is_indonesian(client, english_catalogue):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert LANDING_ID in html
    assert LANDING_EN not in html


@pytest.mark.django_db
def test_switching_to_english_translates_the_landing_page(client, english_catalogue):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert LANDING_EN in html
    assert LANDING_ID not in html
    assert "Sign in with NIP or email" in html
    # The switch can go back.
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert LANDING_ID in client.get("/").content.decode()


@pytest.mark.django_db
def test_region_home_in_english_for_a_logged_in_employee(employee, login, english_catalogue):
    client = login(employee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/semarang/"})
    response = client.get("/semarang/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome, Siti Aminah" in html
    assert "Selamat datang" not in html
    assert "Sign out" in html and "Keluar" not in html
    assert "Training catalogue" in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian(client, english_catalogue):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="id">' in html and LANDING_ID in html
    assert response["Content-Language"] == "id"


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself(client, english_catalogue):
    for language in ("id", "en"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        html = client.get("/").content.decode()
        assert (
            'lang="id" >Bahasa Indonesia</option>' in html
            or 'lang="id" selected>Bahasa Indonesia</option>' in html
        )
        assert ">English</option>" in html


@pytest.mark.django_db
def test_a_signed_in_choice_is_kept_on_the_user_for_every_device(
    employee, login, english_catalogue
):
    from django.test import Client

    login(employee).post("/i18n/setlang/", {"language": "en", "next": "/semarang/"})
    employee.user.refresh_from_db()
    assert employee.user.language == "en"
    other_device = Client()
    other_device.force_login(employee.user)
    html = other_device.get("/semarang/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Sign out" in html and "Keluar" not in html


@pytest.mark.django_db
def test_set_language_refuses_a_foreign_redirect_and_an_unknown_language(client):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_english_catalogue_translates_plurals_and_placeholders(english_catalogue):
    with translation.override("en"):
        assert translation.gettext("Kelola") == "Manage"
        assert (
            translation.ngettext(
                "%(counter)s notifikasi belum dibaca.", "%(counter)s notifikasi belum dibaca.", 1
            )
            % {"counter": 1}
            == "1 unread notification."
        )
        assert (
            translation.ngettext(
                "%(counter)s notifikasi belum dibaca.", "%(counter)s notifikasi belum dibaca.", 3
            )
            % {"counter": 3}
            == "3 unread notifications."
        )


# --- the catalogue keeps up with the UI --------------------------------------------------------


def test_english_catalogue_has_no_untranslated_entries():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = untranslated(entries)
    assert not missing, (
        f"{len(missing)} untranslated or fuzzy entries in {PO.relative_to(ROOT)}, e.g. "
        f"{missing[:5]!r}. Translate them (and drop '#, fuzzy')."
    )


def test_english_catalogue_contains_every_string_of_the_ui(tmp_path):
    """Re-extract the messages into a scratch copy: a new UI string must be in the .po.

    The scratch tree links every top-level entry of the project except locale/, which is a copy,
    so `makemessages` writes there and never touches the real catalogue.
    """
    for tool in ("xgettext", "msgmerge", "msguniq"):
        assert shutil.which(tool), f"gettext ({tool}) is needed; see the README."
    work = tmp_path
    for entry in ROOT.iterdir():
        if entry.name != "locale":
            (work / entry.name).symlink_to(entry)
    (work / PO.relative_to(ROOT)).parent.mkdir(parents=True)
    shutil.copy(PO, work / PO.relative_to(ROOT))
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--symlinks"]
    command += [f"--ignore={name}" for name in IGNORED] + ["--no-obsolete", "-v0"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(command, cwd=work, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    committed = {e["msgid"] for e in parse_po(PO.read_text(encoding="utf-8"))}
    fresh = parse_po((work / PO.relative_to(ROOT)).read_text(encoding="utf-8"))
    new = sorted({e["msgid"] for e in fresh} - committed)
    assert not new, (
        f"{len(new)} UI strings are not in {PO.relative_to(ROOT)}, e.g. {new[:5]!r}. Run "
        "`manage.py makemessages -l en --ignore=.venv --ignore=static --ignore=staticfiles "
        "--ignore=node_modules --no-obsolete` and translate them."
    )


def test_templates_that_translate_load_i18n():
    tag = re.compile(r"\{%-?\s*(translate|trans|blocktranslate|blocktrans)\b")
    load = re.compile(r"\{%\s*load\s+[^%]*\bi18n\b[^%]*%\}")
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted(TEMPLATES.rglob("*"))
        if path.suffix in (".html", ".txt")
        and tag.search(text := path.read_text(encoding="utf-8"))
        and not load.search(text)
    ]
    assert not offenders, f"Templates using translate tags without {{% load i18n %}}: {offenders}"
