"""The tile map of France: one square per department, placed on a grid from this table.

Metropolitan departments keep their rough geographic place (column west → east, row north →
south); the overseas departments and collectivities that have a department code (97x) are
the last row, as maps of France show them in insets. The table was laid out once from the
chief towns' coordinates, then two Corsican tiles moved by hand; it is data, not geometry.
"""

from __future__ import annotations

from typing import NamedTuple


class Tile(NamedTuple):
    code: str
    name: str
    column: int
    row: int


TILES: tuple[Tile, ...] = tuple(
    Tile(*entry)
    for entry in (
        ("01", "Ain", 9, 6),
        ("02", "Aisne", 8, 1),
        ("03", "Allier", 8, 6),
        ("04", "Alpes-de-Haute-Provence", 10, 9),
        ("05", "Hautes-Alpes", 11, 9),
        ("06", "Alpes-Maritimes", 12, 9),
        ("07", "Ardèche", 9, 9),
        ("08", "Ardennes", 9, 1),
        ("09", "Ariège", 6, 11),
        ("10", "Aube", 9, 4),
        ("11", "Aude", 7, 11),
        ("12", "Aveyron", 7, 9),
        ("13", "Bouches-du-Rhône", 11, 10),
        ("14", "Calvados", 4, 2),
        ("15", "Cantal", 8, 8),
        ("16", "Charente", 5, 7),
        ("17", "Charente-Maritime", 3, 6),
        ("18", "Cher", 7, 6),
        ("19", "Corrèze", 7, 8),
        ("2A", "Corse-du-Sud", 13, 11),
        ("2B", "Haute-Corse", 14, 10),
        ("21", "Côte-d'Or", 10, 4),
        ("22", "Côtes-d'Armor", 2, 3),
        ("23", "Creuse", 7, 7),
        ("24", "Dordogne", 5, 8),
        ("25", "Doubs", 11, 5),
        ("26", "Drôme", 11, 8),
        ("27", "Eure", 5, 2),
        ("28", "Eure-et-Loir", 6, 4),
        ("29", "Finistère", 1, 3),
        ("30", "Gard", 9, 10),
        ("31", "Haute-Garonne", 6, 10),
        ("32", "Gers", 5, 10),
        ("33", "Gironde", 4, 8),
        ("34", "Hérault", 8, 10),
        ("35", "Ille-et-Vilaine", 3, 3),
        ("36", "Indre", 6, 6),
        ("37", "Indre-et-Loire", 5, 5),
        ("38", "Isère", 10, 8),
        ("39", "Jura", 10, 5),
        ("40", "Landes", 4, 9),
        ("41", "Loir-et-Cher", 6, 5),
        ("42", "Loire", 9, 7),
        ("43", "Haute-Loire", 9, 8),
        ("44", "Loire-Atlantique", 3, 4),
        ("45", "Loiret", 7, 5),
        ("46", "Lot", 6, 8),
        ("47", "Lot-et-Garonne", 5, 9),
        ("48", "Lozère", 8, 9),
        ("49", "Maine-et-Loire", 4, 4),
        ("50", "Manche", 3, 2),
        ("51", "Marne", 9, 2),
        ("52", "Haute-Marne", 10, 3),
        ("53", "Mayenne", 4, 3),
        ("54", "Meurthe-et-Moselle", 11, 3),
        ("55", "Meuse", 10, 2),
        ("56", "Morbihan", 2, 4),
        ("57", "Moselle", 11, 2),
        ("58", "Nièvre", 9, 5),
        ("59", "Nord", 8, 0),
        ("60", "Oise", 7, 2),
        ("61", "Orne", 5, 3),
        ("62", "Pas-de-Calais", 7, 0),
        ("63", "Puy-de-Dôme", 8, 7),
        ("64", "Pyrénées-Atlantiques", 4, 10),
        ("65", "Hautes-Pyrénées", 5, 11),
        ("66", "Pyrénées-Orientales", 8, 11),
        ("67", "Bas-Rhin", 13, 3),
        ("68", "Haut-Rhin", 12, 4),
        ("69", "Rhône", 10, 7),
        ("70", "Haute-Saône", 11, 4),
        ("71", "Saône-et-Loire", 10, 6),
        ("72", "Sarthe", 5, 4),
        ("73", "Savoie", 11, 7),
        ("74", "Haute-Savoie", 11, 6),
        ("75", "Paris", 8, 3),
        ("76", "Seine-Maritime", 6, 1),
        ("77", "Seine-et-Marne", 9, 3),
        ("78", "Yvelines", 6, 3),
        ("79", "Deux-Sèvres", 4, 6),
        ("80", "Somme", 7, 1),
        ("81", "Tarn", 7, 10),
        ("82", "Tarn-et-Garonne", 6, 9),
        ("83", "Var", 11, 11),
        ("84", "Vaucluse", 10, 10),
        ("85", "Vendée", 3, 5),
        ("86", "Vienne", 5, 6),
        ("87", "Haute-Vienne", 6, 7),
        ("88", "Vosges", 12, 3),
        ("89", "Yonne", 8, 5),
        ("90", "Territoire de Belfort", 12, 5),
        ("91", "Essonne", 8, 4),
        ("92", "Hauts-de-Seine", 7, 3),
        ("93", "Seine-Saint-Denis", 8, 2),
        ("94", "Val-de-Marne", 7, 4),
        ("95", "Val-d'Oise", 6, 2),
        ("971", "Guadeloupe", 0, 13),
        ("972", "Martinique", 1, 13),
        ("973", "Guyane", 2, 13),
        ("974", "La Réunion", 3, 13),
        ("975", "Saint-Pierre-et-Miquelon", 5, 13),
        ("976", "Mayotte", 4, 13),
        ("977", "Saint-Barthélemy", 6, 13),
        ("978", "Saint-Martin", 7, 13),
    )
)
"""Every department code the registry may hold (``opendata.DEPARTMENT``), with its name."""

OVERSEAS_ROW = max(tile.row for tile in TILES)
BY_CODE = {tile.code: tile for tile in TILES}
