"""The one rule for https:// fields (RSVP pages, recordings, session links): what it refuses."""
import pytest

from generator.content.web_address import https_fault


@pytest.mark.parametrize("url", ["https://meet.jit.si/Room", "https://example.org:8443/x?y=1#z",
                                 "https://xn--bcher-kva.example/"])
def test_usable_https_addresses_pass(url):
    assert https_fault(url) is None


@pytest.mark.parametrize("url", ["http://example.org/", "http://example.org:8080/talk"])
def test_plain_http_is_called_insecure_not_malformed(url):
    assert https_fault(url) == "http"


@pytest.mark.parametrize("url", ["example.org", "https://", "https://exa mple.org/",
                                 "https://example.org:0/", "https://example.org:99999/",
                                 "https://[::1", "ftp://example.org/", "javascript:alert(1)",
                                 "http://"])
def test_anything_else_is_not_an_address(url):
    assert https_fault(url) == "not an address"
