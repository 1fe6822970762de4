"""Pages of audits (under ``/espace/audits/``), one module per part of an audit's life:

* :mod:`.overview` — the list of audits and the page of one audit;
* :mod:`.planning` — the certifier plans an audit and its sample of sites (IAF MD 1);
* :mod:`.checklist` — the assigned auditor fills in the checklist and closes the audit;
* :mod:`.findings` — the assigned auditor records findings;
* :mod:`.corrective_actions` — the company proposes corrective actions, the auditor verifies;
* :mod:`.documents` — evidence files and the audit report (PDF).

Every view is thin: it finds what the user may see (404 otherwise), calls one service per POST,
and shows the service's refusal (403, 409, or the form again with its errors). A page refuses
by itself only to *show* a form to someone who may not send it, and in the service's words
(:mod:`rcf.certification.refusals`); it never re-checks an ability before calling the service.
Who may use a view is said in its docstring.
"""
