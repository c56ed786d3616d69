"""PERF-01 (issue 22): what is the same for every permit is prepared once per thread. The
template's stylesheet is parsed once and handed to WeasyPrint instead of the ``<style>`` block;
the layout must be the very layout of the document as written (box by box)."""

import pytest

from permits import documents
from permits.models import PermitStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dirjen_certificate")]


def _boxes(document) -> list[tuple]:
    out = []

    def walk(box):
        width = box.width if isinstance(box.width, (int, float)) else None
        out.append((type(box).__name__, round(box.position_x, 3), round(box.position_y, 3),
                    None if width is None else round(width, 3), getattr(box, "text", None)))
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return out


@pytest.fixture
def permit_html(issue_permit):
    from permits.services import render_version_html

    permit = issue_permit(lines=50)
    assert permit.status == PermitStatus.VALID
    return render_version_html(permit.current_version)


def test_the_cached_stylesheet_lays_out_the_permit_as_its_own_style_block__PERF_01(permit_html):
    from weasyprint import HTML

    base = str(documents.FONTS_DIR) + "/"
    rest, style = documents._split_head_style(permit_html)
    assert style and "@font-face" in style and "<style" not in rest
    assert "!important" not in style  # the cascade is the same only without !important
    as_written = HTML(string=permit_html, url_fetcher=documents._url_fetcher(), base_url=base).render(
        font_config=documents._font_config())
    cached = HTML(string=rest, url_fetcher=documents._url_fetcher(), base_url=base).render(
        stylesheets=[documents._stylesheet(style)], font_config=documents._font_config())
    assert len(as_written.pages) == len(cached.pages) >= 2
    assert _boxes(as_written) == _boxes(cached)


def test_the_stylesheet_is_parsed_once_for_many_permits__PERF_01(permit_html, monkeypatch):
    import weasyprint

    parsed = []
    real = weasyprint.CSS

    def counting(*args, **kwargs):
        parsed.append(kwargs.get("string", "")[:20])
        return real(*args, **kwargs)

    documents._fonts.sheets = {}
    monkeypatch.setattr(weasyprint, "CSS", counting)
    for _ in range(3):
        assert documents.html_to_pdf(permit_html)[:5] == b"%PDF-"
    assert len(parsed) == 1


def test_only_the_head_style_block_is_taken__PERF_01():
    html = "<html><head><style>p { color: red }</style></head><body><p>&lt;style&gt;</p><style>x{}</style></body></html>"
    rest, style = documents._split_head_style(html)
    assert style == "p { color: red }"
    assert rest == "<html><head></head><body><p>&lt;style&gt;</p><style>x{}</style></body></html>"
    assert documents._split_head_style("<html><body><style>x{}</style></body></html>")[1] is None
