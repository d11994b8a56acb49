"""The alignment engine: one finding per catalogue element, each resting on quoted provisions.

This module is a facade kept so that ``from lexalign.align import check`` keeps working.  The engine
lives in one file per stage, with data flowing one way:

- :mod:`lexalign.units`: units of evidence (one provision's own text) and anchoring (which
  provisions speak of trafficking);
- :mod:`lexalign.frames`: how the offence reads (means-free offences, means only in the definition
  of exploitation, offences resting on absent sections, penalties, victim and purpose limits);
- :mod:`lexalign.elements`: the element rules (covered / partial / missing with quoted hits);
- :mod:`lexalign.flags`: red flags, structural tests over the frames and element outcomes;
- :mod:`lexalign.decision`: calibration (probability that an element is present), findings and
  evidence;
- :mod:`lexalign.analysis`: one national corpus through all of them (``analyse``, ``check``).
"""
from __future__ import annotations

from .analysis import analyse, check
from .decision import (FEATURES, attach_similarities, calibration_path, decide, feature_vector,
                       load_calibration, present_probability)
from .elements import evaluate_rule
from .flags import evaluate_flag
from .units import CorpusContext, RuleOutcome, Unit, build_units, is_trafficking_statute

__all__ = ["analyse", "check", "decide", "feature_vector", "FEATURES", "present_probability", "CorpusContext",
           "load_calibration", "calibration_path", "attach_similarities", "evaluate_rule", "evaluate_flag",
           "RuleOutcome", "Unit", "build_units", "is_trafficking_statute"]
