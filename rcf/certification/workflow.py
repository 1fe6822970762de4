"""Every state and every transition of the certification workflow, with who may make it.

This module is the table platform-v1.md §2 describes, in code: for each kind of object (the
dossier, the audit, the finding, the certificate) the transitions, the states each starts
from and may end in, the ability it needs (a key of the object's abilities, see
:mod:`rcf.certification.permissions`) and the words a refusal gives. Services make their
changes through :func:`begin` and :meth:`Step.finish` only, so the order of the checks and the
journal entry are the same everywhere:

1. lock the object's row (``select_for_update``): two concurrent requests act one after the
   other, and the second sees the first one's state;
2. check the ability — ``ActionForbidden`` (403);
3. check the state — ``TransitionNotAllowed`` (409);
4. (the service does its own work and input checks)
5. change the status and write the one journal entry (and, for a certificate, its public
   history event).

``actor=None`` is the platform itself (``rcf tick``): only transitions marked ``system`` accept
it. A transition without ``ability`` is the consequence of another one whose ability was
checked (closing an audit moves its dossier on).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rcf.accounts.models import User
from rcf.certification import refusals
from rcf.certification.choices import (
    ApplicationStatus as AS,
)
from rcf.certification.choices import (
    AuditStatus,
    CertificateStatus,
    FindingStatus,
)
from rcf.certification.models import Application, Audit, Certificate, CertificateEvent, Finding
from rcf.certification.permissions import (
    application_abilities,
    audit_abilities,
    certificate_abilities,
)
from rcf.core.errors import ActionForbidden, TransitionNotAllowed
from rcf.journal.services import journal_record

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Machine(Generic[M]):
    """One kind of object with a status: how to find its abilities and name it in the journal."""

    name: str
    model: type[M]
    abilities: Callable[[User, M], Mapping[str, bool]]
    journal_id: Callable[[M], str]
    timestamps: tuple[str, ...] = ()
    """Fields to save with every change (``auto_now`` fields are only set when saved)."""


APPLICATION: Machine[Application] = Machine(
    "application",
    Application,
    application_abilities,
    lambda application: str(application.pk),
    ("updated_at",),
)
AUDIT: Machine[Audit] = Machine("audit", Audit, audit_abilities, lambda audit: str(audit.pk))
FINDING: Machine[Finding] = Machine(
    "finding",
    Finding,
    lambda user, finding: audit_abilities(user, finding.audit),
    lambda finding: str(finding.pk),
)
CERTIFICATE: Machine[Certificate] = Machine(
    "certificate",
    Certificate,
    certificate_abilities,
    lambda certificate: certificate.number,
    ("status_changed_at",),
)


@dataclass(frozen=True)
class Transition(Generic[M]):
    """One row of the table."""

    machine: Machine[M]
    action: str
    """The journal action's last part: ``rcf.<machine>.<action>``."""
    sources: frozenset[str]
    targets: frozenset[str]
    ability: str | None
    forbidden: Promise | str = ""
    """Why the ability is missing (403)."""
    refused: Promise | str = ""
    """Why the state forbids it (409); ``%(status)s`` is the current status's label."""
    refused_in: Mapping[str, Promise | str] = field(default_factory=dict)
    """A more precise refusal for some states."""
    system: bool = False
    """``rcf tick`` (the platform, no actor) may make it."""
    journaled: bool = True
    """False when the service's one journal entry is another transition's."""

    @property
    def journal_action(self) -> str:
        return f"rcf.{self.machine.name}.{self.action}"


def _t(
    machine: Machine[M],
    action: str,
    sources: set[str],
    targets: set[str],
    ability: str | None,
    **options: Any,
) -> Transition[M]:
    return Transition(machine, action, frozenset(sources), frozenset(targets), ability, **options)


NEW = ""
"""The state before creation."""

# --- the dossier (platform-v1.md §2) ---------------------------------------------------------
APPLICATION_CREATE = _t(APPLICATION, "created", {NEW}, {AS.DRAFT}, None)
APPLICATION_UPDATE = _t(
    APPLICATION,
    "declaration_updated",
    {AS.DRAFT},
    {AS.DRAFT},
    "edit",
    forbidden=refusals.EDIT_DECLARATION,
    refused=_("La déclaration ne se modifie qu'en brouillon (le dossier est « %(status)s »)."),
)
APPLICATION_ADD_DSN = _t(
    APPLICATION,
    "dsn_added",
    {AS.DRAFT},
    {AS.DRAFT},
    "edit",
    forbidden=_("Seule l'entreprise peut déposer ses DSN."),
    refused=_("Les DSN se déposent en brouillon (le dossier est « %(status)s »)."),
)
APPLICATION_REMOVE_DSN = _t(
    APPLICATION,
    "dsn_removed",
    {AS.DRAFT},
    {AS.DRAFT},
    "edit",
    forbidden=_("Seule l'entreprise peut retirer ses DSN."),
    refused=_("Les DSN se retirent en brouillon (le dossier est « %(status)s »)."),
)
APPLICATION_SUBMIT = _t(
    APPLICATION,
    "submitted",
    {AS.DRAFT},
    {AS.SUBMITTED},
    "submit",
    forbidden=_("Seule l'entreprise peut déposer son dossier."),
    refused=_("Seul un brouillon peut être déposé (le dossier est « %(status)s »)."),
)
APPLICATION_DELETE = _t(
    APPLICATION,
    "deleted",
    {AS.DRAFT},
    {NEW},
    "edit",
    forbidden=refusals.DELETE_DRAFT,
    refused=_("Seul un brouillon peut être supprimé (le dossier est « %(status)s »)."),
)
_ADMISSIBILITY = {
    "forbidden": refusals.JUDGE_ADMISSIBILITY,
    "refused": _("Seul un dossier déposé est examiné (le dossier est « %(status)s »)."),
}
APPLICATION_ADMIT = _t(
    APPLICATION,
    "admissible",
    {AS.SUBMITTED},
    {AS.ADMISSIBLE},
    "judge_admissibility",
    **_ADMISSIBILITY,
)
APPLICATION_RETURN = _t(
    APPLICATION, "returned", {AS.SUBMITTED}, {AS.DRAFT}, "judge_admissibility", **_ADMISSIBILITY
)
APPLICATION_PLAN_AUDIT = _t(
    APPLICATION,
    "audit_planned",
    {AS.ADMISSIBLE},
    {AS.AUDIT_PLANNED},
    "plan_audit",
    forbidden=refusals.PLAN_AUDIT,
    refused=_("Un audit se planifie sur un dossier recevable (le dossier est « %(status)s »)."),
)
APPLICATION_PLAN_SURVEILLANCE = _t(
    APPLICATION,
    "audit_planned",
    {AS.CERTIFIED},
    {AS.CERTIFIED},
    "plan_audit",
    forbidden=refusals.PLAN_AUDIT,
    refused=_(
        "Un audit de surveillance porte sur un dossier certifié dont le certificat est valide "
        "ou suspendu (le dossier est « %(status)s »)."
    ),
)
APPLICATION_AUDIT_CLOSED = _t(
    APPLICATION,
    "audit_closed",
    {AS.AUDIT_PLANNED, AS.CERTIFIED},
    {AS.AUDITED, AS.CORRECTIVE_ACTIONS, AS.CERTIFIED},
    None,
    refused=_("Le dossier n'attend pas la clôture d'un audit (il est « %(status)s »)."),
)
APPLICATION_ACTIONS_DONE = _t(
    APPLICATION,
    "audit_closed",
    {AS.CORRECTIVE_ACTIONS},
    {AS.AUDITED},
    None,
    refused=_("Le dossier n'attend pas d'action corrective (il est « %(status)s »)."),
    journaled=False,  # recorded by the finding's « action_verified » entry
)
APPLICATION_DECIDE = _t(
    APPLICATION,
    "decided",
    {AS.AUDITED},
    {AS.CERTIFIED, AS.REFUSED},
    "decide",
    forbidden=refusals.DECIDE_AUDITED,
    refused=_("La décision suit la clôture de l'audit (le dossier est « %(status)s »)."),
    refused_in={AS.CORRECTIVE_ACTIONS: _("Une non-conformité majeure est encore ouverte.")},
)
APPLICATION_REFUSE_OVERDUE = _t(
    APPLICATION,
    "refused_overdue",
    {AS.CORRECTIVE_ACTIONS},
    {AS.REFUSED},
    None,
    refused=_("Le dossier n'attend plus d'action corrective (il est « %(status)s »)."),
    system=True,
)

# --- the audit -------------------------------------------------------------------------------
_FILL = {
    "forbidden": refusals.FILL_AUDIT,
    "refused": _("L'audit est clôturé : il ne peut plus être modifié."),
}
AUDIT_SAMPLE = _t(
    AUDIT,
    "sample_updated",
    {AuditStatus.PLANNED},
    {AuditStatus.PLANNED},
    "edit_sample",
    forbidden=refusals.EDIT_SAMPLE,
    refused=_FILL["refused"],
)
AUDIT_CHECKLIST = _t(
    AUDIT, "checklist_updated", {AuditStatus.PLANNED}, {AuditStatus.PLANNED}, "fill", **_FILL
)
AUDIT_FINDING = _t(
    AUDIT, "finding_recorded", {AuditStatus.PLANNED}, {AuditStatus.PLANNED}, "fill", **_FILL
)
AUDIT_EVIDENCE = _t(
    AUDIT, "evidence_added", {AuditStatus.PLANNED}, {AuditStatus.PLANNED}, "fill", **_FILL
)
AUDIT_CLOSE = _t(
    AUDIT,
    "closed",
    {AuditStatus.PLANNED},
    {AuditStatus.CLOSED},
    "fill",
    journaled=False,  # recorded by the dossier's « audit_closed » entry
    **_FILL,
)

# --- findings and corrective actions ---------------------------------------------------------
FINDING_PROPOSE_ACTION = _t(
    FINDING,
    "action_proposed",
    {FindingStatus.OPEN},
    {FindingStatus.ACTION_PROPOSED},
    "answer",
    forbidden=refusals.PROPOSE_ACTION,
    refused=_("Ce constat est « %(status)s » : pas de nouvelle action."),
)
FINDING_VERIFY_ACTION = _t(
    FINDING,
    "action_verified",
    {FindingStatus.ACTION_PROPOSED},
    {FindingStatus.CLOSED, FindingStatus.OPEN},
    "fill",
    forbidden=refusals.VERIFY_ACTION,
    refused=_("Cette action a déjà été vérifiée."),
)

# --- the certificate (référentiel §6) --------------------------------------------------------
LIVE: set[str] = {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED}
CERTIFICATE_ISSUE = _t(CERTIFICATE, "issued", {NEW}, {CertificateStatus.ACTIVE}, None)
CERTIFICATE_RENEW = _t(
    CERTIFICATE,
    "renewed",
    LIVE,
    {CertificateStatus.ACTIVE},
    None,
    refused=_("Le certificat est « %(status)s » : il ne peut plus être renouvelé."),
)
CERTIFICATE_SUSPEND = _t(
    CERTIFICATE,
    "suspended",
    {CertificateStatus.ACTIVE},
    {CertificateStatus.SUSPENDED},
    "suspend",
    forbidden=refusals.CHANGE_CERTIFICATE,
    refused=_("Seul un certificat valide peut être suspendu (il est « %(status)s »)."),
    system=True,
)
CERTIFICATE_REINSTATE = _t(
    CERTIFICATE,
    "reinstated",
    {CertificateStatus.SUSPENDED},
    {CertificateStatus.ACTIVE},
    "reinstate",
    forbidden=refusals.CHANGE_CERTIFICATE,
    refused=_("Seul un certificat suspendu peut être rétabli (il est « %(status)s »)."),
)
CERTIFICATE_WITHDRAW = _t(
    CERTIFICATE,
    "withdrawn",
    LIVE,
    {CertificateStatus.WITHDRAWN},
    "withdraw",
    forbidden=refusals.CHANGE_CERTIFICATE,
    refused=_("Seul un certificat valide ou suspendu peut être retiré (il est « %(status)s »)."),
    system=True,
)
CERTIFICATE_EXPIRE = _t(
    CERTIFICATE,
    "expired",
    LIVE,
    {CertificateStatus.EXPIRED},
    None,
    refused=_("Seul un certificat valide ou suspendu peut expirer (il est « %(status)s »)."),
    system=True,
)

TRANSITIONS: tuple[Transition[Any], ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Transition)
)
"""The whole table, for the documentation and the tests."""


def _status_label(obj: models.Model) -> str:
    return str(obj.get_status_display())  # type: ignore[attr-defined]


@dataclass
class Step(Generic[M]):
    """A transition under way: the object is locked and the checks have passed."""

    transition: Transition[M]
    obj: M
    actor: User | None
    before: str

    def finish(
        self,
        after: str | None = None,
        *,
        data: dict[str, Any] | None = None,
        fields: tuple[str, ...] = (),
        reason: str = "",
    ) -> M:
        """Set the new status, save it with ``fields``, and write the journal entry."""
        transition = self.transition
        if after is None:
            (after,) = transition.targets
        if after not in transition.targets:
            raise ValueError(f"{transition.journal_action}: {after!r} is not one of its targets")
        obj = self.obj
        obj.status = after  # type: ignore[attr-defined]
        if "status_changed_at" in transition.machine.timestamps and after != self.before:
            obj.status_changed_at = timezone.now()  # type: ignore[attr-defined]
        if obj.pk is None:
            obj.save(force_insert=True)
        else:
            obj.save(update_fields=["status", *fields, *transition.machine.timestamps])
        if isinstance(obj, Certificate):
            CertificateEvent.objects.create(
                certificate=obj,
                on=timezone.now(),
                action=transition.action,
                status=obj.status,
                reason=reason,
                data=data or {},
                actor=self.actor,
            )
            data = {"reason": reason, **(data or {})} if reason or data else None
        if transition.journaled:
            self._journal(after, data)
        return obj

    def record(self, *, data: dict[str, Any] | None = None) -> None:
        """Write the journal entry of a transition that ends the object (a deleted draft)."""
        (after,) = self.transition.targets
        self._journal(after, data)

    def _journal(self, after: str, data: dict[str, Any] | None) -> None:
        machine = self.transition.machine
        journal_record(
            actor=self.actor,
            action=self.transition.journal_action,
            obj_type=machine.name,
            obj_id=machine.journal_id(self.obj),
            before=self.before,
            after=after,
            data=data,
        )


def begin(transition: Transition[M], obj: M, *, actor: User | None) -> Step[M]:
    """Lock ``obj`` and check that ``actor`` may make ``transition`` from its current state.

    Must run inside the service's ``transaction.atomic()``.
    """
    machine = transition.machine
    if obj.pk is None:  # a creation: nothing to lock, nobody else can see it yet
        locked = obj
        before = NEW
    else:
        locked = machine.model._default_manager.select_for_update().get(pk=obj.pk)
        before = str(locked.status)  # type: ignore[attr-defined]
    if actor is None:
        if not transition.system and transition.ability is not None:
            raise ActionForbidden(transition.forbidden)
    elif (
        transition.ability is not None and not machine.abilities(actor, locked)[transition.ability]
    ):
        raise ActionForbidden(str(transition.forbidden))
    if before not in transition.sources:
        message = transition.refused_in.get(before, transition.refused)
        raise TransitionNotAllowed(str(message) % {"status": _status_label(locked)})
    return Step(transition, locked, actor, before)
