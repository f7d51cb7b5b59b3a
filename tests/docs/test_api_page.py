"""docs/api.md lists the public API with signatures, rendered from the code, so it cannot drift.

After changing the public API, rewrite the page with

    PYTHONPATH=. python tests/docs/test_api_page.py

The public API is each module's ``__all__`` (or, without one, what it defines without a leading
underscore); every entry must have a docstring, whose first paragraph the page shows.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "api.md"
#: the modules a user imports from, in the order the page shows them, each with one line on its role
MODULES = {
    "irsim": "the facade: simulate a model, a subject and a protocol; results; errors",
    "irsim.protocols": "ready-made clinical protocols and their building blocks",
    "irsim.patients": "named patient presets",
    "irsim.models": "assembled models and their published parameter sets",
    "irsim.models.integrated": "the integrated mechanism model and its named drivers",
    "irsim.analysis.attribution": "mechanism attribution: exact Shapley shares of drivers",
    "irsim.analysis.dose_response": "dose responses and Hill fits of a model output",
    "irsim.plotting_graph": "a model's causal graph, from the blocks' wiring",
    "irsim.interventions": "interventions acting on the mechanisms: dose, onset, offset, adherence",
    "irsim.progression": "years-long courses: multi-rate slow states driven by simulated days",
    "irsim.patients.population": "virtual populations: correlated drivers, inclusion criteria",
    "irsim.patients.day_to_day": "what one test day measures: within-person day-to-day variation",
    "irsim.trials.spec": "in-silico trial specifications (TOML), checked before any work",
    "irsim.trials.runner": "running a trial: chunks, workers or dask, resume",
    "irsim.trials.measurement": "what a visit measures: day-to-day variation, confirmed diagnosis",
    "irsim.trials.adherence": "who in an arm takes what: adherence per person or as the mean share",
    "irsim.trials.screening": "early recognition: baseline measures against incident diabetes",
    "irsim.trials.roc": "ROC curves, AUC with DeLong's interval, Youden's cut-off",
    "irsim.analysis.summary": "summary measures of simulated protocols",
    "irsim.analysis.indices": "clinical indices from measured or simulated samples",
    "irsim.analysis.homa2": "the HOMA2 structural model",
    "irsim.analysis.diagnosis": "ADA/WHO glycaemic categories and metabolic syndrome",
    "irsim.analysis.minimal_model_fit": "Bergman minimal-model fitting of an FSIGT",
    "irsim.io.clinical_data": "import of real clinical data (CSV/Excel)",
    "irsim.units": "unit conversions at the boundaries (pint)",
    "irsim.citations": "the papers behind irsim",
}
#: entries whose docstring waits on another branch (remove the line when it lands)
PENDING: dict[str, str] = {}


def public_names(module) -> list[str]:
    if hasattr(module, "__all__"):
        return [n for n in module.__all__ if callable(getattr(module, n))]
    return [n for n, obj in vars(module).items() if not n.startswith("_") and callable(obj)
            and getattr(obj, "__module__", None) == module.__name__]


def signature(obj) -> str:
    try:
        sig = inspect.signature(obj, eval_str=True)
    except (NameError, TypeError):  # an annotation only a type checker resolves
        sig = inspect.signature(obj)
    except ValueError:  # an exception class without its own __init__
        return ""
    text = str(sig.replace(return_annotation=inspect.Signature.empty))
    return text.replace("typing.", "").replace("collections.abc.", "").replace("NoneType", "None")


def summary(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split())


def methods(cls) -> list[tuple[str, object]]:
    found = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            found.append((name, member.fget))
        elif inspect.isfunction(member) or isinstance(member, (staticmethod, classmethod)):
            found.append((name, getattr(cls, name)))
    return found


def render() -> str:
    lines = ["# Public API", "",
             "Generated from the code by `tests/docs/test_api_page.py` (which fails when this page and the code",
             "differ; rerun it as a script to rewrite the page). One line per entry: the first paragraph of",
             "its docstring; `help(irsim.Simulation)` shows the whole text.", ""]
    shown: dict[int, str] = {}  # an object re-exported by a later module is listed once
    for name, role in MODULES.items():
        module = importlib.import_module(name)
        lines += [f"## `{name}` — {role}", ""]
        for entry in public_names(module):
            obj = getattr(module, entry)
            if id(obj) in shown:
                lines.append(f"- `{entry}` — as `{shown[id(obj)]}.{entry}` above")
                continue
            shown[id(obj)] = name
            lines.append(f"- **`{entry}{signature(obj)}`** — {summary(obj)}")
            if inspect.isclass(obj):
                for method, member in methods(obj):
                    sig = "" if isinstance(vars(obj)[method], property) else signature(member)
                    lines.append(f"  - `.{method}{sig}` — {summary(member)}")
        lines.append("")
    return "\n".join(lines)


def test_api_page_matches_the_code():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/api.md is out of date: run  PYTHONPATH=. python tests/docs/test_api_page.py")


def test_every_public_entry_has_a_docstring():
    missing = []
    for name in MODULES:
        module = importlib.import_module(name)
        for entry in public_names(module):
            obj = getattr(module, entry)
            missing += [f"{name}.{entry}"] if not summary(obj) and f"{name}.{entry}" not in PENDING else []
            if inspect.isclass(obj):
                missing += [f"{name}.{entry}.{m}" for m, member in methods(obj) if not summary(member)]
    assert not missing, f"public API without a docstring: {', '.join(missing)}"


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
