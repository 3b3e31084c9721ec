"""Figures as SVG objects that show inline in Jupyter and save to files."""

from __future__ import annotations

import html
import os
from typing import Iterable


class SVG:
    """One figure as SVG text. Shows inline in a notebook; ``save(path)`` writes it;
    ``str(fig)`` is the SVG text."""

    __slots__ = ("name", "data")

    def __init__(self, name: str, data: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "data", data)

    def __setattr__(self, key, value):
        raise AttributeError("cipa figures are immutable")

    def _repr_svg_(self) -> str:
        return self.data

    def _repr_html_(self) -> str:
        return f'<figure title="{html.escape(self.name)}">{self.data}</figure>'

    def __str__(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return f"<cipa.SVG {self.name!r}: {len(self.data):,} characters>"

    def save(self, path: str | os.PathLike) -> str:
        """Writes the SVG to ``path`` and returns the path."""
        path = os.fspath(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.data)
        return path


class Figures(tuple):
    """Several figures of one kind (one per moderated path, say); shows them one under another
    in a notebook; index it for one figure."""

    def __new__(cls, figures: Iterable[SVG]):
        return super().__new__(cls, tuple(figures))

    def _repr_html_(self) -> str:
        return "".join(f._repr_html_() for f in self)

    def __repr__(self) -> str:
        return f"<cipa.Figures: {', '.join(f.name for f in self)}>"

    def save(self, folder: str | os.PathLike) -> list:
        """Writes every figure to ``folder/<name>.svg``; returns the paths."""
        os.makedirs(folder, exist_ok=True)
        return [f.save(os.path.join(folder, f"{f.name}.svg")) for f in self]


def figures(pairs: list, what: str) -> SVG | Figures:
    """One SVG for one figure, Figures for several; an error naming what to ask for when
    there is none."""
    from . import _cipa

    if not pairs:
        raise _cipa.ModelError(f"this model has no {what}")
    figs = [SVG(n, s) for n, s in pairs]
    return figs[0] if len(figs) == 1 else Figures(figs)
