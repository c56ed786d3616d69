"""USE-01: the page crawl. A Django test client signs in as one user, chooses a language
(the language cookie the portal's switch sets) and follows every same-site link it is shown,
breadth first, from the home page. Each page is checked for what a user must never meet:
a server error, a link that refuses the very user it was shown to, raw template or code text,
and interface text in the other language.

Nothing here names a page: a new page is crawled as soon as a menu or a list links to it."""

from __future__ import annotations

import gettext
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

# Never followed: they end the session, need a POST, or leave the portal's own pages.
SKIP_PATH = re.compile(
    r"^/(accounts/logout/|i18n/|static/|admin/logout/|admin/.*/(delete|history)/|admin/password_change/|admin/jsi18n/)"
)
# Followed, answered 200, but not parsed: files.
DOWNLOAD_TYPES = ("application/pdf", "text/csv", "application/vnd.", "application/octet-stream", "image/",
                  "application/zip", "application/json", "application/vnd.oai.openapi", "application/yaml", "text/plain")

# A raw code or field key shown as text: lower-case words joined by underscores
# (``record_nib``, ``hak_akses_decision``).
SNAKE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-]|\.[a-z]{2,4}\b)")
RAW_TEMPLATE = re.compile(r"\{\{|\{%|%\}|\}\}")
# A quantity shown without grouping ("999999,000", "7500000.5"): five or more digits before a
# decimal separator. Grouped numbers (7.500.000 / 7,500,000) never have that.
UNGROUPED = re.compile(r"(?<![\w.,/-])\d{5,}[.,]\d{1,3}(?![\w.,/-])")
# A date in ISO form on a page ("2026-07-14"): pages write dates in words.
ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])")


def pattern_of(path: str) -> str:
    """The kind of page a path is (numbers and tokens folded), for the per-kind visit cap."""
    path = re.sub(r"\d+", "N", path)
    return re.sub(r"/[A-Za-z0-9_-]{20,}/", "/TOKEN/", path)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}


class _Page(HTMLParser):
    """Links and visible text nodes of one page. Text in script, style, code, pre and
    textarea is not interface text; neither is text marked ``translate="no"`` (the HTML
    attribute for content that must not be translated: people's names, positions, user ids,
    what a user typed)."""

    HIDDEN = {"script", "style", "code", "pre", "textarea", "noscript"}

    def __init__(self, *, language: str, admin: bool = False):
        super().__init__(convert_charrefs=True)
        self.language, self.admin = language, admin
        self.links: list[str] = []
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _not_interface(self, tag, attrs) -> bool:
        if tag in self.HIDDEN or attrs.get("translate") == "no":
            return True
        if attrs.get("lang") and not attrs["lang"].startswith(self.language):
            return True  # a phrase marked as another language (a regulation's "Password")
        if self.admin:
            # The admin's rows and read-only values are stored data, shown as stored (an
            # e-mail's subject in its recipient's language, a step's Indonesian name column).
            classes = (attrs.get("class") or "").split()
            return (tag in ("td", "th") and any(c.startswith("field-") for c in classes)) or "readonly" in classes
        return False

    @property
    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID:
            self._stack.append((tag, self._not_interface(tag, attrs)))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if self._hidden:
            return
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.texts.append(" ".join(attrs[name].split()))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        if tag in VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def bilingual_data() -> tuple[set[str], set[str]]:
    """Reference data kept in both languages (a ``name`` and a ``name_en`` column): shown in
    the wrong language, its name is interface text left untranslated too."""
    from django.apps import apps

    indonesian, english = set(), set()
    for model in apps.get_models():
        fields = {f.name for f in model._meta.get_fields()}
        if {"name", "name_en"} <= fields:
            for name, name_en in model.objects.values_list("name", "name_en"):
                if name and name_en and name.strip() != name_en.strip():
                    indonesian.add(" ".join(name.split()))
                    english.add(" ".join(name_en.split()))
    return indonesian - english, english - indonesian


def catalogue() -> tuple[set[str], set[str]]:
    """From the compiled catalogue: the Indonesian interface strings (msgids) and the English
    ones (msgstrs), keeping only those that belong to one language (a string equal in both,
    such as "Status" or "NIB", is neither)."""
    with open(CATALOGUE / "django.mo", "rb") as fh:
        raw = gettext.GNUTranslations(fh)._catalog  # noqa: SLF001 - the parsed .mo
    pairs = {}
    for key, value in raw.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if isinstance(key, tuple) and key[1] != 0:
            continue
        if msgid and "%" not in msgid and value and msgid.strip() != value.strip():
            pairs[" ".join(msgid.split())] = " ".join(value.split())
    indonesian, english = set(pairs), set(pairs.values())
    return indonesian - english, english - indonesian


@dataclass
class Finding:
    kind: str
    url: str
    detail: str
    source: str = ""

    def __str__(self):
        return f"[{self.kind}] {self.url} ← {self.source}: {self.detail}"


@dataclass
class Crawl:
    client: object
    who: str
    language: str
    cap: int = 400
    per_kind: int = 6
    visited: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    downloads: int = 0

    def run(self, start: str = "/", *, id_words: set, en_words: set, id_data: set = frozenset(), en_data: set = frozenset(),
            ignore_text=()):
        seen_kind = Counter()
        queue = deque([(start, "(start)")])
        queued = {start}
        while queue and len(self.visited) < self.cap:
            url, source = queue.popleft()
            response = self.client.get(url)
            status = response.status_code
            self.visited[url] = status
            if status >= 500:
                self.findings.append(Finding("5xx", url, str(status), source))
                continue
            if status in (403, 404) and source != "(start)":
                self.findings.append(Finding(f"link-{status}", url, "a link shown to this user refuses it", source))
                continue
            if status in (301, 302, 303, 307, 308):
                target = urljoin(url, response["Location"])
                if "/accounts/login/" in target and self.who != "anonymous":
                    self.findings.append(Finding("link-login", url, f"redirects a signed-in user to {target}", source))
                links = [target]
            elif status != 200:
                self.findings.append(Finding(f"status-{status}", url, "", source))
                continue
            else:
                ctype = response.get("Content-Type", "")
                if not ctype.startswith("text/html"):
                    self.downloads += 1
                    if not any(ctype.startswith(t) for t in DOWNLOAD_TYPES):
                        self.findings.append(Finding("download-type", url, ctype, source))
                    continue
                page = _Page(language=self.language, admin=url.startswith("/admin/"))
                page.feed(response.content.decode())
                if not url.startswith("/admin/"):  # the admin edits both columns of reference data
                    words = ((id_words | id_data) - en_data, (en_words | en_data) - id_data)
                else:
                    words = (id_words, en_words)
                self._check_text(url, page.texts, id_words=words[0], en_words=words[1], ignore=ignore_text)
                links = page.links
            for href in links:
                target = self._same_site(url, href)
                if target is None or target in queued:
                    continue
                kind = pattern_of(urlsplit(target).path)
                if seen_kind[kind] >= self.per_kind:
                    continue
                seen_kind[kind] += 1
                queued.add(target)
                queue.append((target, url))
        return self

    @staticmethod
    def _same_site(base: str, href: str) -> str | None:
        href = urldefrag(href.strip())[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            return None
        parts = urlsplit(urljoin("http://testserver" + base, href))
        if parts.netloc not in ("testserver", "") or parts.scheme not in ("http", "https", ""):
            return None
        if SKIP_PATH.match(parts.path):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _check_text(self, url, texts, *, id_words, en_words, ignore):
        for text in texts:
            if RAW_TEMPLATE.search(text):
                self.findings.append(Finding("raw-template", url, text[:120]))
            # The Django admin shows stored identifiers (step codes, audit actions, e-mail
            # templates) on purpose: it is where the administrator edits them by code.
            if not url.startswith("/admin/"):
                for pattern, kind in ((UNGROUPED, "ungrouped-number"), (ISO_DATE, "iso-date")):
                    for match in pattern.findall(text):
                        if match not in ignore:
                            self.findings.append(Finding(kind, url, f"{match!r} in {text[:120]!r}"))
            for match in ([] if url.startswith("/admin/") else SNAKE.findall(text)):
                if match not in ignore:
                    self.findings.append(Finding("raw-code", url, f"{match!r} in {text[:120]!r}"))
            other = id_words if self.language == "en" else en_words
            for segment in _segments(text):
                if segment in other and segment not in ignore:
                    self.findings.append(Finding("untranslated", url, f"{segment!r} in {self.language} page"))


def _segments(text: str) -> set[str]:
    """The text node and its parts between the separators the templates put between labels
    and values ("Status: berlaku", "Direktur · 3 hari kerja")."""
    parts = {text}
    for piece in re.split(r"\s*(?:[·|:—–]|\s-\s)\s*", text):
        piece = piece.strip(" .,;")
        if piece:
            parts.add(piece)
    return parts
