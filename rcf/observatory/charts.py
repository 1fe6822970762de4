"""The observatory's charts: data tables turned into matplotlib figures (SVG and PNG).

Each chart is a :class:`Chart`: a title, a one-sentence reading, a text alternative and its
data table, all computed from the same :class:`~rcf.observatory.selectors.Figures`; the
figure is drawn by matplotlib (object API, Agg backend, no pyplot state), with the site's
colours, and written as SVG with its text kept as text (``svg.fonttype = 'none'``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from rcf.observatory import labels
from rcf.observatory.departments import BY_CODE, OVERSEAS_ROW, TILES
from rcf.observatory.selectors import FUNNEL, Figures

# The site's palette (rcf/static/rcf/site.css).
BLUE = "#000091"
BLUE_LIGHT = "#e3e3fd"
INK = "#161616"
MUTED = "#3a3a3a"
LINE = "#929292"
WARN = "#8d4300"
BAD = "#ce0500"
GREY = "#eeeeee"
MAP_SCALE = ("#e3e3fd", "#b1b1f9", "#6a6af4", "#2323c7", "#000091")
"""Five steps from the site's light blue to its blue, for the tile map."""

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", '
    "sans-serif"
)
"""The site's fonts, written into the SVG; the PNG and the layout use DejaVu Sans (shipped
with matplotlib), whose widths are close enough to the system fonts'."""

RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "rcf-observatory",  # the same ids for the same chart: stable ETags
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 11,
    "axes.edgecolor": LINE,
    "axes.labelcolor": INK,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "text.color": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    reading: str
    alt: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    draw: Callable[[Figure], None]


def _n(value: float) -> str:
    return number_format(
        value, decimal_pos=0 if float(value).is_integer() else 1, force_grouping=True
    )


def _bars(
    figure: Figure, names: list[str], values: list[int], *, color: str = BLUE, xlabel: str = ""
) -> None:
    """Horizontal bars, largest first at the top, each with its value written beside it."""
    narrow = _is_narrow(figure)
    axes = figure.add_subplot()
    positions = list(range(len(names)))[::-1]
    bars = axes.barh(positions, values, color=color, height=0.65)
    if narrow:  # long names on two lines rather than half the width
        names = [textwrap.fill(name, 16, break_on_hyphens=False) for name in names]
    axes.set_yticks(positions, names)
    axes.bar_label(bars, labels=[_n(v) for v in values], padding=4, color=INK, fontsize=10)
    axes.set_xlabel(xlabel)
    axes.xaxis.set_major_formatter(lambda v, _pos: _n(v))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=2 if narrow else 6, integer=True))
    # Room on the right for the largest bar's value, written beside it.
    axes.margins(x=0.6 if narrow else 0.18)
    axes.tick_params(axis="y", length=0)
    axes.spines["left"].set_visible(False)


def _sorted(counts: dict[str, int], label: Callable[[str], str]) -> list[tuple[str, int]]:
    return sorted(((label(k), v) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def _breakdown_chart(
    slug: str, title: str, counts: dict[str, int], label: Callable[[str], str], what: str
) -> Chart:
    pairs = _sorted(counts, label)
    names, values = [p[0] for p in pairs], [p[1] for p in pairs]
    if pairs:
        reading = _("%(first)s vient en tête avec %(value)s personnes couvertes.") % {
            "first": pairs[0][0],
            "value": _n(pairs[0][1]),
        }
    else:
        reading = _("Aucun certificat valide aujourd'hui : rien à répartir.")
    alt = (
        _("Graphique en barres horizontales, personnes couvertes par %(what)s : ") % {"what": what}
        + " ; ".join(f"{n} {_n(v)}" for n, v in pairs)
        + "."
    )
    return Chart(
        slug,
        title,
        reading,
        alt,
        (what.capitalize(), _("Personnes couvertes")),
        [(n, _n(v)) for n, v in pairs],
        lambda f: _bars(f, names, values, xlabel=_("personnes couvertes")),
    )


def _growth_certificates(figures: Figures) -> Chart:
    months = figures.months
    days: list[Any] = [p.day for p in months]  # matplotlib plots dates as they are
    valid = [p.valid_certificates for p in months]
    events = {
        "suspended": [p.events["suspended"] for p in months],
        "withdrawn": [p.events["withdrawn"] for p in months],
        "expired": [p.events["expired"] for p in months],
    }

    def draw(figure: Figure) -> None:
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1.4])
        top.step(days, valid, where="post", color=BLUE, linewidth=2.2)
        top.fill_between(days, valid, step="post", color=BLUE_LIGHT)
        top.set_ylabel(_("certificats valides"))
        top.set_ylim(bottom=0)
        top.yaxis.get_major_locator().set_params(integer=True)
        top.grid(axis="y", color=GREY)
        width = 12
        offsets = {"suspended": -width, "withdrawn": 0, "expired": width}
        colours = {"suspended": WARN, "withdrawn": BAD, "expired": LINE}
        for key, series in events.items():
            bottom.bar(
                [d + dt.timedelta(days=offsets[key]) for d in days],
                series,
                width=width,
                color=colours[key],
                label=str(labels.EVENTS[key]),
            )
        bottom.set_ylabel(_("par mois"))
        bottom.legend(
            frameon=False, ncols=1 if _is_narrow(figure) else 3, loc="upper left", fontsize=9
        )
        bottom.yaxis.get_major_locator().set_params(integer=True)
        figure.autofmt_xdate()

    last = months[-1] if months else None
    reading = (
        _(
            "%(valid)s certificats valides aujourd'hui ; depuis le premier certificat, "
            "%(suspended)s suspensions, %(withdrawn)s retraits et %(expired)s expirations."
        )
        % {
            "valid": _n(last.valid_certificates),
            "suspended": _n(sum(events["suspended"])),
            "withdrawn": _n(sum(events["withdrawn"])),
            "expired": _n(sum(events["expired"])),
        }
        if last
        else _("Aucun certificat n'a encore été délivré.")
    )
    alt = (
        _(
            "Courbe en escalier du nombre de certificats valides à la fin de chaque mois, et "
            "barres des suspensions, retraits et expirations du mois. "
        )
        + reading
    )
    rows = [
        (
            p.day.isoformat(),
            _n(p.valid_certificates),
            _n(p.events["issued"]),
            _n(p.events["renewed"]),
            _n(p.events["suspended"]),
            _n(p.events["withdrawn"]),
            _n(p.events["expired"]),
        )
        for p in months
    ]
    return Chart(
        "certificats",
        _("Certificats valides, mois par mois"),
        reading,
        alt,
        (
            _("Fin du mois"),
            _("Certificats valides"),
            _("Délivrés"),
            _("Renouvelés"),
            _("Suspendus"),
            _("Retirés"),
            _("Expirés"),
        ),
        rows,
        draw,
    )


def _growth_contributors(figures: Figures) -> Chart:
    months = figures.months
    days: list[Any] = [p.day for p in months]  # matplotlib plots dates as they are
    people = [p.contributors for p in months]

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        axes.step(days, people, where="post", color=BLUE, linewidth=2.2)
        axes.fill_between(days, people, step="post", color=BLUE_LIGHT)
        axes.set_ylim(bottom=0)
        axes.set_ylabel(_("personnes couvertes"))
        axes.grid(axis="y", color=GREY)
        axes.yaxis.set_major_formatter(lambda v, _pos: _n(v))
        figure.autofmt_xdate()

    reading = (
        _("%(people)s personnes couvertes aujourd'hui, contre %(first)s à la fin du %(day)s.")
        % {
            "people": _n(people[-1]),
            "first": _n(people[0]),
            "day": days[0].strftime("%m/%Y"),
        }
        if months
        else _("Aucun certificat n'a encore été délivré.")
    )
    alt = _("Courbe en escalier des personnes couvertes à la fin de chaque mois. ") + reading
    return Chart(
        "contributeurs",
        _("Personnes couvertes, mois par mois"),
        reading,
        alt,
        (_("Fin du mois"), _("Personnes couvertes"), _("Source")),
        [
            (
                p.day.isoformat(),
                _n(p.contributors),
                str(_("relevé du jour") if p.from_snapshot else _("historique")),
            )
            for p in months
        ],
        draw,
    )


def _map(figures: Figures) -> Chart:
    counts = figures.breakdowns["departments"]
    top = max(counts.values(), default=0)

    def step(value: int) -> str:
        if value <= 0:
            return "#ffffff"
        index = min(len(MAP_SCALE) - 1, int(len(MAP_SCALE) * value / (top + 1)))
        return MAP_SCALE[index]

    def draw(figure: Figure) -> None:
        narrow = _is_narrow(figure)
        axes = figure.add_subplot()
        axes.set_aspect("equal")
        axes.axis("off")
        for tile in TILES:
            value = counts.get(tile.code, 0)
            colour = step(value)
            axes.add_patch(
                Rectangle(
                    (tile.column, -tile.row), 0.92, 0.92, facecolor=colour, edgecolor=LINE, lw=0.6
                )
            )
            dark = colour in MAP_SCALE[2:]
            axes.text(
                tile.column + 0.46,
                -tile.row + 0.46,
                tile.code,
                ha="center",
                va="center",
                fontsize=5.5 if narrow else 7.5,
                color="#ffffff" if dark else INK,
            )
        axes.text(0, -OVERSEAS_ROW + 1.15, _("Outre-mer"), fontsize=9, color=MUTED)
        axes.set_xlim(-0.2, max(t.column for t in TILES) + 1.1)
        axes.set_ylim(-OVERSEAS_ROW - 0.3, 1.1)
        handles = [Rectangle((0, 0), 1, 1, facecolor=c, edgecolor=LINE) for c in MAP_SCALE]
        bounds = [round((top + 1) * i / len(MAP_SCALE)) for i in range(len(MAP_SCALE) + 1)]
        legend = [f"{_n(max(1, bounds[i]))}–{_n(max(1, bounds[i + 1] - 1))}" for i in range(5)]
        # In the Atlantic on a wide drawing; under the map on a phone's, where it would
        # cover Brittany and the overseas row.
        place: dict[str, Any] = (
            {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "ncols": 2}
            if _is_narrow(figure)
            else {"loc": "upper left", "bbox_to_anchor": (0.0, 0.35)}
        )
        axes.legend(handles, legend, title=_("personnes"), frameon=False, fontsize=8, **place)

    pairs = sorted(
        ((code, v) for code, v in counts.items() if code), key=lambda kv: (-kv[1], kv[0])
    )
    if pairs:
        code, value = pairs[0]
        reading = _(
            "%(count)s départements et territoires ont des personnes couvertes ; le plus "
            "fourni est %(name)s (%(code)s) avec %(value)s personnes."
        ) % {
            "count": len(pairs),
            "name": BY_CODE[code].name if code in BY_CODE else code,
            "code": code,
            "value": _n(value),
        }
    else:
        reading = _("Aucun département n'a de personnes couvertes aujourd'hui.")
    alt = (
        _(
            "Carte de France en carrés, un par département, outre-mer compris, plus foncé quand "
            "plus de personnes y sont couvertes : "
        )
        + " ; ".join(
            f"{BY_CODE[c].name if c in BY_CODE else labels.unknown()} ({c}) {_n(v)}"
            for c, v in pairs
        )
        + "."
    )
    table = [
        (code or "—", BY_CODE[code].name if code in BY_CODE else labels.unknown(), _n(v))
        for code, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Chart(
        "carte",
        _("Où travaillent les personnes couvertes"),
        reading,
        alt,
        (_("Code"), _("Département ou territoire"), _("Personnes couvertes")),
        table,
        draw,
    )


def _funnel(figures: Figures) -> Chart:
    names = [str(labels.FUNNEL[s]) for s in FUNNEL]
    values = [figures.funnel[s] for s in FUNNEL]
    reading = _(
        "Sur %(created)s dossiers initiaux créés, %(certified)s ont abouti à une certification "
        "et %(refused)s à un refus."
    ) % {
        "created": _n(figures.funnel["created"]),
        "certified": _n(figures.funnel["certified"]),
        "refused": _n(figures.funnel["refused"]),
    }
    return Chart(
        "dossiers",
        _("Le parcours des dossiers"),
        reading,
        _("Barres horizontales, dossiers initiaux par étape atteinte : ")
        + " ; ".join(f"{n} {_n(v)}" for n, v in zip(names, values, strict=True))
        + ".",
        (_("Étape atteinte"), _("Dossiers")),
        [(n, _n(v)) for n, v in zip(names, values, strict=True)],
        lambda f: _bars(f, names, values, xlabel=_("dossiers initiaux")),
    )


CHART_SLUGS = (
    "certificats",
    "contributeurs",
    "carte",
    "canaux",
    "activites",
    "emploi",
    "contrats",
    "dossiers",
)
SIZES = {"carte": (7.2, 7.6), "certificats": (8, 5.2)}
DEFAULT_SIZE = (8, 4.2)
NARROW_SIZES = {"carte": (3.5, 4.9), "certificats": (3.5, 4.6)}
NARROW_DEFAULT_SIZE = (3.5, 3.8)
"""The drawing for a phone: 336 pixels wide, about the width of a chart's frame on a 390-pixel
screen, so that its text is read at about the size it is set (the wide drawing scaled down
to that frame would be 40 % of it)."""
NARROW_TITLE_CHARACTERS = 30


def size(slug: str, *, narrow: bool = False) -> tuple[float, float]:
    """The chart's size in inches."""
    if narrow:
        return NARROW_SIZES.get(slug, NARROW_DEFAULT_SIZE)
    return SIZES.get(slug, DEFAULT_SIZE)


def pixels(slug: str, *, narrow: bool = False) -> tuple[int, int]:
    """The SVG's size in CSS pixels (96 to the inch), for the page's ``width`` and ``height``."""
    width, height = size(slug, narrow=narrow)
    return round(width * 96), round(height * 96)


def _is_narrow(figure: Figure) -> bool:
    return bool(figure.get_figwidth() < DEFAULT_SIZE[0] * 0.75)


TITLES = {
    "canaux": gettext_lazy("Par canal de contact"),
    "activites": gettext_lazy("Front office et back office"),
    "emploi": gettext_lazy("Salariés de l'entreprise, sous-traitants, intérimaires"),
    "contrats": gettext_lazy("Par nature de contrat de travail"),
}


def charts(figures: Figures) -> dict[str, Chart]:
    b = figures.breakdowns
    return {
        "certificats": _growth_certificates(figures),
        "contributeurs": _growth_contributors(figures),
        "carte": _map(figures),
        "canaux": _breakdown_chart(
            "canaux", str(TITLES["canaux"]), b["channels"], labels.channel, _("canal")
        ),
        "activites": _breakdown_chart(
            "activites", str(TITLES["activites"]), b["activities"], labels.activity, _("activité")
        ),
        "emploi": _breakdown_chart(
            "emploi", str(TITLES["emploi"]), b["employment"], labels.employment, _("employeur")
        ),
        "contrats": _breakdown_chart(
            "contrats", str(TITLES["contrats"]), b["contracts"], labels.contract, _("contrat")
        ),
        "dossiers": _funnel(figures),
    }


def render(chart: Chart, fmt: str, *, narrow: bool = False) -> bytes:
    """The chart as ``svg`` (text as text, the site's fonts) or ``png`` bytes; ``narrow``:
    drawn for a phone's width, its title on several lines."""
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]  # keys typed as literals
        figure = Figure(figsize=size(chart.slug, narrow=narrow), layout="constrained")
        chart.draw(figure)
        title = (
            textwrap.fill(chart.title, NARROW_TITLE_CHARACTERS, break_on_hyphens=False)
            if narrow
            else chart.title
        )
        figure.suptitle(title, fontsize=13, fontweight="bold", x=0.01, ha="left")
        out = io.BytesIO()
        if fmt == "svg":
            figure.savefig(out, format="svg", metadata={"Date": None, "Title": chart.title})
            return _svg_fonts(out.getvalue())
        figure.savefig(out, format="png", dpi=120, metadata={"Title": chart.title})
        return out.getvalue()


_FONT_FAMILY = re.compile(rb"font-family:\s*'?DejaVu Sans'?")


def _svg_fonts(svg: bytes) -> bytes:
    """The SVG's text in the site's font stack rather than matplotlib's layout font."""
    stack = FONT_STACK.replace('"', "'").encode()
    return _FONT_FAMILY.sub(b"font-family: " + stack, svg)
