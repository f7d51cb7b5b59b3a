"""Protocols are data: timed doses, infusions and feedback controllers, and what they measure."""

from irsim.protocols.base import Controller, Dose, Infusion, Protocol
from irsim.protocols.progression import Progression
from irsim.protocols.standard import (
    IVGTT,
    OGTT,
    PROTOCOLS,
    Clamp,
    DailyLife,
    Fasting,
    Meal,
    protocol_from_name,
)

__all__ = ["Controller", "Dose", "Infusion", "Protocol", "Fasting", "OGTT", "Meal", "DailyLife", "IVGTT",
           "Clamp", "Progression", "PROTOCOLS", "protocol_from_name"]
