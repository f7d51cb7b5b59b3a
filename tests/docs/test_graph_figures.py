"""The causal-graph figures in docs/img match the models' wiring: each is committed with the edge list
it was drawn from (``irsim graph`` writes both), and that list must equal today's wiring."""

import json
from pathlib import Path

import pytest

from irsim.models import get_model
from irsim.plotting_graph import causal_graph

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.mark.parametrize("model", ["integrated", "dalla-man-2007"])
def test_committed_graph_figure_was_drawn_from_the_current_wiring(model):
    stem = IMG / f"graph_{model.replace('-', '_')}"
    command = f"irsim graph --model {model} --out docs/img/{stem.name}.png"
    assert stem.with_suffix(".png").exists(), f"missing figure: run  {command}"
    committed = json.loads(stem.with_suffix(".edges.json").read_text(encoding="utf-8"))
    assert committed == causal_graph(get_model(model)).edge_list(), f"the figure is stale: run  {command}"
