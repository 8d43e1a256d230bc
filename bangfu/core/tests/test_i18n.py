"""English under the language switch, and a complete English catalogue.

The msgids are the Chinese texts (docs/decisions/0002-chinese-msgids.md); English comes from
bangfu/locale/en/LC_MESSAGES/django.po. The header of that file says how to refresh it.
"""

import ast
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.translation import trans_real

LIST = "/registry/households/"
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


@pytest.fixture(scope="module")
def compiled_catalogue():
    """Build django.mo from django.po when it is missing or older (scripts/bootstrap.sh normally
    does this; the .mo is not committed), so the page tests see the catalogue as it is now."""
    if COMPILED.exists() and COMPILED.stat().st_mtime >= CATALOGUE.stat().st_mtime:
        return
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail(
            f"{COMPILED} is missing or stale and msgfmt is not installed: run scripts/bootstrap.sh"
        )
    fd, tmp = tempfile.mkstemp(dir=COMPILED.parent, suffix=".mo.tmp")
    os.close(fd)
    try:
        subprocess.run([msgfmt, "--check-format", "-o", tmp, str(CATALOGUE)], check=True)
        os.replace(tmp, COMPILED)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    trans_real._translations = {}  # drop catalogues Django loaded before the .mo was rebuilt


def in_english(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": LIST})
    assert r.status_code == 302
    return client


@pytest.mark.django_db
def test_household_list_in_english(compiled_catalogue, users, household, login):
    c = login(users["county"])
    html = c.get(LIST).content.decode()
    assert "<h1>贫困户</h1>" in html and "未脱贫" in html  # Chinese by default

    html = in_english(c).get(LIST).content.decode()
    assert '<html lang="en">' in html
    assert household.household_no in html
    assert "<h1>Households</h1>" in html
    for label in (
        "Household number",
        "Head of household",
        "Status",
        "Category",
        "Main cause of poverty",
        "Net income per person",
        "Survey year",
        "Not exited",
        "Ordinary poor household",
        "Illness",
        "Add household",
    ):
        assert label in html, label
    for label in (
        "<h1>贫困户</h1>",
        "户编号",
        "户主",
        "户类型",
        "贫困户属性",
        "主要致贫原因",
        "人均纯收入",
        "调查年度",
        "未脱贫",
        "一般贫困户",
        "因病",
        "新增贫困户",
    ):
        assert label not in html, label


@pytest.mark.django_db
def test_household_page_in_english(compiled_catalogue, users, household, login):
    c = in_english(login(users["county"]))
    html = c.get(reverse("registry:household", kwargs={"pk": household.pk})).content.decode()
    assert household.household_no in html
    for label in (
        "Household details",
        "Household number",
        "Status",
        "Not exited",
        "Category",
        "Ordinary poor household",
        "Household members",
        "Relationship to head",
        "Spouse",
        "Annual surveys",
        "Net income per person",
        "Status changes",
        "Change history",
        "Edit",
    ):
        assert label in html, label
    for label in (
        "户基本情况",
        "户编号",
        "户类型",
        "未脱贫",
        "贫困户属性",
        "一般贫困户",
        "家庭成员",
        "与户主关系",
        "配偶",
        "年度调查",
        "人均纯收入",
        "户类型变化",
        "修改记录",
    ):
        assert label not in html, label


def catalogue_entries(path=CATALOGUE):
    """(msgid, [msgstr, ...], flags) of each live entry of a .po file; obsolete #~ entries and
    the header are left out."""
    entries, entry, field = [], None, None

    def finish():
        if entry and entry["msgid"]:
            entries.append((entry["msgid"], list(entry["msgstr"].values()), entry["flags"]))

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            entry, field = {"msgid": "", "msgstr": {}, "flags": set()}, None
            entry["flags"] = {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if m:
            key, text = m.group(1), ast.literal_eval(m.group(2))
            if key in ("msgctxt", "msgid") and (entry is None or field not in (None, "msgctxt")):
                finish()
                entry = {"msgid": "", "msgstr": {}, "flags": set()}
            field = key
        else:
            text = ast.literal_eval(line)  # continuation of the previous string
            key = field
        if key.startswith("msgstr"):
            entry["msgstr"][key] = entry["msgstr"].get(key, "") + text
        elif key == "msgid":
            entry["msgid"] += text
    finish()
    return entries


def test_every_entry_is_translated():
    entries = catalogue_entries()
    assert len(entries) > 400  # the parser found the catalogue
    untranslated = [msgid for msgid, msgstrs, _ in entries if not msgstrs or not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert not untranslated, f"untranslated in {CATALOGUE.name}: {untranslated}"
    assert not fuzzy, f"fuzzy (check, then remove the flag) in {CATALOGUE.name}: {fuzzy}"


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{\w*\}")


def test_translations_keep_placeholders():
    """msgfmt --check-format checks this too, but only when the catalogue is compiled."""
    wrong = [
        (msgid, msgstr)
        for msgid, msgstrs, flags in catalogue_entries()
        if {"python-format", "python-brace-format"} & flags
        for msgstr in msgstrs
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert not wrong, wrong
