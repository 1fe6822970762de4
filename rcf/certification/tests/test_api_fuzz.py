"""The API fuzzed from its own OpenAPI document (schemathesis): every operation, declaration
bodies included, anonymously and with a token of each role, against the WSGI application.

Each answer must be documented: no 5xx, a status the operation lists, a JSON body that matches
the schema given for it. Generation is derandomized (the same examples on every run) and
bounded per operation, so the module takes about a minute; real ids and certificate numbers
are mixed into the generated paths so the cases reach the services, not only the 404s.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from stdnum.fr import siret

from rcf.api import api
from rcf.certification.models import Application, Audit, Certificate, CorrectiveAction, Finding
from rcf.certification.services.dossier import application_start_renewal
from rcf.certification.tests.test_workflow_api import CHECKLIST_OK, to_audited
from rcf.referentiel.declaration import declaration_schema
from rcf.referentiel.versions import scheme_versions
from tests.support.cast import Cast
from tests.support.factories import TELECOM_SIREN, example_declaration, make_member

pytestmark = pytest.mark.django_db

EXAMPLES = 12
"""Examples per operation, role and mode (positive, negative): the budget of the module."""

COVERAGE_CASES = 40
"""Coverage cases per operation and role, at most (evenly spread over them)."""

ROLES = ["anonymous", "applicant", "afrc", "certifier", "auditor"]

DOCUMENT = api.get_openapi_schema()
DECLARATION_IDS = {declaration_schema(v)["$id"]: f"Declaration{v}_" for v in scheme_versions()}
"""The ``$id`` of each version's published declaration schema → the prefix of its ``$defs``
once moved to the components."""


def _for_schemathesis(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each declaration schema's ``$defs`` moved to the components.

    The published document embeds every ``rcf-declaration/N`` as it is published, with its
    ``$id``: its ``#/$defs/…`` references resolve against that ``$id`` (JSON Schema 2020-12,
    OpenAPI 3.1), which schemathesis does not do: it would silently leave the declaration
    bodies out. Each version's definitions get their own prefix (both have a ``site``…).
    """
    moved: dict[str, Any] = copy.deepcopy(document)  # not changed in place below
    components = moved["components"]["schemas"]

    def rewrite(node: Any, prefix: str | None) -> Any:
        if isinstance(node, dict):
            if node.get("$id") in DECLARATION_IDS:
                prefix = DECLARATION_IDS[node["$id"]]
                for name, definition in node["$defs"].items():
                    components[prefix + name] = rewrite(definition, prefix)
                node = {k: v for k, v in node.items() if k not in {"$id", "$schema", "$defs"}}
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                assert prefix is not None, reference  # a reference outside any declaration
                node = {**node, "$ref": "#/components/schemas/" + prefix + reference[8:]}
            return {key: rewrite(value, prefix) for key, value in node.items()}
        if isinstance(node, list):
            return [rewrite(item, prefix) for item in node]
        return node

    moved["paths"] = rewrite(moved["paths"], None)
    return moved


FUZZED = _for_schemathesis(DOCUMENT)
OPERATIONS = [
    (method.upper(), path)
    for path, item in DOCUMENT["paths"].items()
    for method in item
    if method in {"get", "post", "put", "patch", "delete"}
]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The production WSGI handler, inside the test's transaction: like Django's test client,
    it must not close the connection at each request's start and end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(cast: Cast) -> dict[str, list[Any]]:
    """Objects in the states the operations act on, all made through the workflow: a
    certificate, its renewal in draft, and another company's application in corrective
    actions (audit closed, open major finding, proposed action)."""
    certified = to_audited(cast)
    decided = cast.certifier.call(
        "post",
        f"/api/v1/applications/{certified}/decision",
        {"decision": "certify", "motivation": "Conforme."},
    )
    number = decided.json()["certificate"]["number"]
    application_start_renewal(actor=cast.applicant.user, certificate_number=number)

    make_member(TELECOM_SIREN, "AFRC-0102")
    declaration = example_declaration()
    declaration["applicant"].update(siren=TELECOM_SIREN, name="Télécom Exemple SA")
    for site in declaration["sites"]:
        if site["operator"] == "applicant" and site.get("siret"):
            site["siret"] = next(
                s for n in range(10, 100) if siret.is_valid(s := f"{TELECOM_SIREN}000{n}")
            )
    created = cast.other_applicant.call("post", "/api/v1/applications", declaration)
    app_id = created.json()["id"]
    submitted = cast.other_applicant.call("post", f"/api/v1/applications/{app_id}/submit")
    assert submitted.status_code == 200, submitted.content
    cast.afrc.call("post", f"/api/v1/applications/{app_id}/admissibility", {"admissible": True})
    planned = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/audits",
        {"auditor": "alice", "planned_on": "2026-12-10"},
    )
    assert planned.status_code == 201, planned.content
    audit_id = planned.json()["id"]
    items = [dict(item) for item in CHECKLIST_OK]
    items[1]["result"] = "nc_majeure"
    cast.auditor.call("put", f"/api/v1/audits/{audit_id}/checklist", {"items": items})
    finding_id = cast.auditor.call(
        "post",
        f"/api/v1/audits/{audit_id}/findings",
        {"requirement": "RCF-A2", "severity": "major", "description": "Écart."},
    ).json()["id"]
    cast.auditor.call("post", f"/api/v1/audits/{audit_id}/close")
    proposed = cast.other_applicant.call(
        "post", f"/api/v1/findings/{finding_id}/actions", {"description": "Fait."}
    )
    assert proposed.status_code == 201, proposed.content
    return {
        "id": sorted(
            {
                *Application.objects.values_list("pk", flat=True),
                *Audit.objects.values_list("pk", flat=True),
                *Finding.objects.values_list("pk", flat=True),
                *CorrectiveAction.objects.values_list("pk", flat=True),
            }
        ),
        "number": list(Certificate.objects.values_list("number", flat=True)),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_answer_is_documented(
    method: str,
    path: str,
    role: str,
    cast: Cast,
    world: dict[str, list[Any]],
    wsgi_app: WSGIHandler,
) -> None:
    schema = schemathesis.openapi.from_dict(FUZZED)
    schema.app = wsgi_app
    operation = schema[path][method]
    headers = (
        {} if role == "anonymous" else {"Authorization": f"Bearer {getattr(cast, role).token}"}
    )
    real = {name: st.sampled_from(values) for name, values in world.items()}

    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        # Negative cases must also be refused (4xx), not taken.
        checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        # The token is fixed, not generated: a negative case is never made valid by it.
        @given(
            case=operation.as_strategy(generation_mode=mode, headers=headers or None),
            data=st.data(),
        )
        def run(case: Any, data: Any) -> None:
            for name in list(case.path_parameters or {}):
                # Half the valid cases aim at objects that exist (a negative case keeps the
                # invalid value it was made with).
                if (
                    mode is GenerationMode.POSITIVE  # noqa: B023 (run() runs here)
                    and name in real
                    and data.draw(st.booleans(), label=f"real {name}")
                ):
                    case.path_parameters[name] = data.draw(real[name], label=name)
            case.headers.update(headers)
            if role == "anonymous":
                case.headers.pop("Authorization", None)
            response = case.call()
            case.validate_response(response, checks=checks)  # noqa: B023 (run() runs here)

        try:
            run()
        except Unsatisfiable:
            # Nothing of the operation can be made invalid (a bare string path parameter):
            # only its positive cases exist.
            assert mode is GenerationMode.NEGATIVE

    # Then schemathesis' deterministic coverage cases: boundaries, every type a value must
    # not have, unexpected methods (405). The declaration has over a thousand: a spread.
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    coverage = list(
        schema.iter_coverage_cases(
            operation,
            generation_modes=modes,
            generation_config=schema.config.generation_for(operation=operation),
        )
    )
    step = max(1, len(coverage) // COVERAGE_CASES)
    for index, case in enumerate(coverage[::step]):
        for name, values in world.items():
            if case.path_parameters and name in case.path_parameters and index % 2:
                case.path_parameters[name] = values[index // 2 % len(values)]
        case.headers.update(headers)
        if role == "anonymous":
            case.headers.pop("Authorization", None)
        case.validate_response(case.call(), checks=CHECKS)


def test_the_fuzzer_sees_every_request_body() -> None:
    """A body schemathesis cannot resolve is left out without a word: check it sees them."""
    schema = schemathesis.openapi.from_dict(FUZZED)
    for method, path in OPERATIONS:
        documented = "requestBody" in DOCUMENT["paths"][path][method.lower()]
        assert bool(schema[path][method].body) == documented, (method, path)
