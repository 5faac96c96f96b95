"""symnet check on real teaching texts by other authors (tests/corpus, see tools/corpus.py and SOURCES-*.md).

For each copied text: the check finishes with a report (no internal error, valid JSON); every ✗ is on a line
where we found an error by our own computation (recorded in the text's .toml, with how it was computed);
every error we found within the checker's reach is reported, unless the .toml says why it is missed.
"""

from __future__ import annotations

import json

import pytest

from tools.corpus import judge, texts

COPIED = [t for t in texts() if t.path is not None]


def test_the_corpus_has_a_dozen_texts_by_different_authors_in_three_formats():
    assert len(COPIED) >= 12
    assert len({t.source["repository"].split("/")[0] for t in COPIED}) >= 12
    assert {t.path.suffix for t in COPIED} >= {".md", ".ipynb", ".tex"}
    for text in texts():
        assert {"repository", "path", "commit", "licence"} <= set(text.source), text.slug
        assert len(text.source["commit"]) == 40, text.slug


@pytest.mark.parametrize("text", COPIED, ids=[t.slug for t in COPIED])
def test_a_real_text_gets_a_report_with_no_false_alarm_and_every_error_found(text):
    result = judge(text)
    assert result.report.internal_errors == 0, [str(c) for c in result.report.claims if "internal" in c.detail]
    json.dumps(result.report.as_json())
    assert result.false_alarms == [], [str(c) for c in result.false_alarms]
    assert result.missed == [], [f"{e['line']}: {e['text']}" for e in result.missed]
    stale = [e for e in result.found if "missed" in e]  # a miss explained in the .toml that is found now
    assert stale == [], [f"{e['line']}: {e['text']}" for e in stale]
    for claim in result.report.claims:
        text_shown = str(claim)
        assert "**" not in text_shown and "zoo" not in text_shown, text_shown
        if claim.actual is not None:
            assert claim.actual not in (claim.claimed.rsplit(" ", 1)[-1],), text_shown
