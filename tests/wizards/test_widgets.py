"""The shared pieces of the wizards: a finding's guide link, code and log blocks."""

from __future__ import annotations

from amlwizard._finding import Finding
from amlwizard.wizards._widgets import code_html, finding_card

GUIDE = "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-deployment"


def _card_html(doc_url: str) -> str:
    finding = Finding("http-503", "http-503", "No free replica", 6, 0.9, doc_url=doc_url)
    return finding_card(1, finding, lambda wizard, f: None).children[0].value


def test_the_guide_link_looks_like_a_link_and_opens_the_guide():
    shown = _card_html(GUIDE)
    assert f"href='{GUIDE}'" in shown and "target='_blank'" in shown
    assert "text-decoration:underline" in shown and "jp-content-link-color" in shown


def test_a_documentation_url_that_is_not_http_is_shown_as_text_only():
    shown = _card_html("javascript:alert(document.cookie)")
    assert "<a " not in shown and "Documentation: javascript:alert(document.cookie)" in shown


def test_code_blocks_wrap_between_words_not_mid_word():
    # JupyterLab's own output style breaks <pre> lines anywhere; the blocks say otherwise
    block = code_html("AksWebservice.deploy_configuration(autoscale_enabled=True, autoscale_min_replicas=1)")
    assert "word-break:normal" in block and "white-space:pre-wrap" in block
