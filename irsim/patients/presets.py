"""irsim's own patient presets on the Dalla Man 2007 model.

``healthy`` and ``t2d`` are the paper's average normal and type 2 diabetic subjects (Table 1).
The intermediate phenotypes take *some* parameters of the type 2 subject into the normal one, so
every changed value is still a published value; which defect each change stands for is stated.
These are phenomenological stand-ins: a later mechanistic layer (IRS-1 serine phosphorylation,
lipids, inflammation) will produce the same shifts from causes. Figures are irsim's own outputs
for a 75 g OGTT, shown to make the choice checkable (tests assert the categories, ADA criteria).
"""

from __future__ import annotations

from dataclasses import dataclass

from irsim.core.parameters import ParameterSet
from irsim.errors import UnknownNameError
from irsim.models.dalla_man_2007 import NAME, NORMAL, T2D

_FROM_T2D = "Dalla Man 2007, Table 1 (type 2 diabetic subject's value)"


@dataclass(frozen=True)
class Patient:
    name: str
    description: str
    parameter_set: ParameterSet
    model: str = NAME


def _variant(name: str, description: str, keys: tuple[str, ...]) -> ParameterSet:
    return NORMAL.updated(name, description, {k: T2D.values[k] for k in keys}, _FROM_T2D)


PATIENTS = {
    p.name: p
    for p in (
        Patient("healthy", "average normal subject of Dalla Man 2007 (FPG ≈92 mg/dL, 2-h OGTT ≈132 mg/dL)", NORMAL),
        Patient("insulin_resistant",
                "peripheral insulin resistance: muscle/fat insulin action Vmx of the type 2 subject, β-cells "
                "compensate (normal FPG ≈92, 2-h ≈143 mg/dL, insulin AUC +17 %)",
                _variant("insulin_resistant", "normal subject with the type 2 subject's Vmx", ("Vmx",))),
        Patient("ifg",
                "hepatic insulin resistance: insulin suppression of glucose production kp3 of the type 2 subject "
                "(impaired fasting glucose, FPG ≈102 mg/dL; 2-h ≈142 mg/dL)",
                _variant("ifg", "normal subject with the type 2 subject's kp3", ("kp3",))),
        Patient("igt",
                "impaired glucose tolerance: peripheral insulin resistance (Vmx) with β-cell glucose responsivity "
                "(beta, K) of the type 2 subject (FPG ≈92, 2-h ≈182 mg/dL)",
                _variant("igt", "normal subject with the type 2 subject's Vmx, beta and K", ("Vmx", "beta", "K"))),
        Patient("t2d", "average type 2 diabetic subject of Dalla Man 2007 (FPG ≈159, 2-h ≈275 mg/dL)", T2D),
    )
}


def get_patient(name: str) -> Patient:
    if name not in PATIENTS:
        raise UnknownNameError("patient", name, PATIENTS)
    return PATIENTS[name]
