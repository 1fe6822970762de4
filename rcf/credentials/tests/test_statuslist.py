"""Bitstring Status List v1.0: encoding, bit order, size, and the signed list credential."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import OKPKey

from rcf.credentials.keys import Keyring, jwks
from rcf.credentials.statuslist import (
    LIST_SIZE,
    StatusListError,
    bit_is_set,
    decode_bitstring,
    encode_bitstring,
    random_free_index,
    status_list_credential,
)
from rcf.credentials.tests.factories import BASE_URL
from rcf.credentials.vc import verify_credential

indexes = st.sets(st.integers(min_value=0, max_value=LIST_SIZE - 1), max_size=200)


def inflate(encoded: str) -> bytes:
    """Decoded by hand from the standard's words: multibase ``u`` + base64url, then GZIP."""
    assert encoded[0] == "u"
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


@settings(max_examples=60, deadline=None)
@given(indexes, st.integers(min_value=0, max_value=LIST_SIZE - 1))
def test_it_round_trips_set_and_unset_bits(set_indexes: set[int], probe: int) -> None:
    """Every index given is set, every other index is unset, read back from the text."""
    encoded = encode_bitstring(set_indexes)
    bits = decode_bitstring(encoded)
    for index in set_indexes:
        assert bit_is_set(encoded, index)
    assert bit_is_set(encoded, probe) == (probe in set_indexes)
    assert sum(bin(byte).count("1") for byte in bits) == len(set_indexes)


def test_it_encodes_as_multibase_base64url_gzip_of_at_least_16_kb() -> None:
    """``u`` prefix, URL-safe alphabet without padding; the GZIP inflates to 16,384 bytes."""
    encoded = encode_bitstring({3, 94567})
    assert encoded.startswith("uH4sI")  # "u" + base64url of the GZIP magic 1f 8b 08
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    bits = inflate(encoded)
    assert len(bits) == 16_384 >= LIST_SIZE // 8
    assert decode_bitstring(encoded) == bits


def test_it_puts_bit_zero_in_the_most_significant_bit_of_the_first_byte() -> None:
    """Index 0 is the left-most bit: byte 0 = 0x80; index 7 is 0x01; index 8 opens byte 1."""
    assert inflate(encode_bitstring({0}))[:2] == b"\x80\x00"
    assert inflate(encode_bitstring({7}))[:2] == b"\x01\x00"
    assert inflate(encode_bitstring({8}))[:2] == b"\x00\x80"
    assert inflate(encode_bitstring({LIST_SIZE - 1}))[-1] == 0x01


def test_it_is_deterministic() -> None:
    """The same set gives the same text (no timestamp in the GZIP header)."""
    assert encode_bitstring([5, 1, 5]) == encode_bitstring({1, 5})


def test_it_allows_longer_lists_and_refuses_shorter_ones() -> None:
    """The standard sets a 16 KB minimum: smaller lists are refused, larger ones accepted."""
    assert len(inflate(encode_bitstring({LIST_SIZE}, size=2 * LIST_SIZE))) == 32_768
    with pytest.raises(StatusListError, match="au moins 131072"):
        encode_bitstring(set(), size=1024)
    with pytest.raises(StatusListError, match="multiple de 8"):
        encode_bitstring(set(), size=LIST_SIZE + 1)
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(1024))).decode().rstrip("=")
    with pytest.raises(StatusListError, match="8192 bits"):
        decode_bitstring(short)


@pytest.mark.parametrize("index", [-1, LIST_SIZE])
def test_it_refuses_an_index_outside_the_list(index: int) -> None:
    """Indexes run from 0 to 131,071."""
    with pytest.raises(StatusListError, match="hors de la liste"):
        encode_bitstring({index})
    with pytest.raises(StatusListError, match="hors de la liste"):
        bit_is_set(encode_bitstring(set()), index)


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("H4sIAAAAAAAA", "préfixe multibase"),
        ("uH4sI+AAA/", "base64url sans remplissage"),
        ("uAAAA", "illisible"),
        ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(16_384))[:40]).decode(), "tronqué"),
    ],
)
def test_it_refuses_a_malformed_list(encoded: str, message: str) -> None:
    """A list that is not multibase base64url GZIP is a StatusListError with the reason."""
    with pytest.raises(StatusListError, match=message):
        decode_bitstring(encoded.rstrip("="))


def test_it_does_not_inflate_a_gzip_bomb() -> None:
    """Decoding stops at 16 MiB instead of filling the memory."""
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    with pytest.raises(StatusListError, match="plus de 16777216 octets"):
        decode_bitstring("u" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))


def test_it_allocates_random_unused_indexes() -> None:
    """A new index is never one already used, and they are not handed out in order."""
    used: set[int] = set()
    for _ in range(500):
        index = random_free_index(used)
        assert 0 <= index < LIST_SIZE and index not in used
        used.add(index)
    assert sorted(used) != list(range(500))


def test_it_finds_the_last_free_index_and_reports_a_full_list() -> None:
    """In an almost full list the one free index is found; a full list is an error."""
    used = set(range(LIST_SIZE)) - {77_777}
    assert random_free_index(used) == 77_777
    with pytest.raises(StatusListError, match="liste pleine"):
        random_free_index(used | {77_777})


def test_it_signs_the_status_list_credential(keyring: Keyring) -> None:
    """The list credential verifies with the JWKS alone; its fields follow the standard."""
    produced = dt.datetime(2026, 3, 13, 10, 15, 30, 123, tzinfo=dt.UTC)
    token = status_list_credential(
        "suspension-1",
        "suspension",
        {1203, 42},
        base_url=BASE_URL,
        keyring=keyring,
        valid_from=produced,
        valid_until=produced + dt.timedelta(days=1),
    )
    (jwk,) = json.loads(json.dumps(jwks(keyring)))["keys"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc's RFC 9864 notice about the name "EdDSA"
        signed = jws.deserialize_compact(token, OKPKey.import_key(jwk), algorithms=["EdDSA"])
    assert signed.protected == {
        "alg": "EdDSA",
        "kid": keyring.current.kid,
        "typ": "vc+jwt",
        "cty": "vc",
    }
    credential = json.loads(signed.payload)
    subject = credential.pop("credentialSubject")
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://rcf.example.fr/status/suspension-1.jwt",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {
            "id": "https://rcf.example.fr",
            "name": "AFNOR Certification — Relation Client France",
        },
        "validFrom": "2026-03-13T10:15:30Z",
        "validUntil": "2026-03-14T10:15:30Z",
    }
    encoded = subject.pop("encodedList")
    assert subject == {
        "id": "https://rcf.example.fr/status/suspension-1.jwt#list",
        "type": "BitstringStatusList",
        "statusPurpose": "suspension",
    }
    assert [i for i in (42, 1203, 1204, 0) if bit_is_set(encoded, i)] == [42, 1203]
    assert verify_credential(token, jwks(keyring))["credentialSubject"]["encodedList"] == encoded


def test_it_points_certificates_to_their_bits(keyring: Keyring) -> None:
    """Following a certificate's credentialStatus entry lands on the right list and bit."""
    from rcf.credentials.tests.factories import CLAIMS
    from rcf.credentials.vc import certificate_credential

    certificate = verify_credential(
        certificate_credential(CLAIMS, base_url=BASE_URL, keyring=keyring), jwks(keyring)
    )
    revoked = {"revocation": {CLAIMS.revocation_index}, "suspension": set[int]()}
    for entry in certificate["credentialStatus"]:
        purpose = entry["statusPurpose"]
        list_id = entry["statusListCredential"].rsplit("/", 1)[1].removesuffix(".jwt")
        token = status_list_credential(
            list_id,
            purpose,
            revoked[purpose],
            base_url=BASE_URL,
            keyring=keyring,
            valid_from=dt.datetime(2026, 3, 13, tzinfo=dt.UTC),
        )
        status_list = verify_credential(token, jwks(keyring))
        assert status_list["id"] == entry["statusListCredential"]
        assert status_list["credentialSubject"]["statusPurpose"] == purpose
        index = int(entry["statusListIndex"])
        assert bit_is_set(status_list["credentialSubject"]["encodedList"], index) == (
            purpose == "revocation"
        )


def test_it_refuses_an_unknown_purpose_or_a_naive_date(keyring: Keyring) -> None:
    """Only revocation and suspension lists; dates must carry their time zone."""
    with pytest.raises(StatusListError, match="statusPurpose 'message'"):
        status_list_credential(
            "message-1",
            "message",
            set(),
            base_url=BASE_URL,
            keyring=keyring,
            valid_from=dt.datetime(2026, 3, 13, tzinfo=dt.UTC),
        )
    with pytest.raises(ValueError, match="fuseau horaire"):
        status_list_credential(
            "revocation-1",
            "revocation",
            set(),
            base_url=BASE_URL,
            keyring=keyring,
            valid_from=dt.datetime(2026, 3, 13),
        )


def test_it_signs_and_verifies_a_list_that_does_not_compress(keyring: Keyring) -> None:
    """Worst case for GZIP, one bit in two set at random: the token stays within the JOSE
    library's size limits and every bit reads back."""
    import random

    chosen = set(random.Random(7).sample(range(LIST_SIZE), LIST_SIZE // 2))
    token = status_list_credential(
        "revocation-1",
        "revocation",
        chosen,
        base_url=BASE_URL,
        keyring=keyring,
        valid_from=dt.datetime(2026, 3, 13, tzinfo=dt.UTC),
    )
    encoded = verify_credential(token, jwks(keyring))["credentialSubject"]["encodedList"]
    bits = decode_bitstring(encoded)
    assert {i for i in range(LIST_SIZE) if bits[i // 8] & (0x80 >> (i % 8))} == chosen
