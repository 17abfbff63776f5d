"""Property tests: whatever a user hands over, diagnose and session loading answer, or say what is wrong in
one line (an ``AmlWizardError``); no other exception ever escapes."""

from __future__ import annotations

import codecs
import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amlwizard import AmlWizardError
from amlwizard._session_file import SCHEMA
from amlwizard.catalogue import ENTRIES
from amlwizard.diagnosis import Diagnosis, diagnose
from amlwizard.session import TroubleshootSession

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that steer inputs into the engine's odd corners: BOMs, gzip magic, anchors, escapes, colours.
_PIECES = [
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    b"\x1f\x8b",
    b"\x00",
    b"\x1b[31m",
    b"\\n",
    b'\\"',
    b"\\u00",
    b"\r\n",
    b"\n",
    b"\xff",
    *(a.encode() for e in ENTRIES[::4] for a in e.anchors[:1]),
]
log_bytes = st.lists(st.one_of(st.binary(max_size=40), st.sampled_from(_PIECES)), max_size=40).map(b"".join)


def _answers_or_one_line(source: object) -> None:
    try:
        result = diagnose(source)
    except AmlWizardError as err:
        assert "\n" not in str(err), str(err)
        return
    assert isinstance(result, Diagnosis)
    json.dumps(result.to_dict())  # what --json prints


@FUZZ
@given(st.binary(max_size=2000))
def test_diagnose_answers_any_bytes(data: bytes) -> None:
    _answers_or_one_line(data)


@FUZZ
@given(log_bytes)
def test_diagnose_answers_bytes_built_from_odd_pieces(data: bytes) -> None:
    _answers_or_one_line(data)
    _answers_or_one_line(gzip.compress(data)[: max(2, len(data))])  # also a cut gzip stream
    with tempfile.TemporaryDirectory() as folder:  # and as a file, read the way paths are
        path = Path(folder) / "main.log"
        path.write_bytes(data)
        _answers_or_one_line(path)


@FUZZ
@given(st.text(max_size=2000))
def test_diagnose_answers_any_text(text: str) -> None:
    _answers_or_one_line(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
# sessions near the real format: the right "format", known fields given arbitrary values
near_sessions = st.fixed_dictionaries(
    {"format": st.just("amlwizard-session/1")},
    optional={key: json_values for key in SCHEMA["properties"] if key != "format"},
)


def _loads_or_one_line(data: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        path.write_text(json.dumps(data))
        try:
            session = TroubleshootSession.load(path)
        except AmlWizardError as err:
            assert "\n" not in str(err), str(err)
            return
        repr(session)
        session.add_note("resumed")  # autosaves: a loaded session can be saved again
        assert session.autosave_error is None, session.autosave_error


@FUZZ
@given(json_values)
def test_loading_any_json_answers_or_says_what_is_wrong(data: object) -> None:
    _loads_or_one_line(data)


@FUZZ
@given(near_sessions)
def test_loading_a_session_with_any_field_values_answers_or_names_the_field(data: dict) -> None:
    _loads_or_one_line(data)
