"""Input errors of ``rcf-declaration/1``: every one reported, at its JSON Pointer, in French.

A document with input errors is rejected as a whole; what the format accepts but the
référentiel does not (a wrong check digit, a site abroad) is a finding, never an input error.
"""

from __future__ import annotations

from typing import Any

import pytest

from rcf.referentiel.declaration import (
    DeclarationError,
    InputError,
    parse_declaration_json,
    validate_declaration,
)
from rcf.referentiel.tests.builders import eligible


def errors_of(document: Any) -> list[tuple[str, str]]:
    return [(e.pointer, e.message) for e in validate_declaration(document)]


def pointers_of(document: Any) -> list[str]:
    return [e.pointer for e in validate_declaration(document)]


def test_it_accepts_the_valid_examples() -> None:
    """The eligible base document has no input error."""
    assert validate_declaration(eligible()) == []


def test_it_reports_unknown_fields_at_the_object_holding_them_at_any_level() -> None:
    """An unknown field is reported at its object's pointer, naming the field."""
    document = eligible()
    document["extra"] = 1
    document["sites"][1]["location"]["street"] = "rue"
    document["commitments"]["maybe"] = True
    assert errors_of(document) == [
        ("", "champ inconnu « extra »"),
        ("/commitments", "champ inconnu « maybe »"),
        ("/sites/1/location", "champ inconnu « street »"),
    ]


def test_it_reports_missing_required_fields() -> None:
    """A required field that is absent is reported at its object."""
    document = eligible()
    del document["workforce"][0]["contract_law"]
    del document["applicant"]
    assert errors_of(document) == [
        ("", "champ obligatoire manquant « applicant »"),
        ("/workforce/0", "champ obligatoire manquant « contract_law »"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12", "doit être un nombre entier (reçu : une chaîne)"),
        (True, "doit être un nombre entier (reçu : un booléen)"),
        (2.5, "doit être un nombre entier (reçu : un nombre)"),
        (None, "doit être un nombre entier (reçu : null)"),
        (-3, "doit être supérieur ou égal à 0 (reçu : -3)"),
    ],
)
def test_it_reports_a_headcount_that_is_not_a_non_negative_integer(
    value: Any, message: str
) -> None:
    """headcount is an integer ≥ 0: booleans, strings, fractions and negatives are errors."""
    document = eligible()
    document["workforce"][2]["headcount"] = value
    assert errors_of(document) == [("/workforce/2/headcount", message)]


def test_it_reports_wrong_types_of_containers_and_booleans() -> None:
    """Objects, arrays and booleans must have their JSON type."""
    document = eligible()
    document["scope"] = []
    document["operators"] = {}
    document["commitments"]["accept_audits"] = "oui"
    assert errors_of(document) == [
        ("/commitments/accept_audits", "doit valoir true ou false (reçu : une chaîne)"),
        ("/operators", "doit être un tableau JSON (reçu : un objet)"),
        ("/scope", "doit être un objet JSON (reçu : un tableau)"),
    ]


def test_it_reports_unknown_enumeration_values_with_the_admitted_ones() -> None:
    """An unknown contract kind, role or site kind is an input error listing the values."""
    document = eligible()
    document["workforce"][0]["contract"] = "cdx"
    document["operators"][0]["role"] = 7
    (contract_error, role_error) = sorted(errors_of(document), reverse=True)
    assert contract_error[0] == "/workforce/0/contract"
    assert contract_error[1].startswith("valeur inconnue « cdx » ; valeurs admises : cdi, cdd,")
    assert role_error == (
        "/operators/0/role",
        "valeur inconnue « 7 » ; valeurs admises : subcontractor, temp_agency",
    )


def test_it_reports_unknown_scope_keys_and_statuses() -> None:
    """An unknown channel is an input error (a missing one is a finding); so is a status."""
    document = eligible()
    document["scope"]["channels"]["fax"] = "performed"
    document["scope"]["phases"]["sale"] = "yes"
    del document["scope"]["channels"]["video"]
    errors = errors_of(document)
    assert [pointer for pointer, _ in errors] == ["/scope/channels", "/scope/phases/sale"]
    assert errors[0][1].startswith("clé « fax » : valeur inconnue « fax » ; valeurs admises :")


def test_it_reports_unknown_countries() -> None:
    """Countries are ISO 3166-1 alpha-2 codes in capitals."""
    document = eligible()
    document["operators"][0]["country"] = "XX"
    document["workforce"][0]["contract_law"] = "fr"
    assert pointers_of(document) == ["/operators/0/country", "/workforce/0/contract_law"]


def test_it_reports_the_wrong_format_and_a_document_that_is_not_an_object() -> None:
    """format names a shipped version; one that names none is validated under version 1, as
    before version 2 existed. The document is an object."""
    document = eligible()
    document["format"] = "rcf-declaration/9"
    assert errors_of(document) == [
        ("/format", "valeur « rcf-declaration/9 » ; doit valoir « rcf-declaration/1 »")
    ]
    document["format"] = "rcf-declaration/2"
    assert errors_of(document) == [("", "champ obligatoire manquant « contact_points »")]
    assert errors_of([]) == [("", "doit être un objet JSON (reçu : un tableau)")]


@pytest.mark.parametrize("value", ["2026-02-30", "30/06/2026", "2026-6-30", "20260630"])
def test_it_reports_a_malformed_or_impossible_date(value: str) -> None:
    """reference_date is an ISO date YYYY-MM-DD that exists."""
    document = eligible()
    document["reference_date"] = value
    assert pointers_of(document) == ["/reference_date"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "84533314", "doit compter exactement 9 caractères (8 reçus : « 84533314 »)"),
        ("name", "", "ne doit pas être vide"),
    ],
)
def test_it_reports_lengths(field: str, value: str, message: str) -> None:
    """The SIREN has 9 characters (its check digit is a finding), the name is not empty."""
    document = eligible()
    document["applicant"][field] = value
    assert errors_of(document) == [(f"/applicant/{field}", message)]


def test_it_reports_empty_and_duplicate_lists_of_a_site() -> None:
    """A site's channels, activities and phases are non-empty lists without duplicates."""
    document = eligible()
    document["sites"][0]["channels"] = []
    document["sites"][0]["phases"] = ["sale", "sale"]
    document["sites"][1]["activities"] = ["back_office", "middle_office"]
    assert errors_of(document) == [
        ("/sites/0/channels", "ne doit pas être vide"),
        ("/sites/0/phases", "contient des doublons : « sale »"),
        (
            "/sites/1/activities/1",
            "valeur inconnue « middle_office » ; valeurs admises : front_office, back_office",
        ),
    ]


def test_it_reports_malformed_and_duplicate_ids() -> None:
    """Ids follow [a-z0-9][a-z0-9_-]{0,63} and are unique among operators and among sites."""
    document = eligible()
    document["sites"][1]["id"] = "niort"
    document["operators"].append(dict(document["operators"][0], id="Brest Contact"))
    document["operators"].append(dict(document["operators"][0]))
    errors = errors_of(document)
    assert [pointer for pointer, _ in errors] == [
        "/operators/1/id",
        "/operators/2/id",
        "/sites/1/id",
        "/workforce/2/site",  # « domicile » no longer exists
    ]
    assert errors[1][1] == "identifiant « brest-contact » déjà utilisé par /operators/0"
    assert errors[2][1] == "identifiant « niort » déjà utilisé par /sites/0"


def test_it_reserves_the_id_applicant() -> None:
    """No operator may be called « applicant »."""
    document = eligible()
    document["operators"][0]["id"] = "applicant"
    document["sites"][2]["operator"] = "applicant"
    document["workforce"][3]["employer"] = "applicant"
    assert errors_of(document) == [
        ("/operators/0/id", "l'identifiant « applicant » est réservé à l'entreprise candidate")
    ]


def test_it_reports_references_to_unknown_sites_operators_employers_and_parents() -> None:
    """Every reference names an existing object (or « applicant »)."""
    document = eligible()
    document["operators"][0]["parent"] = "nobody"
    document["sites"][2]["operator"] = "ghost"
    document["workforce"][2]["site"] = "maison"
    document["workforce"][3]["employer"] = "ghost"
    assert errors_of(document) == [
        ("/operators/0/parent", "donneur d'ordre inconnu « nobody »"),
        ("/sites/2/operator", "opérateur inconnu « ghost »"),
        ("/workforce/2/site", "site inconnu « maison »"),
        ("/workforce/3/employer", "employeur inconnu « ghost »"),
    ]


def _operator(ident: str, parent: str) -> dict[str, Any]:
    return {
        "id": ident,
        "role": "subcontractor",
        "parent": parent,
        "name": ident,
        "country": "TN",
        "france_clause": True,
        "contract_reference": "C",
    }


def test_it_reports_parent_cycles_for_every_operator_that_cannot_reach_the_applicant() -> None:
    """A parent chain must end at « applicant »: a cycle, and anything hanging from it, is an
    input error at each operator concerned."""
    document = eligible()
    document["operators"] += [
        _operator("a", "b"),
        _operator("b", "a"),
        _operator("c", "a"),
        _operator("d", "d"),
        _operator("e", "brest-contact"),
    ]
    assert errors_of(document) == [
        (
            "/operators/1/parent",
            "la chaîne des donneurs d'ordre ne remonte pas jusqu'à "
            "« applicant » : elle boucle (a → b → a)",
        ),
        (
            "/operators/2/parent",
            "la chaîne des donneurs d'ordre ne remonte pas jusqu'à "
            "« applicant » : elle boucle (b → a → b)",
        ),
        (
            "/operators/3/parent",
            "la chaîne des donneurs d'ordre ne remonte pas jusqu'à "
            "« applicant » : elle boucle (c → a → b → a)",
        ),
        (
            "/operators/4/parent",
            "la chaîne des donneurs d'ordre ne remonte pas jusqu'à "
            "« applicant » : elle boucle (d → d)",
        ),
    ]


@pytest.mark.parametrize(
    ("kind", "location", "message"),
    [
        (
            "establishment",
            {"country": "RE", "commune_insee": "75056"},
            "le pays RE (La Réunion) contredit le code commune INSEE 75056",
        ),
        (
            "establishment",
            {"country": "TN", "commune_insee": "75056"},
            "le pays TN n'est pas la France : le code commune INSEE ne s'emploie qu'avec le pays "
            "FR ou un code d'outre-mer",
        ),
        (
            "establishment",
            {"country": "FR"},
            "un établissement en France (pays FR) doit indiquer son code commune INSEE "
            "« commune_insee »",
        ),
        (
            "establishment",
            {"country": "FR", "commune_insee": "79191", "department": "79"},
            "« department » ne s'emploie que pour un site de télétravail ; un établissement donne "
            "son code commune INSEE « commune_insee »",
        ),
        (
            "establishment",
            {"country": "FR", "commune_insee": "20004"},
            "code commune INSEE inconnu « 20004 » : il ne relève d'aucun territoire du référentiel "
            "(référentiel §1.1)",
        ),
        (
            "establishment",
            {"country": "FR", "commune_insee": "97999"},
            "code commune INSEE inconnu « 97999 » : il ne relève d'aucun territoire du référentiel "
            "(référentiel §1.1)",
        ),
        (
            "telework",
            {"country": "FR"},
            "un site de télétravail en France (pays FR) doit indiquer son code commune INSEE "
            "« commune_insee » ou son département « department »",
        ),
        (
            "telework",
            {"country": "FR", "commune_insee": "75056", "department": "79"},
            "le département 79 contredit le code commune INSEE 75056",
        ),
        (
            "telework",
            {"country": "GP", "department": "972"},
            "le pays GP (Guadeloupe) contredit le département 972",
        ),
        (
            "telework",
            {"country": "BE", "department": "59"},
            "le pays BE n'est pas la France : le département ne s'emploie qu'avec le pays FR ou un "
            "code d'outre-mer",
        ),
    ],
)
def test_it_reports_incoherent_locations_at_the_location(
    kind: str, location: dict[str, str], message: str
) -> None:
    """Country, commune and department must agree; France needs a commune (or, for telework, a
    department); a commune code of no territory of §1.1 is an input error."""
    document = eligible()
    site = document["sites"][0]
    site["kind"] = kind
    site["location"] = location
    assert errors_of(document) == [("/sites/0/location", message)]


@pytest.mark.parametrize(
    ("kind", "location"),
    [
        ("telework", {"country": "FR", "department": "2A"}),
        ("telework", {"country": "FR", "commune_insee": "2A004", "department": "2A"}),
        ("telework", {"country": "RE", "department": "974"}),
        ("establishment", {"country": "BL"}),
        ("establishment", {"country": "FR", "commune_insee": "97801"}),
        ("establishment", {"country": "FR", "commune_insee": "98818", "postal_code": "98800"}),
        ("establishment", {"country": "NC", "commune_insee": "98818"}),
    ],
)
def test_it_accepts_coherent_locations(kind: str, location: dict[str, str]) -> None:
    """Locations that agree are valid, whether in France or not (that is RCF-04's business)."""
    document = eligible()
    document["sites"][0]["kind"] = kind
    document["sites"][0]["location"] = location
    assert errors_of(document) == []


@pytest.mark.parametrize("department", ["20", "975", "9", "100"])
def test_it_reports_departments_outside_the_list(department: str) -> None:
    """department: 01–95 except 20, 2A, 2B, 971–974, 976."""
    document = eligible()
    document["sites"][1]["location"]["department"] = department
    assert pointers_of(document) == ["/sites/1/location/department"]


def test_it_reports_every_error_sorted_with_indices_as_numbers() -> None:
    """All errors at once, /workforce/2 before /workforce/10, whatever the order found."""
    document = eligible()
    document["workforce"] = [dict(document["workforce"][0]) for _ in range(12)]
    document["workforce"][10]["headcount"] = -1
    document["workforce"][2]["site"] = "nowhere"
    document["workforce"][2]["headcount"] = -1
    document["operators"][0]["siren"] = 12
    assert pointers_of(document) == [
        "/operators/0/siren",
        "/workforce/2/headcount",
        "/workforce/2/site",
        "/workforce/10/headcount",
    ]


def test_it_escapes_pointer_tokens() -> None:
    """JSON Pointer escaping: « / » is ~1 and « ~ » is ~0 in a key."""
    document = eligible()
    document["scope"]["channels"] = {"a/b": "performed"}
    document["scope"]["activities"]["front_office"] = {"x~": 1}
    pointers = pointers_of(document)
    assert "/scope/channels" in pointers
    assert "/scope/activities/front_office" in pointers


def test_it_does_not_fail_on_garbage() -> None:
    """Any JSON value gives errors, never an exception."""
    garbage_values: list[Any] = [
        None,
        1,
        "x",
        [],
        {"operators": [1, None, {"id": 5}], "sites": "s", "workforce": [{"site": []}]},
    ]
    for garbage in garbage_values:
        assert validate_declaration(garbage) != []


def test_it_reports_json_syntax_errors_with_line_and_column() -> None:
    """A JSON syntax error is one input error at the document, with its line and column."""
    with pytest.raises(DeclarationError) as raised:
        parse_declaration_json(b'{\n  "format": "rcf-declaration/1"\n  "x": 1\n}')
    assert raised.value.errors == [
        InputError("", "JSON mal formé, ligne 3, colonne 3 : virgule « , » attendue")
    ]
    with pytest.raises(DeclarationError) as raised:
        parse_declaration_json(b'{"name": "\xe9"}')
    assert "UTF-8" in raised.value.errors[0].message


def test_it_parses_a_utf8_document_with_a_byte_order_mark() -> None:
    """A BOM, as some editors write, is accepted."""
    assert parse_declaration_json('\ufeff{"a": "é"}'.encode()) == {"a": "é"}
