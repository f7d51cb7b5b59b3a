"""A model's causal graph, derived from its blocks' wiring and drawn with Matplotlib alone.

Nodes are blocks; an edge ``A → B`` carries the variables B reads from A. Its kind says how the cause
acts: ``output`` (an algebraic output, same instant), ``override`` (an output named like a parameter,
which replaces that parameter for B: how a mechanism drives the whole-body model), ``state`` (a state
of A: its effect accumulates over time, the feedback loops of physiology), ``input`` (an infusion
or dose the protocol gives), ``parameter`` (optional left column: which blocks a parameter acts in).
Blocks sit in columns by their order of computation: right of every block whose output they read
(and no further left than their readers need), so algebraic edges point right and state feedback
may point back. Columns and rows are spaced by the sizes of the boxes they hold, and edge labels lie
beneath the boxes, so no block is ever hidden.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from irsim.core.model import Model
from irsim.errors import UnknownNameError

#: the node standing for the protocol's infusions and doses
PROTOCOL = "protocol"
#: free space between the boxes of neighbouring columns and rows, in units of the drawing
_COLUMN_GAP, _ROW_GAP = 1.6, 1.2
#: characters per line of a box's state list and of an edge's label
_WRAP = 32

_STYLE = {  # colour, line style, width
    "output": ("#1f4e79", "-", 1.4),
    "override": ("#7d3c98", "-", 2.2),
    "state": ("#c0561b", "--", 1.2),
    "input": ("#1e8449", "-", 1.2),
    "parameter": ("#7f8c8d", ":", 1.0),
}
_MEANING = {"output": "algebraic output (same instant)", "override": "output overriding a parameter",
            "state": "state (acts over time; feedback)", "input": "protocol infusion or dose",
            "parameter": "parameter acting in the block"}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    variables: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class CausalGraph:
    """Blocks, their columns (``layers``; -1 for the protocol and parameters), and the edges."""

    blocks: tuple[str, ...]
    layers: Mapping[str, int]
    edges: tuple[Edge, ...]
    parameters: tuple[str, ...] = ()

    def edge_list(self) -> list[dict]:
        """The edges as sorted records (source, target, kind, variables): what ``irsim graph`` writes
        beside its figure, so a drawing that no longer matches the wiring shows up in a diff."""
        return sorted(({"source": e.source, "target": e.target, "kind": e.kind, "variables": list(e.variables)}
                       for e in self.edges), key=lambda r: (r["source"], r["target"], r["kind"]))

    def write_edge_list(self, path: str | Path) -> Path:
        """Write :meth:`edge_list` as JSON (one edge per line) to ``path``."""
        lines = ",\n".join("  " + json.dumps(record, ensure_ascii=False) for record in self.edge_list())
        Path(path).write_text("[\n" + lines + "\n]\n", encoding="utf-8")
        return Path(path)


def causal_graph(model: Model, parameters: Sequence[str] = ()) -> CausalGraph:
    """The graph of ``model``'s wiring; ``parameters`` are added as left-column nodes."""
    declared = model.parameters
    for name in parameters:
        if name not in declared:
            raise UnknownNameError(f"parameter of model {model.name}", name, declared)
    provider = {o.name: (b.name, "override" if o.name in declared else "output") for b in model.blocks
                for o in b.outputs}
    provider |= {s.name: (b.name, "state") for b in model.blocks for s in b.states}
    carried: dict[tuple[str, str, str], list[str]] = {}
    for b in model.blocks:
        for var in dict.fromkeys([*b.reads, *(p.name for p in b.parameters)]):  # what the wiring orders by
            source, kind = provider.get(var, (None, None))
            if source not in (None, b.name):
                carried.setdefault((source, b.name, kind), []).append(var)
        protocol_given = [i.name for i in b.inputs] + list(b.doses)
        if protocol_given:
            carried[(PROTOCOL, b.name, "input")] = protocol_given
        for name in parameters:
            if name in b.reads or any(p.name == name for p in b.parameters):
                carried[(name, b.name, "parameter")] = [name]
    edges = tuple(Edge(s, t, tuple(v), k) for (s, t, k), v in carried.items())

    algebraic = [e for e in edges if e.kind in ("output", "override")]
    layers: dict[str, int] = {}
    for b in model._wiring.order:  # providers first: one column right of the last one read
        layers[b.name] = max([layers[e.source] + 1 for e in algebraic if e.target == b.name], default=0)
    for b in reversed(model._wiring.order):  # then each as late as its readers allow: short edges
        after = [layers[e.target] - 1 for e in algebraic if e.source == b.name]
        layers[b.name] = min(after, default=layers[b.name])
    layers |= {n: -1 for n in [PROTOCOL, *parameters] if any(e.source == n for e in edges)}
    return CausalGraph(tuple(b.name for b in model.blocks), layers, edges, tuple(parameters))


def _positions(graph: CausalGraph, half_size: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Columns by layer; within a column, nodes ordered by the mean height of their neighbours
    already placed (the barycentre heuristic), which keeps most edges short and uncrossed. Columns
    are as far apart as their widest boxes need, rows as the tallest box: boxes never overlap."""
    columns: dict[int, list[str]] = {}
    for name, layer in graph.layers.items():
        columns.setdefault(layer, []).append(name)
    y: dict[str, float] = {}
    for layer in sorted(columns):
        nodes = columns[layer]

        def barycentre(n):
            near = [y[e.source] for e in graph.edges if e.target == n and e.source in y]
            near += [y[e.target] for e in graph.edges if e.source == n and e.target in y]
            return sum(near) / len(near) if near else 0.0

        if layer > -1:
            nodes.sort(key=barycentre, reverse=True)
        for i, n in enumerate(nodes):
            y[n] = (len(nodes) - 1) / 2.0 - i
    x: dict[int, float] = {}
    right = None  # right edge of the widest box of the column before
    for layer in sorted(columns):
        width = max(half_size[n][0] for n in columns[layer])
        x[layer] = 0.0 if right is None else right + _COLUMN_GAP + width
        right = x[layer] + width
    row = 2.0 * max(h for _, h in half_size.values()) + _ROW_GAP
    return {n: (x[graph.layers[n]], row * y[n]) for n in graph.layers}


def _point(curve, t: float) -> tuple[float, float]:
    """The point at parameter ``t`` (0 to 1) of a quadratic Bézier curve (start, control, end)."""
    (x0, y0), (cx, cy), (x1, y1) = curve
    a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t ** 2
    return a * x0 + b * cx + c * x1, a * y0 + b * cy + c * y1


def _place_on_curve(label, curve, taken, renderer):
    """Put an edge's label on its curve, at the first of a few points along it, middle first, where
    it covers no node or earlier label; return the extent it covers."""
    for t in (0.5, 0.38, 0.62, 0.27, 0.73, 0.18, 0.82):
        label.set_position(_point(curve, t))
        extent = label.get_window_extent(renderer)
        if not any(extent.overlaps(other) for other in taken):
            return extent
    label.set_position(_point(curve, 0.5))  # nowhere free: the middle
    return label.get_window_extent(renderer)


def _curve(a: tuple[float, float], b: tuple[float, float], bulge: float):
    """Matplotlib's arc3 curve from ``a`` to ``b`` whose middle lies ``bulge`` units off the chord
    (positive: to the right of the direction of travel): its ``rad`` and its three Bézier points."""
    (x0, y0), (x1, y1) = a, b
    rad = 2.0 * bulge / math.hypot(x1 - x0, y1 - y0)
    # arc3's control point: the chord's middle moved by rad × the chord, perpendicular to it
    return rad, (a, ((x0 + x1) / 2 + rad * (y1 - y0), (y0 + y1) / 2 - rad * (x1 - x0)), b)


def _route(edge: Edge, xy: Mapping[str, tuple[float, float]], layers: Mapping[str, int],
           half_size: Mapping[str, tuple[float, float]]):
    """The least bent curve of an edge that passes through no other node's box: straight if it can,
    a backward edge over the top; the one crossing fewest boxes if every candidate crosses one."""
    forward = layers[edge.target] - layers[edge.source]
    bulges = [0.0] if forward > 0 else []
    bulges += [s * b for b in (0.7, 1.1, 1.5, 1.9, 2.4) for s in ((-1, 1) if forward > 0 else (1, -1))]
    t = [k / 16 for k in range(1, 16)]
    others = [(xy[n], half_size[n]) for n in xy if n not in (edge.source, edge.target)]

    def crossings(curve):
        points = [_point(curve[1], u) for u in t]
        return sum(any(abs(px - x) < w and abs(py - y) < h for px, py in points) for (x, y), (w, h) in others)

    curves = [_curve(xy[edge.source], xy[edge.target], b) for b in bulges]
    return min(curves, key=crossings)  # the first (least bent) of those crossing fewest


#: inches of figure per unit of the drawing's coordinates (a column is 3.2 units)
_INCH_PER_UNIT = 0.8


def draw_causal_graph(model: Model, path: str | Path | None = None, parameters: Sequence[str] = ()):
    """Draw the causal graph of ``model`` (blocks with their states; edges labelled by variable)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    graph = causal_graph(model, parameters)
    fig, ax = plt.subplots()
    ax.axis("off")
    ax.set_title(f"Causal graph of {model.name}: blocks (with their states) and the variables they pass", fontsize=10)
    kinds = [k for k in _STYLE if any(e.kind == k for e in graph.edges)]
    ax.legend([Line2D([], [], color=_STYLE[k][0], ls=_STYLE[k][1], lw=_STYLE[k][2]) for k in kinds],
              [_MEANING[k] for k in kinds], loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(3, len(kinds)),
              fontsize=7.5, frameon=False)
    states = {b.name: [s.name for s in b.states] for b in model.blocks}
    boxes = {}
    for name in graph.layers:
        if name in states:
            text, face = name + ("\n" + textwrap.fill(", ".join(states[name]), _WRAP) if states[name] else ""), "#eaf2f8"
        else:
            text, face = name, "#e9f7ef" if name == PROTOCOL else "#f4f6f6"
        boxes[name] = ax.text(0, 0, text, ha="center", va="center", fontsize=9, zorder=3,
                              bbox=dict(boxstyle="round,pad=0.4", fc=face, ec="#566573"))
    fig.canvas.draw()  # the boxes' sizes (fixed by their text), in units of the drawing, with some room
    half_size = {n: (0.6 * box.get_window_extent().width / fig.dpi / _INCH_PER_UNIT,
                     0.6 * box.get_window_extent().height / fig.dpi / _INCH_PER_UNIT) for n, box in boxes.items()}
    xy = _positions(graph, half_size)
    for name, box in boxes.items():
        box.set_position(xy[name])
    curves = [_route(e, xy, graph.layers, half_size) for e in graph.edges]
    xs = [p[0] for p in xy.values()]
    ys = [p[1] for p in xy.values()] + [_point(curve, 0.5)[1] for _, curve in curves]
    xlim, ylim = (min(xs) - 1.5, max(xs) + 1.5), (min(ys) - 0.8, max(ys) + 0.8)
    fig.set_size_inches(max(9.0, _INCH_PER_UNIT * (xlim[1] - xlim[0])), _INCH_PER_UNIT * (ylim[1] - ylim[0]) + 1.2)
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    fig.tight_layout()
    fig.canvas.draw()  # final layout: the boxes' extents clip the arrows, and labels keep off them
    renderer = fig.canvas.get_renderer()
    taken = [box.get_window_extent(renderer) for box in boxes.values()]
    for edge, (rad, curve) in zip(graph.edges, curves):
        colour, style, width = _STYLE[edge.kind]
        ax.add_patch(FancyArrowPatch(curve[0], curve[2], connectionstyle=f"arc3,rad={rad}", arrowstyle="-|>",
                                     mutation_scale=12, color=colour, linestyle=style, linewidth=width,
                                     patchA=boxes[edge.source].get_bbox_patch(),
                                     patchB=boxes[edge.target].get_bbox_patch(), zorder=2))
        label = ax.text(0, 0, textwrap.fill(", ".join(edge.variables), _WRAP), ha="center", va="center", fontsize=7,
                        color=colour, zorder=2.5,  # above its arrow, beneath every box
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
        taken.append(_place_on_curve(label, curve, taken, renderer))
    if path is not None:
        fig.savefig(path, dpi=130)
        plt.close(fig)
    return fig
