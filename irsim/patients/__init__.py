"""Patient presets: named subjects made from published parameter sets by documented changes."""

from irsim.patients.presets import PATIENTS, Patient, get_patient

__all__ = ["PATIENTS", "Patient", "get_patient"]
