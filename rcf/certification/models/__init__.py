"""The certification workflow's models, one module per stage: the dossier, the audit, the
certificate. They sit in one app because they refer to each other (a renewal dossier renews a
certificate; a certificate carries the dossier of its decision in force)."""

from rcf.certification.models.audit import (
    Audit,
    ChecklistItem,
    CorrectiveAction,
    EvidenceFile,
    Finding,
)
from rcf.certification.models.certificate import (
    Certificate,
    CertificateEvent,
    CertificateSequence,
    ContactPoint,
)
from rcf.certification.models.dossier import Application, PayrollEvidence

__all__ = [
    "Application",
    "Audit",
    "Certificate",
    "CertificateEvent",
    "CertificateSequence",
    "ChecklistItem",
    "ContactPoint",
    "CorrectiveAction",
    "EvidenceFile",
    "Finding",
    "PayrollEvidence",
]
