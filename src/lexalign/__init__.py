"""lexalign: provision-by-provision alignment of anti-trafficking legislation with the Palermo Protocol.

The functions a user calls::

    from lexalign import ingest, segment, check
    doc = ingest("bill.pdf")
    provisions = segment(doc)
    report = check([doc])
"""
from .ingest import ingest
from .segment import segment

__all__ = ["ingest", "segment", "check"]
__version__ = "0.1.0"


def check(documents, model=None, elements=None):
    """Findings for every catalogue element over one national corpus (see :mod:`lexalign.align`)."""
    from .align import check as _check
    return _check(documents, model=model, elements=elements)
