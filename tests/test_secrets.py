"""Secrets never reach the screen, a log, a saved session or a report."""

import pytest

from amlwizard import mask_secrets
from amlwizard.backends import ServiceKeys

SECRETS = [
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", "eyJhbGci"),
    ("authorization=Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpw"),
    ("GET https://acct.blob.core.windows.net/c/model.pkl?sv=2021-08-06&sig=Zm9vYmFy%2Bc2VjcmV0&se=2026", "Zm9vYmFy"),
    ("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5c2VjcmV0==;EndpointSuffix=core.windows.net", "c2VjcmV0a2V5"),
    ("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=abcd1234efgh5678=", "abcd1234efgh"),
    ('{"primaryKey": "pK8s9dkfj3kd93kd", "secondaryKey": "sK8s9dkfj3kd93kd"}', "K8s9dkfj"),
    ("token = 'ghp_abcdefghijklmnop1234'", "ghp_abcdef"),
    ("the token eyJ0eXAiOiJKV1QifQ.eyJ0aWQiOiJ0ZW5hbnQifQ.sig12345678 leaked", "eyJ0eXAi"),
]


@pytest.mark.parametrize("text, secret_part", SECRETS)
def test_secret_is_masked_and_the_rest_stays_readable(text, secret_part):
    masked = mask_secrets(text)
    assert secret_part not in masked
    assert "***" in masked


@pytest.mark.parametrize(
    "text",
    [
        "Booting worker with pid: 42",
        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
        "monkey: banana keyboard tokenizer",
        "KeyError: 'features'",
    ],
)
def test_ordinary_log_lines_are_untouched(text):
    assert mask_secrets(text) == text


def test_service_keys_never_print_their_values():
    keys = ServiceKeys(primary="AbCdEfGhIjKlMnOpQrSt1234", secondary="ZyXwVuTsRqPoNmLk9876")
    shown = repr(keys) + str(keys.masked())
    assert "AbCdEfGh" not in shown and "ZyXwVuTs" not in shown
    assert keys.masked()["primary"].endswith("1234")
