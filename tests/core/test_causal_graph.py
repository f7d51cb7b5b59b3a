"""The causal graph is the model's wiring: every edge is a read of another block's variable, and
every such read is an edge (irsim.plotting_graph). Tested on the data structure, not on pixels."""

import pytest

from irsim import UnknownNameError
from irsim.core.block import Block, Input, Output, Parameter, Rates, State
from irsim.core.model import Model
from irsim.models import get_model
from irsim.plotting_graph import PROTOCOL, causal_graph, draw_causal_graph


def wiring(model):
    """(provider, reader, variable) for every variable a block uses (reads, or declares as its
    parameter) that another block provides."""
    provided = {o.name: b.name for b in model.blocks for o in b.outputs}
    provided |= {s.name: b.name for b in model.blocks for s in b.states}
    return {(provided[v], b.name, v) for b in model.blocks for v in (*b.reads, *(p.name for p in b.parameters))
            if provided.get(v, b.name) != b.name}


def graph_triples(graph, kinds=("output", "override", "state")):
    return {(e.source, e.target, v) for e in graph.edges if e.kind in kinds for v in e.variables}


def chain(n):
    """n toy blocks: each reads the previous one's output (same instant) and the state of the one
    after next (feedback); the first takes an infusion, one overrides a parameter of the last."""

    def make(i):
        reads = ((f"u{i - 1}",) if i else ("drip",)) + ((f"x{i + 2}",) if i + 2 < n else ())
        outputs = (Output(f"u{i}", "1", f"output {i}"),) + ((Output("gain", "1", "effective gain"),) if i == 3 else ())
        params = (Parameter("gain", 1.0, "1", "gain of the last block", "test"),) if i == n - 1 else ()

        class Toy(Block):
            name = f"block_{i:02d}"
            states = (State(f"x{i}", "1", f"state {i}"),)
            parameters = params
            inputs = (Input("drip", "1", "infusion"),) if i == 0 else ()

            def rates(self, v, xp):
                return Rates({f"x{i}": -v[f"x{i}"]}, {o.name: v[f"x{i}"] for o in outputs})

        Toy.reads, Toy.outputs = reads, outputs
        return Toy()

    return Model("chain", [make(i) for i in range(n)])


def toy_block(name, reads, outputs, state=None):
    """A block of the given wiring (its equations do not matter to the graph)."""
    cls = type(name, (Block,), {
        "name": name, "reads": reads, "outputs": tuple(Output(o, "1", o) for o in outputs),
        "states": (State(state, "1", state),) if state else (),
        "rates": lambda self, v, xp: Rates({}, {o: 0.0 for o in outputs})})
    return cls()


def with_mechanisms():
    """Dalla Man's 7 blocks under 8 mechanism blocks overriding Vmx, kp3 and beta: 15 blocks, the
    shape of an integrated mechanism model."""
    mechanisms = [
        toy_block("adipose", ("I",), ("ffa", "fat_signal"), "fat_mass"),
        toy_block("adipokines", ("fat_signal",), ("adiponectin", "leptin")),
        toy_block("inflammation", ("fat_signal",), ("tnf_alpha", "il6"), "nfkb"),
        toy_block("lipids", ("ffa", "mito_capacity"), ("dag", "ceramide"), "dag_pool"),
        toy_block("mitochondria", (), ("mito_capacity",)),
        toy_block("muscle_signalling", ("I", "tnf_alpha", "dag", "adiponectin"), ("Vmx",), "irs1_serine"),
        toy_block("hepatic_signalling", ("I", "tnf_alpha", "ceramide", "il6"), ("kp3",), "foxo1"),
        toy_block("islet_stress", ("G", "ffa"), ("beta",), "beta_mass"),
    ]
    return Model("mechanisms", [*mechanisms, *get_model("dalla-man-2007").blocks])


@pytest.mark.parametrize("model", [get_model("dalla-man-2007"), get_model("bergman-minimal"), chain(15),
                                   with_mechanisms()], ids=["dalla-man-2007", "bergman-minimal", "chain-15", "15"])
def test_edges_equal_the_wiring_and_outputs_point_right(model):
    graph = causal_graph(model)
    assert graph_triples(graph) == wiring(model)
    assert set(graph.blocks) == {b.name for b in model.blocks}
    for e in graph.edges:
        if e.kind in ("output", "override"):
            assert graph.layers[e.source] < graph.layers[e.target], e


def test_kinds_of_edges_in_dalla_man():
    graph = causal_graph(get_model("dalla-man-2007"))
    kinds = {(e.source, e.target): (e.kind, e.variables) for e in graph.edges}
    assert kinds[("liver", "glucose")] == ("output", ("EGP",))
    assert kinds[("glucose", "liver")] == ("state", ("Gp",))  # the feedback loop through the liver
    assert kinds[(PROTOCOL, "gut")] == ("input", ("oral_glucose_mg",))


def test_an_output_named_like_a_parameter_is_an_override_edge():
    graph = causal_graph(chain(6))
    overrides = [e for e in graph.edges if e.kind == "override"]
    assert [(e.source, e.variables) for e in overrides] == [("block_03", ("gain",))]
    assert graph.layers["block_03"] < graph.layers["block_04"]


def test_parameters_column_links_each_parameter_to_the_blocks_it_acts_in():
    graph = causal_graph(get_model("dalla-man-2007"), parameters=["gamma", "Vmx"])
    assert {(e.source, e.target) for e in graph.edges if e.kind == "parameter"} == {
        ("gamma", "beta_cell"), ("gamma", "insulin"), ("Vmx", "utilisation")}
    assert graph.layers["Vmx"] == -1
    with pytest.raises(UnknownNameError, match="Vmxx"):
        causal_graph(get_model("dalla-man-2007"), parameters=["Vmxx"])


def test_drawing_a_fifteen_block_model_writes_a_figure(tmp_path):
    path = tmp_path / "mechanisms.png"
    draw_causal_graph(with_mechanisms(), path, parameters=["Vmx", "kp3"])
    assert path.stat().st_size > 20_000
