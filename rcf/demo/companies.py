"""The fictional companies of the demonstration, one per state of the workflow.

Numbers are made up but carry valid check digits, so the pre-check judges them as it would
real ones. Names and places are invented.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from stdnum import luhn


def siren_from(prefix: str) -> str:
    """A SIREN with a valid Luhn key from 8 digits."""
    return prefix + luhn.calc_check_digit(prefix)


def siret_from(siren: str, establishment: int) -> str:
    """A SIRET of ``siren`` with a valid Luhn key (NIC = 4 digits + key)."""
    base = f"{siren}{establishment:04d}"
    return base + luhn.calc_check_digit(base)


@dataclass(frozen=True)
class Site:
    id: str
    commune: str
    city: str
    headcount: int
    channels: tuple[str, ...] = ("telephone", "email", "chat")
    country: str = "FR"


@dataclass(frozen=True)
class ContactPoint:
    id: str
    channel: str
    value: str
    sites: tuple[str, ...]
    purpose: str = "customer_service"
    brands: tuple[str, ...] = ()


@dataclass(frozen=True)
class Company:
    key: str
    state: str
    name: str
    brands: tuple[str, ...]
    prefix: str
    sites: tuple[Site, ...]
    telework: tuple[str, int] | None = None
    subcontractor: tuple[str, str, Site] | None = None
    """(name, SIREN prefix, its site)."""
    extra: dict[str, Any] = field(default_factory=dict)
    contact_points: tuple[ContactPoint, ...] = ()
    """Given: the company declares in version 2 (referentiel-v2.md), with these contact
    points; none: version 1, as before."""

    @property
    def siren(self) -> str:
        return siren_from(self.prefix)


ALL_CHANNELS = ("telephone", "email", "chat", "messaging", "social_media", "postal_mail", "video")

COMPANIES = (
    Company(
        "brouillon",
        "draft",
        "Énergie Solidaire du Nord",
        ("Énergie Solidaire",),
        "90110002",
        (Site("roubaix", "59512", "Roubaix", 84),),
        telework=("59", 12),
        # Version 2, with a surcharged customer-service number: the pre-check catches it
        # (RCF-09 surcharged_customer_service_number), the draft shows how to fix it.
        contact_points=(
            ContactPoint("sc-tel", "telephone", "0899 23 45 67", ("roubaix",)),
            ContactPoint("courriel", "email", "contact@energie-solidaire.fr", ("roubaix",)),
            ContactPoint("chat", "chat", "https://www.energie-solidaire.fr/aide", ("roubaix",)),
        ),
    ),
    Company(
        "depose",
        "submitted",
        "Assurances Côte d'Opale",
        ("Opale Assurances",),
        "90110003",
        (Site("boulogne", "62160", "Boulogne-sur-Mer", 46),),
    ),
    Company(
        "audit",
        "audit_planned",
        "Télé-Services Occitanie",
        ("TSO", "Occi'Box"),
        "90110004",
        (Site("toulouse", "31555", "Toulouse", 130), Site("albi", "81004", "Albi", 38)),
        subcontractor=("Pyrénées Contact SAS", "90110011", Site("tarbes", "65440", "Tarbes", 25)),
    ),
    Company(
        "actions",
        "corrective_actions",
        "Banque Coopérative du Rhône",
        ("BCR",),
        "90110005",
        (Site("lyon", "69123", "Lyon", 160),),
        telework=("69", 20),
    ),
    Company(
        "auditee",
        "audited",
        "Centre de Contacts Val de Loire",
        ("Val de Loire Contact",),
        "90110013",
        (Site("tours", "37261", "Tours", 72),),
        telework=("37", 6),
    ),
    Company(
        "certifiee",
        "certified",
        "Mutuelle des Marais",
        ("Mutuelle des Marais", "Marais Prévoyance"),
        "90110006",
        (Site("niort", "79191", "Niort", 67), Site("la-rochelle", "17300", "La Rochelle", 41)),
        telework=("79", 9),
        subcontractor=(
            "Brest Relation Client SAS",
            "90110012",
            Site("brest", "29019", "Brest", 22),
        ),
        # Certified under version 2: found by its numbers on /numero/.
        contact_points=(
            ContactPoint(
                "sc-tel", "telephone", "05 49 77 12 34", ("niort", "la-rochelle", "brest")
            ),
            ContactPoint(
                "prevoyance",
                "telephone",
                "09 70 80 12 34",
                ("niort",),
                brands=("Marais Prévoyance",),
            ),
            ContactPoint(
                "ventes", "telephone", "09 70 80 56 78", ("la-rochelle",), purpose="sales"
            ),
            ContactPoint(
                "courriel", "email", "contact@mutuelle-des-marais.fr", ("niort", "teletravail")
            ),
            ContactPoint("chat", "chat", "https://www.mutuelle-des-marais.fr/aide", ("niort",)),
        ),
    ),
    Company(
        "reunion",
        "certified",
        "Électricité des Îles",
        ("Îles Énergie",),
        "90110007",
        (
            Site("saint-denis", "97411", "Saint-Denis (La Réunion)", 58),
            Site("fort-de-france", "97209", "Fort-de-France", 31),
        ),
    ),
    Company(
        "suspendue",
        "suspended",
        "Opérateur Fibre Armor",
        ("Armor Fibre",),
        "90110008",
        (Site("lannion", "22113", "Lannion", 95),),
    ),
    Company(
        "retiree",
        "withdrawn",
        "Livraisons Express Centre",
        ("LEC Livraisons",),
        "90110009",
        (Site("orleans", "45234", "Orléans", 52),),
    ),
    Company(
        "expiree",
        "expired",
        "Voyages Horizon Caraïbes",
        ("Horizon Voyages",),
        "90110010",
        (Site("pointe-a-pitre", "97120", "Pointe-à-Pitre", 28),),
    ),
)


def declaration_of(company: Company, reference_date: str) -> dict[str, Any]:
    """The company's declaration — ``rcf-declaration/2`` with its contact points when it has
    some, ``rcf-declaration/1`` otherwise: everything performed in France, every contract
    French — the pre-check then depends on the membership and the DSN evidence (and, in
    version 2, on its numbers)."""
    channels: set[str] = set()
    for site in company.sites:
        channels.update(site.channels)
    operators: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    workforce: list[dict[str, Any]] = []
    for index, site in enumerate(company.sites, start=1):
        sites.append(
            {
                "id": site.id,
                "operator": "applicant",
                "kind": "establishment",
                "name": f"Centre de {site.city}",
                "siret": siret_from(company.siren, index),
                "location": {
                    "country": site.country,
                    "commune_insee": site.commune,
                    "city": site.city,
                },
                "channels": list(site.channels),
                "activities": ["front_office", "back_office"],
                "phases": ["pre_sale", "sale", "after_sale"],
            }
        )
        workforce.append(
            {
                "site": site.id,
                "employer": "applicant",
                "contract": "cdi",
                "contract_law": "FR",
                "headcount": site.headcount,
                "function": "adviser",
            }
        )
    if company.telework:
        department, headcount = company.telework
        sites.append(
            {
                "id": "teletravail",
                "operator": "applicant",
                "kind": "telework",
                "location": {"country": "FR", "department": department},
                "channels": ["email"],
                "activities": ["back_office"],
                "phases": ["after_sale"],
            }
        )
        workforce.append(
            {
                "site": "teletravail",
                "employer": "applicant",
                "contract": "cdi",
                "contract_law": "FR",
                "headcount": headcount,
            }
        )
    if company.subcontractor:
        name, prefix, site = company.subcontractor
        siren = siren_from(prefix)
        operators.append(
            {
                "id": "prestataire",
                "role": "subcontractor",
                "parent": "applicant",
                "name": name,
                "country": "FR",
                "siren": siren,
                "france_clause": True,
                "contract_reference": f"ST-{company.prefix[-3:]}-2025",
            }
        )
        sites.append(
            {
                "id": site.id,
                "operator": "prestataire",
                "kind": "establishment",
                "name": f"{name} — {site.city}",
                "siret": siret_from(siren, 1),
                "location": {"country": "FR", "commune_insee": site.commune, "city": site.city},
                "channels": ["telephone"],
                "activities": ["front_office"],
                "phases": ["after_sale"],
            }
        )
        channels.add("telephone")
        workforce.append(
            {
                "site": site.id,
                "employer": "prestataire",
                "contract": "cdi",
                "contract_law": "FR",
                "headcount": site.headcount,
            }
        )
    channels.add("email")
    declaration: dict[str, Any] = copy.deepcopy(
        {
            "format": "rcf-declaration/1",
            "reference_date": reference_date,
            "applicant": {
                "siren": company.siren,
                "name": company.name,
                "brands": list(company.brands),
            },
            "scope": {
                "channels": {
                    c: "performed" if c in channels else "not_performed" for c in ALL_CHANNELS
                },
                "activities": {"front_office": "performed", "back_office": "performed"},
                "phases": {"pre_sale": "performed", "sale": "performed", "after_sale": "performed"},
            },
            "operators": operators,
            "sites": sites,
            "workforce": workforce,
            "commitments": {"notify_changes": True, "accept_audits": True},
        }
    )
    if company.contact_points:
        declaration["format"] = "rcf-declaration/2"
        declaration["contact_points"] = [
            {
                "id": cp.id,
                "channel": cp.channel,
                "value": cp.value,
                "purpose": cp.purpose,
                "brands": list(cp.brands),
                "sites": list(cp.sites),
            }
            for cp in company.contact_points
        ]
    return declaration
