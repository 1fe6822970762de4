"""Under /en/, the scheme's own texts are English too: the pre-check (verdict, requirements,
statuses, findings, metrics), the audit checklist, the commitments; and the published formats
keep their French.

Each page is checked against words of the French texts it would otherwise show (taken from the
scheme file, so that they are the real ones) and for the English that replaces them.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from rcf.referentiel.scheme import read_scheme
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

FRENCH = [
    "Non conforme",
    "Non éligible",
    "À vérifier",
    "Conforme",
    "Ligne d'effectif",
    "contributeurs",
    "Établissement",
    "établissement",
    "exigence",
    "n'est pas",
    "Adhésion",
    "Périmètre",
    "droit français",
    "sous-traitant",
    "s'engage",
    "Aucune DSN",
    "Part conforme",
    "Travaillant en France",
    "l'auditeur",
    "Engagement",
    "clause France",
    "échantillon",
    "télétravail",
    "déclaration",
]
"""Words of the scheme's French texts (titles, findings, verdicts, metrics, checklist)."""


def french_in(html: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The French words of :data:`FRENCH` found in the page's text (tags and the data the
    page quotes, ``allowed``, removed)."""
    # The rcf-evaluation/1 document a page offers is French by specification.
    text = re.sub(r"<pre><code>.*?</code></pre>", " ", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    for data in allowed:
        text = text.replace(data, "")
    return [word for word in FRENCH if word in text]


def en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def fr(name: str, *args: Any) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


def test_the_word_list_is_french_of_the_scheme() -> None:
    """The words above are the scheme's, so a page without them did not show its French."""
    scheme = read_scheme("1")
    texts = " ".join(
        [r.title + " " + r.text for r in scheme.requirements]
        + [f.message for f in scheme.findings.values()]
        + [s.label for s in scheme.statuses.values()]
        + [v.label + " " + v.explanation for v in scheme.verdicts]
        + list(scheme.metric_labels.values())
        + list(scheme.checklist.values())
    )
    assert [w for w in FRENCH if w not in texts] == []


def test_the_dossier_pre_check_reads_in_english(cast: Cast) -> None:
    application = pages.telecom_draft(cast)
    client = pages.browser(cast, "other_applicant")
    html = client.get(en("applications:precheck", application.pk)).content.decode()
    assert '<html lang="en"' in html
    assert french_in(html, ("Télécom Exemple SA", "Grand BPO France SAS")) == []
    for english in (
        "Not eligible",
        "At least one requirement is not met",
        "RCF-04 — 100% of contributors work in France",
        "Nonconforming",
        "Establishment “tunis” (TN, Tunis) is outside the scope of the French Labour Code: "
        "320 contributors work there.",
        "Workforce line /workforce/1 (site “paris”, employer “applicant”): 6 contributors in "
        "self-employment, without an employment contract.",
        "Missing commitment (commitments.",
        "Conforming share (label threshold: 100%)",
        "45.4%",
    ):
        assert english in html, english

    # The same page in French is unchanged, and the evaluation document stays French.
    french = client.get(fr("applications:precheck", application.pk)).content.decode()
    assert "RCF-04 — 100 % des contributeurs travaillent en France" in french
    assert escape(application.evaluation["requirements"][3]["findings"][0]["message"]) in french
    document = client.get(en("applications:evaluation_json", application.pk))
    served = json.loads(document.content)
    assert served == application.evaluation  # the same document under /en/, French messages
    assert served["requirements"][3]["findings"][0]["message"].startswith("L'établissement")


def test_the_public_pre_check_reads_in_english() -> None:
    declaration = json.dumps(example_declaration("telecom-offshore.json")).encode()
    upload = io.BytesIO(declaration)
    upload.name = "declaration.json"
    response = Client().post(en("front:precheck"), {"declaration": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert french_in(html, ("Télécom Exemple SA",)) == []
    assert "RCF-06 — France clause in subcontracting and temporary work contracts" in html
    assert "does not include the France clause" in html
    # the rcf-evaluation/1 document offered on the page keeps its French messages
    document = re.search(r"<pre><code>(.*?)</code></pre>", html, re.DOTALL)
    assert document is not None
    assert "ne comporte pas la clause France" in document.group(1)


def test_the_audit_checklist_reads_in_english(cast: Cast) -> None:
    audit = pages.planned(cast)
    html = pages.browser(cast, "auditor").get(en("audits:checklist", audit.pk)).content.decode()
    assert french_in(html) == []
    scheme = read_scheme("1").in_language("en")
    for text in scheme.checklist.values():
        assert escape(text) in html
    french = pages.browser(cast, "auditor").get(fr("audits:checklist", audit.pk))
    assert escape(read_scheme("1").checklist["RCF-A4"]) in french.content.decode()


def test_the_commitments_read_in_english(cast: Cast) -> None:
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    url = en("applications:section", application.pk, "engagements")
    html = client.get(url).content.decode()
    assert "The company commits to report any change of scope" in html, html
    assert french_in(html, ("Mutuelle Exemple",)) == []


@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [
        (
            "en",
            [
                "/operators/0: unknown field “colour”",
                "/sites/0/location: country GP (Guadeloupe) contradicts INSEE commune code 79191",
                "/workforce/1/headcount: must be greater than or equal to 0 (got -3)",
                "/workforce/2/site: unknown site “maison”",
            ],
            ["champ inconnu", "contredit", "doit être", "site inconnu"],
        ),
        (
            "fr",
            [
                "/operators/0 : champ inconnu « colour »",
                "/workforce/2/site : site inconnu « maison »",
            ],
            ["unknown field"],
        ),
    ],
)
def test_the_input_errors_read_in_the_page_language(
    language: str, expected: list[str], unexpected: list[str]
) -> None:
    upload = io.BytesIO(json.dumps(example_declaration("erreurs-de-saisie.json")).encode())
    upload.name = "declaration.json"
    with translation.override(language):
        url = reverse("front:precheck")
    response = Client().post(url, {"declaration": upload})
    assert response.status_code == 422
    html = response.content.decode()
    for text in expected:
        assert escape(text) in html, text
    for text in unexpected:
        assert text not in html, text


def test_the_upload_errors_of_a_dossier_read_in_english(cast: Cast) -> None:
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    upload = io.BytesIO(b'{"format": "rcf-declaration/1",}')
    upload.name = "declaration.json"
    response = client.post(en("applications:declaration_upload", application.pk), {"file": upload})
    html = response.content.decode()
    assert "malformed JSON, line 1, column 32: field name in double quotes expected" in html, html
    assert "JSON mal formé" not in html
