"""How the offence reads: the trafficking offence(s) of a corpus as a lawyer reads them.

An :class:`OffenceFrame` is one provision that creates an offence of trafficking (or one the statute
treats as trafficking: "traffic in women and children", procuring for immoral purposes, a separate
child-trafficking offence), read into its parts: the conduct (acts), the means and for whom they are
required, the purpose (resolved through the definition in scope), the victims, the child's age limit
from the definition that applies, consent, cross-border and organised-group conditions, the penalty
and its aggravations.  Every field carries the quoted words it rests on.

Definition scope follows drafting convention: "In this section" beats "In this Part" beats "In this
Act"; a term defined for one section does not carry over to another.  When the offence uses a term
that no document defines for it but another document of the same national corpus defines, the frame
takes that definition and says so (Cameroon's Penal Code s. 342-1 read with Law No. 2011/024).

Further down, the offence-structure helpers that the element rules and flags share (means-free
offences, means only in the definition of exploitation, offences resting on absent sections, the
penalty words, victim and purpose limits).  Elements and flags both read this module; neither reads
the other.
"""

from __future__ import annotations

from .penalties import (Penalty, _PENALTY_WORDS, _years, _Y, _PEN_MINMAX, _PEN_MIN, _PEN_MAX, _PEN_PLAIN, _MONTHS, _AGE_PHRASE, _DEGREES, _PEN_DEGREES, read_penalty)  # noqa: F401
from .record import (OffenceFrame)  # noqa: F401
from .pieces import (_Piece, _NOT_CONDUCT, _record, _pieces_of, _find, _mask_not_conduct, _NOT_AGGRAVATED, _is_aggravation, _read_aggravation, _SENTENCE_END, _in_aggravating_clause, _penalty_hits)  # noqa: F401
from .definitions import (_EXPLOITATION_DEFINITION, Definition, _DEF_KINDS, _INLINE_DEF, _SCOPE_SECTION, _SCOPE_PART, _SCOPE_ACT, _DEF_HEADING, _GROUP_KINDS, _group_of, _scope_of, _Seen, _UnitsByStart, _new_terms, _QUALIFIED_TERM, _list_that_follows, find_definitions, _REVERSED_DEF, _LABELLED_DEF, _is_definitions_section, _applicable)  # noqa: F401
from .victims import (_CHILD_FREE, _MEANS_BY_REFERENCE, _MEANS_FREE_LIMB, _age, _victims, _NO_DEFENCE_CHAPEAU, _CONSENTED, _ConsentElsewhere, _consent_elsewhere, _first_outside, _consent_listed_as_no_defence)  # noqa: F401
from .shared import (_special_component, MEANS_ELEMENTS, _MEANS_REFERENCE, _means_free_offence, _GAP_MARK, _MEANING_OF, _JOIN_WINDOW, _offence_incomplete, _is_exploitation_definition, _means_only_in_exploitation, _means_based_definition, _OFFENCE_OUTCOMES, _anchored_matching, victim_scope_restriction, frames_with, frame_units, sexual_purposes_only)  # noqa: F401
from .reading import (_INSERTED_ARTICLE, _OF_A_TRAFFICKED_PERSON, _NUM, _DISJUNCTION, _read_frame)  # noqa: F401
from .offence import (_ANCILLARY, _SKIP_HEADING, _CONDUCT_VERB, _ANCILLARY_HEADING, _REFERS_TO_OFFENCE, _sections, extract_frames, _MIGRANT_SMUGGLING, _NAMED_AGGRAVATED, _aggravated_offences, _frames_from_definitions, _mark_children_needing_means, _separate_child_offence, _TWO_LIMBS, _limbs, _parallel_limbs, _attach_penalty_sections, _REFERENCE)  # noqa: F401
