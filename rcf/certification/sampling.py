"""Which establishment sites an audit visits (référentiel §4, IAF MD 1 multi-site sampling).

Pure function of the declaration: the certifier sees the proposal with the reason for each
site and may edit it before the audit.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from rcf.referentiel.scheme import Scheme


class SampleEntry(TypedDict):
    """One site to visit as an audit keeps it (``Audit.sampled_sites``) and the API shows it."""

    site: str
    reason: str


@dataclass(frozen=True)
class SampledSite:
    site: str
    reason: str

    def as_dict(self) -> SampleEntry:
        return {"site": self.site, "reason": self.reason}


def sample_size(kind: str, establishments: int, scheme: Scheme) -> int:
    """⌈factor·√n⌉ with the factor of the audit kind, n at least 1, never more than n sites."""
    factors: Mapping[str, float] = scheme.section("sampling")
    n = max(1, establishments)
    return min(n, max(1, math.ceil(factors[kind] * math.sqrt(n))))


def propose_sample(
    declaration: Mapping[str, Any],
    kind: str,
    *,
    scheme: Scheme,
    previous_site_ids: Collection[str] | None = None,
) -> list[SampledSite]:
    """The sites to visit, in the order they were chosen, each with its reason.

    The applicant's largest in-house establishment is always first; the others are ranked by
    risk: subcontracted sites, then sites new since the last audit (``previous_site_ids`` is
    the sites of the declaration audited last time, ``None`` for a first audit), then the
    largest headcount; the declaration's order breaks ties so the proposal is stable.
    """
    headcount: dict[str, int] = {}
    for row in declaration.get("workforce", []):
        headcount[row["site"]] = headcount.get(row["site"], 0) + int(row["headcount"])
    sites = [s for s in declaration.get("sites", []) if s.get("kind") == "establishment"]
    if not sites:
        return []
    size = sample_size(kind, len(sites), scheme)
    order = {s["id"]: i for i, s in enumerate(sites)}
    chosen: list[SampledSite] = []

    in_house = [s for s in sites if s["operator"] == "applicant"]
    if in_house:
        largest = max(in_house, key=lambda s: (headcount.get(s["id"], 0), -order[s["id"]]))
        chosen.append(
            SampledSite(
                largest["id"],
                f"Plus grand site de l'entreprise ({headcount.get(largest['id'], 0)} "
                "contributeurs) : toujours audité.",
            )
        )

    def risk(site: Mapping[str, Any]) -> tuple[int, int, int, int]:
        subcontracted = site["operator"] != "applicant"
        new = previous_site_ids is not None and site["id"] not in previous_site_ids
        return (not subcontracted, not new, -headcount.get(site["id"], 0), order[site["id"]])

    taken = {c.site for c in chosen}
    for site in sorted((s for s in sites if s["id"] not in taken), key=risk):
        if len(chosen) >= size:
            break
        reasons = []
        if site["operator"] != "applicant":
            reasons.append(f"site sous-traité (opérateur {site['operator']})")
        if previous_site_ids is not None and site["id"] not in previous_site_ids:
            reasons.append("nouveau depuis le dernier audit")
        reasons.append(f"{headcount.get(site['id'], 0)} contributeurs")
        text = ", ".join(reasons)
        chosen.append(SampledSite(site["id"], text[0].upper() + text[1:] + "."))
    return chosen
