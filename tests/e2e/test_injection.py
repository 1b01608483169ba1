"""Every text from params, the catalogue and the commentary is escaped wherever it lands in either paper."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser

import pytest
import yaml
from builders import copy_project

from scrutiny.run.execute import run_period
from scrutiny.run.gate import check_html

pytestmark = pytest.mark.e2e
PAYLOADS = ['<img src=x onerror="alert(1)">', "<script>alert(2)</script>", '"><svg onload=alert(3)>',
            "</title><iframe src=javascript:alert(4)>", "{month}<object data=x></object>"]


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed") or (tag == "svg" and dict(attrs).get("class") not in ("spark", "icon")):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag} {name}={value}")
        if tag == "img" and not dict(attrs).get("src", "").startswith("data:image/svg+xml;base64,"):
            self.bad.append("img from outside")


def poison(value, k=[0]):
    k[0] += 1
    return f"{value} {PAYLOADS[k[0] % len(PAYLOADS)]}"


def test_hostile_text_in_every_params_field_and_the_catalogue_is_shown_as_text(demo_project, tmp_path):
    root = copy_project(demo_project[0], tmp_path / "p")
    params_file = root / "params" / "2023-11.yaml"
    params = yaml.safe_load(params_file.read_text())
    for key in ("decision_maker", "decision_type", "title", "contact_officer", "chief_officer", "ward"):
        params["cover"][key] = poison(params["cover"][key])
    params["cover"]["contact_email"] = 'x@y.example"><script>alert(5)</script>'
    report = params["report"]
    report["reason"] = poison(report["reason"])
    report["recommendations"] = [poison(t) for t in report["recommendations"]]
    report["commentary_opening"] = [poison(t) for t in report["commentary_opening"]]
    report["implications"] = {k: poison(v) for k, v in report["implications"].items()}
    report["background_documents"] = [poison(t) for t in report["background_documents"]]
    params_file.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))
    catalogue = root / "params" / "catalogue"
    if catalogue.is_symlink():  # never write through a link into the package's starter files
        real = catalogue.resolve()
        catalogue.unlink()
        shutil.copytree(real, catalogue)
    entries = yaml.safe_load((catalogue / "2023-24.yaml").read_text())
    for entry in entries["indicators"]:
        for key in ("title", "why_important", "definition"):
            entry[key] = poison(entry[key])
    (catalogue / "2023-24.yaml").write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True))
    store = root / "params" / "commentary" / "2023-11.yaml"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(yaml.safe_dump({"period": "2023-11", "entries": {"summary": {
        "text": "Read [this](javascript:alert(6)) and <img src=x onerror=alert(7)>"}}}))
    result = run_period("2023-11", root)
    for paper in (result.part1, result.part2):
        html = paper.read_text()
        assert Tags(html).bad == [], paper
        assert "&lt;script&gt;" in html or "&lt;img" in html  # the words are there, as text
    assert check_html(result.part1.read_text(), commentary=False) == []
