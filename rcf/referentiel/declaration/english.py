"""The input errors of a declaration in English, for the pages under ``/en/``.

The validator writes French messages: they are part of the formats (the API's errors, ``rcf
evaluate``'s output) and stay byte-identical. A page in English shows the same error through
:func:`message_in`, which recognises the message among the validator's own wordings (the rules
below, one per sentence the compiler, the rules and the territory check write) and writes it
again in English with the same values. A value quoted between « » is data and is kept as typed;
the schema's descriptions have their English in :data:`DESCRIPTIONS`. A message none of the
rules recognise (one from elsewhere, already in the page's language) is returned as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DESCRIPTIONS = {
    "version du format : exactement « rcf-declaration/1 »": (
        "format version: exactly “rcf-declaration/1”"
    ),
    "date de référence de la déclaration (AAAA-MM-JJ)": (
        "reference date of the declaration (YYYY-MM-DD)"
    ),
    "identifiant : 1 à 64 caractères parmi a-z, 0-9, « _ » et « - », le premier étant une "
    "lettre ou un chiffre": (
        "identifier: 1 to 64 characters among a-z, 0-9, “_” and “-”, the first one a letter or "
        "a digit"
    ),
    "code pays ISO 3166-1 alpha-2 en majuscules (FR, ou un code d'outre-mer : GP, MQ, GF, RE, "
    "YT, PM, BL, MF, NC, PF, WF, TF)": (
        "ISO 3166-1 alpha-2 country code in capitals (FR, or an overseas code: GP, MQ, GF, RE, "
        "YT, PM, BL, MF, NC, PF, WF, TF)"
    ),
    "performed (réalisé) ou not_performed (non réalisé)": "performed or not_performed",
    "canal de contact": "contact channel",
    "activité": "activity",
    "phase de la relation client": "phase of the customer relationship",
    "subcontractor (sous-traitant) ou temp_agency (entreprise de travail temporaire)": (
        "subcontractor or temp_agency (temporary work agency)"
    ),
    "code commune INSEE : 5 caractères (75056, 2A004, 97411)": (
        "INSEE commune code: 5 characters (75056, 2A004, 97411)"
    ),
    "département d'un site de télétravail : 01 à 95 (sauf 20), 2A, 2B, 971 à 974, 976": (
        "department of a home working site: 01 to 95 (except 20), 2A, 2B, 971 to 974, 976"
    ),
    "establishment (établissement) ou telework (télétravail)": (
        "establishment or telework (home working)"
    ),
    "nature du contrat": "kind of contract",
    "fonction : adviser, back_office, supervision ou support": (
        "function: adviser, back_office, supervision or support"
    ),
    "valeur hors de la liste admise": "value not in the accepted list",
    # rcf-declaration-2.schema.json (version 2: contact points)
    "version du format : exactement « rcf-declaration/2 »": (
        "format version: exactly “rcf-declaration/2”"
    ),
    "canal du point de contact (pas le courrier postal)": (
        "channel of the contact point (not postal mail)"
    ),
    "customer_service (exécution du contrat, réclamations : art. L121-16 du Code de la "
    "consommation) ou sales (vente)": (
        "customer_service (performance of the contract, complaints: art. L121-16 of the French "
        "Consumer Code) or sales"
    ),
    "telephone : numéro en forme nationale (09 69 32 00 00) ou internationale (+33 9 69 32 00 "
    "00) ; email : adresse électronique ; autres canaux : URL absolue en https://": (
        "telephone: a number in national (09 69 32 00 00) or international form (+33 9 69 32 00 "
        "00); email: an e-mail address; other channels: an absolute https:// URL"
    ),
    "un numéro de téléphone, une adresse électronique ou l'adresse d'un chat, d'une messagerie, "
    "d'un réseau social ou d'une visioconférence": (
        "a telephone number, an e-mail address or the address of a chat, a messaging service, a "
        "social network or a video call"
    ),
    "une marque de l'entreprise candidate (applicant.brands)": (
        "a brand of the applicant company (applicant.brands)"
    ),
    "les marques servies ; vide : toutes les marques": "the brands served; empty: every brand",
    "les sites où ce point de contact est répondu": (
        "the sites where this contact point is answered"
    ),
    "les points de contact par lesquels les consommateurs joignent la relation client (exigence "
    "RCF-09) ; peut être vide": (
        "the contact points by which consumers reach the customer relationship (requirement "
        "RCF-09); may be empty"
    ),
}
"""The schemas' descriptions (``rcf-declaration-1.schema.json``, ``-2``) quoted by messages, in
English; a test checks that every description of each schema is here."""

JSON_TYPES = {
    "null": "null",
    "un booléen": "a boolean",
    "un nombre": "a number",
    "une chaîne": "a string",
    "un tableau": "an array",
    "un objet": "an object",
}

JSON_REASONS = {
    "valeur attendue": "value expected",
    "virgule « , » attendue": "comma “,” expected",
    "deux-points « : » attendus": "colon “:” expected",
    "nom de champ entre guillemets attendu": "field name in double quotes expected",
    "chaîne non terminée": "unterminated string",
    "caractère de contrôle interdit dans une chaîne": "control character not allowed in a string",
    "séquence d'échappement « \\ » invalide": "invalid “\\” escape sequence",
    "séquence « \\uXXXX » invalide": "invalid “\\uXXXX” sequence",
    "données après la fin du document": "data after the end of the document",
}

REFERENCES = {
    "donneur d'ordre": "principal",
    "opérateur": "operator",
    "site": "site",
    "employeur": "employer",
}

GIVEN = {"le code commune INSEE": "the INSEE commune code", "le département": "the department"}

QUOTED = r"« (?P<{}>.*) »"
"""A value as the validator quotes it (``shown``): kept as it is, in English quotes."""


def _quoted(name: str) -> str:
    return QUOTED.format(name)


Rule = tuple[re.Pattern[str], str]

_RULES: list[Rule] = [
    (re.compile(pattern, re.DOTALL), english)
    for pattern, english in [
        # compiler.py
        # A property name (lazy: the first « » is the key's, the rest is the inner message).
        (r"clé « (?P<key>.*?) » : (?P<message>.*)", "key {key}: {message}"),
        (r"doit valoir true ou false", "must be true or false"),
        (
            r"doit valoir true ou false \(reçu : (?P<type>[^)]*)\)",
            "must be true or false (got {type})",
        ),
        (r"doit être un nombre entier", "must be a whole number"),
        (
            r"doit être un nombre entier \(reçu : (?P<type>[^)]*)\)",
            "must be a whole number (got {type})",
        ),
        (
            r"doit être supérieur ou égal à (?P<minimum>-?[0-9.]+) \(reçu : (?P<got>.*)\)",
            "must be greater than or equal to {minimum} (got {got})",
        ),
        (
            r"doit être un objet JSON \(reçu : (?P<type>[^)]*)\)",
            "must be a JSON object (got {type})",
        ),
        (r"champ inconnu " + _quoted("field"), "unknown field {field}"),
        (r"champ obligatoire manquant " + _quoted("field"), "missing required field {field}"),
        (r"ne doit pas être vide", "must not be empty"),
        (r"doit compter au moins (?P<n>[0-9]+) éléments", "must have at least {n} items"),
        (
            r"doit être un tableau JSON \(reçu : (?P<type>[^)]*)\)",
            "must be a JSON array (got {type})",
        ),
        (r"contient des doublons : " + _quoted("value"), "contains duplicates: {value}"),
        (
            r"doit compter exactement (?P<n>[0-9]+) caractères \((?P<got>[0-9]+) reçus : "
            + _quoted("value")
            + r"\)",
            "must be exactly {n} characters long ({got} given: {value})",
        ),
        (r"doit compter au moins (?P<n>[0-9]+) caractères", "must be at least {n} characters long"),
        (r"doit compter au plus (?P<n>[0-9]+) caractères", "must be at most {n} characters long"),
        (
            r"valeur invalide " + _quoted("value") + r" : (?P<description>.*)",
            "invalid value {value}: {description}",
        ),
        (
            r"date invalide " + _quoted("value") + r" : (?P<description>.*)",
            "invalid date {value}: {description}",
        ),
        (
            r"doit être une chaîne de caractères \(reçu : (?P<type>[^)]*)\)",
            "must be a string (got {type})",
        ),
        (
            r"valeur « (?P<value>.*?) » ; doit valoir « (?P<expected>.*) »",
            "value “{value}”; must be “{expected}”",
        ),
        (
            r"valeur inconnue " + _quoted("value") + r" ; valeurs admises : (?P<values>.*)",
            "unknown value {value}; accepted values: {values}",
        ),
        (
            r"valeur inconnue " + _quoted("value") + r" ; (?P<description>.*)",
            "unknown value {value}; {description}",
        ),
        # rules.py
        (
            r"identifiant " + _quoted("id") + r" déjà utilisé par (?P<pointer>/[a-z_]+/[0-9]+)",
            "identifier {id} already used by {pointer}",
        ),
        (
            r"(?P<reference>donneur d'ordre|opérateur|site|employeur) inconnu " + _quoted("id"),
            "unknown {reference} {id}",
        ),
        (
            r"la chaîne des donneurs d'ordre ne remonte pas jusqu'à « applicant » : elle boucle "
            r"\((?P<chain>.*)\)",
            "the chain of principals does not lead back to “applicant”: it loops ({chain})",
        ),
        (
            r"« department » ne s'emploie que pour un site de télétravail ; un établissement "
            r"donne son code commune INSEE « commune_insee »",
            "“department” is only for a home working site; an establishment gives its INSEE "
            "commune code “commune_insee”",
        ),
        (
            r"un site de télétravail en France \(pays FR\) doit indiquer son code commune INSEE "
            r"« commune_insee » ou son département « department »",
            "a home working site in France (country FR) must give its INSEE commune code "
            "“commune_insee” or its department “department”",
        ),
        (
            r"un établissement en France \(pays FR\) doit indiquer son code commune INSEE "
            r"« commune_insee »",
            "an establishment in France (country FR) must give its INSEE commune code "
            "“commune_insee”",
        ),
        (
            r"code commune INSEE inconnu "
            + _quoted("value")
            + r" : il ne relève d'aucun territoire du référentiel \(référentiel §1\.1\)",
            "unknown INSEE commune code {value}: it belongs to no territory of the scheme "
            "(scheme §1.1)",
        ),
        (
            r"l'identifiant « applicant » est réservé à l'entreprise candidate",
            "the identifier “applicant” is reserved for the applicant company",
        ),
        # rules.py, version 2: the value of a contact point for its channel, its brands
        (
            r"adresse électronique attendue \(nom@domaine\.fr\), et non " + _quoted("value"),
            "e-mail address expected (name@domain.fr), not {value}",
        ),
        (
            r"adresse absolue en « https:// » attendue, et non " + _quoted("value"),
            "absolute “https://” address expected, not {value}",
        ),
        (
            r"marque inconnue " + _quoted("value") + r" : elle doit figurer dans /applicant/brands",
            "unknown brand {value}: it must be listed in /applicant/brands",
        ),
        # telephone.py (a contact point's number, the phone check)
        (
            r"un numéro de téléphone s'écrit avec des chiffres, éventuellement précédés de « \+ » "
            r"et de l'indicatif du pays ; espaces, points et tirets sont admis",
            "a telephone number is written with digits, possibly preceded by “+” and the "
            "country calling code; spaces, dots and hyphens are accepted",
        ),
        (
            r"numéro court \(3BPQ, 10YT, 118XYZ\) : indiquez le numéro à dix chiffres qui le "
            r"joint, tel que « 09 69 32 00 00 »",
            "short number (3BPQ, 10YT, 118XYZ): give the ten-digit number that reaches it, such "
            "as “09 69 32 00 00”",
        ),
        (
            r"ce n'est pas un numéro de téléphone valide selon le plan de numérotation \(en "
            r"France, 10 chiffres commençant par 0 ; à l'étranger, « \+ » suivi de l'indicatif "
            r"du pays\)",
            "this is not a valid telephone number according to the numbering plan (in France, 10 "
            "digits beginning with 0; abroad, “+” followed by the country calling code)",
        ),
        # territory.py
        (
            r"le pays (?P<country>[A-Z]{2}) n'est pas la France : (?P<given>le code commune INSEE|"
            r"le département) ne s'emploie qu'avec le pays FR ou un code d'outre-mer",
            "country {country} is not France: {given} is only used with country FR or an "
            "overseas code",
        ),
        (
            r"le département (?P<department>\S+) contredit le code commune INSEE (?P<code>\S+)",
            "department {department} contradicts INSEE commune code {code}",
        ),
        (
            r"le pays (?P<country>[A-Z]{2}) \((?P<name>[^)]*)\) contredit le code commune INSEE "
            r"(?P<code>\S+)",
            "country {country} ({name}) contradicts INSEE commune code {code}",
        ),
        (
            r"le pays (?P<country>[A-Z]{2}) \((?P<name>[^)]*)\) contredit le département "
            r"(?P<department>\S+)",
            "country {country} ({name}) contradicts department {department}",
        ),
        # __init__.py (parse_declaration_json)
        (
            r"JSON mal formé, ligne (?P<line>[0-9]+), colonne (?P<column>[0-9]+) : (?P<reason>.*)",
            "malformed JSON, line {line}, column {column}: {reason}",
        ),
        (
            r"le fichier n'est pas un texte UTF-8 : une déclaration est du JSON en UTF-8",
            "the file is not UTF-8 text: a declaration is JSON in UTF-8",
        ),
        (
            r"JSON trop profondément imbriqué pour être une déclaration",
            "JSON nested too deeply to be a declaration",
        ),
    ]
]

_VALUES: dict[str, Callable[[str], str]] = {
    "key": lambda v: f"“{v}”",
    "field": lambda v: f"“{v}”",
    "value": lambda v: f"“{v}”",
    "id": lambda v: f"“{v}”",
    "type": lambda v: JSON_TYPES.get(v, v),
    "description": lambda v: DESCRIPTIONS.get(v, v),
    "reference": lambda v: REFERENCES.get(v, v),
    "given": lambda v: GIVEN.get(v, v),
    "reason": lambda v: JSON_REASONS.get(v, v),
    "message": lambda v: english_message(v),
}


def english_message(message: str) -> str:
    """The English of a French message of the validator; the message itself if it is not one."""
    for pattern, english in _RULES:
        match = pattern.fullmatch(message)
        if match is None:
            continue
        values = {name: _VALUES.get(name, str)(value) for name, value in match.groupdict().items()}
        return english.format(**values)
    return message


def message_in(message: str, language: str | None) -> str:
    """A validator's message for a page in ``language`` (``en``; French otherwise)."""
    if (language or "fr").split("-")[0] == "en":
        return english_message(message)
    return message
