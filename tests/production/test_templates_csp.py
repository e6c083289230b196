"""Templates must work under the Content-Security-Policy: no inline script, no <style>.

The policy (SECURE_CSP in workbench/settings.py) allows scripts and stylesheets only from the
project's own files. A browser silently refuses anything inline, so a page that relies on it
breaks in every browser, in development too. These tests find such code in the templates and
say where it is and how to move it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
# Script elements with these types are data (JSON-LD, json_script), never executed.
DATA_TYPES = {"application/ld+json", "application/json"}

SCRIPT_ADVICE = (
    "The Content-Security-Policy allows script only from files (script-src 'self'), so the "
    "browser will not run these. Move the code to a file under static/js/ and load it with "
    "<script src=\"{% static 'js/NAME.js' %}\" defer></script>; attach handlers there with "
    "addEventListener, and pass values through data-* attributes or {{ value|json_script:'id' }}."
)
STYLE_ADVICE = (
    "The Content-Security-Policy allows stylesheets only from files (style-src 'self'), so the "
    "browser ignores these <style> elements. Move the rules to a file under static/css/ and "
    'link it; a value computed per item can stay in a style="" attribute (style-src-attr).'
)
# Django comments may mention tags; they never reach the browser.
COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)


def without_comments(source: str) -> str:
    # Keep the line count so that reported line numbers stay right.
    return COMMENTS.sub(lambda m: "\n" * m.group().count("\n"), source)


def templates() -> list[Path]:
    return [p for d in TEMPLATE_DIRS if d.is_dir() for p in sorted(d.rglob("*.html"))]


class Finder(HTMLParser):
    """Collects inline script, event handlers and inline style, with line numbers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[int, str]] = []
        self.styles: list[tuple[int, str]] = []
        self._script_line: int | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        names = {name.lower(): (value or "") for name, value in attrs}
        for name, value in names.items():
            if re.fullmatch(r"on[a-z]+", name):
                self.scripts.append((line, f'event handler attribute {name}="{value[:40]}"'))
            elif name.startswith(("hx-on", "data-hx-on")):
                self.scripts.append((line, f"{name} (htmx evaluates it as inline script)"))
            elif name in (
                "href",
                "src",
                "action",
                "formaction",
            ) and value.strip().lower().startswith("javascript:"):
                self.scripts.append((line, f'{name}="javascript:..." URL'))
        if tag == "script" and "src" not in names:
            kind = names.get("type", "").strip().lower()
            if kind not in DATA_TYPES:
                self._script_line = line
                self._script_text = []
        if tag == "style":
            self.styles.append((line, "<style> element"))

    def handle_data(self, data: str) -> None:
        if self._script_line is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_line is not None:
            body = "".join(self._script_text).strip()
            if body:
                self.scripts.append((self._script_line, f"inline <script>: {body[:50]!r}"))
            self._script_line = None


def scan() -> tuple[list[str], list[str]]:
    scripts, styles = [], []
    for path in templates():
        finder = Finder()
        finder.feed(without_comments(path.read_text(encoding="utf-8")))
        finder.close()
        where = path.relative_to(ROOT)
        scripts += [f"{where}:{line}: {what}" for line, what in finder.scripts]
        styles += [f"{where}:{line}: {what}" for line, what in finder.styles]
    return scripts, styles


def test_the_scanner_finds_what_the_policy_blocks():
    finder = Finder()
    finder.feed(
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<script type="application/ld+json">{"@type": "ClaimReview"}</script>'
        '<button onclick="go()">x</button><a href="javascript:go()">y</a>'
        '<div hx-on:click="go()"></div><span style="color: red"></span><style>p{}</style>'
    )
    assert [what.split(":")[0] for _, what in finder.scripts] == [
        "inline <script>",
        'event handler attribute onclick="go()"',
        'href="javascript',
        "hx-on",
    ]
    assert [what for _, what in finder.styles] == ["<style> element"]


def test_django_comments_are_not_scanned():
    source = "{% comment %}an inline <style>\nor <script>x()</script>{% endcomment %}{# <style> #}"
    assert without_comments(source) == "\n"


def test_templates_exist_to_be_checked():
    assert templates(), f"no templates found under {TEMPLATE_DIRS}"


def test_no_template_has_inline_script_or_event_handlers():
    scripts, _ = scan()
    assert not scripts, SCRIPT_ADVICE + "\n" + "\n".join(scripts)


def test_no_template_has_a_style_element():
    _, styles = scan()
    assert not styles, STYLE_ADVICE + "\n" + "\n".join(styles)
