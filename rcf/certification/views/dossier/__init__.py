"""Pages of applications (under ``/espace/``), one module per stage of the dossier:

* :mod:`.workspace` — the dashboard and the page of one application;
* :mod:`.declaration` — creating an application, the declaration read, edited section by
  section, downloaded and replaced by an uploaded file;
* :mod:`.evidence` — DSN payroll evidence and the pre-check report;
* :mod:`.review` — submission, the AFRC's admissibility, the certifier's decision.

Every view is thin: it finds what the user may see (404 otherwise), calls one service per POST,
and shows the service's refusal (403, 409, or the form again with its errors). A page refuses
by itself only to *show* a form to someone who may not send it, and in the service's words
(:mod:`rcf.certification.refusals`); it never re-checks an ability before calling the service.
Who may use a view is said in its docstring.
"""
