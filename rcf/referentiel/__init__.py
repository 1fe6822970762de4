"""The référentiel « Relation Client France » as pure Python: data in, evaluation out.

Nothing here imports Django: the engine runs the same in the command line, the web platform,
a notebook or another organisation's tools.
"""
