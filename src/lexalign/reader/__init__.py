"""The learned reader: verdicts read from the statute by a model trained on careful readers.

Why: element rules written while reading a few dozen statutes fit those statutes and carry little to
the next one (first contact stays near 0.80 present/absent F1 while leave-one-document-out rises).
Independent readers labelled, provision by provision, which elements each provision states and how
fully (``corpora/readings``); the reader learns that reading, with the rules, the offence frames and
retrieval as its evidence rather than as the final word.

The path is one way: ``candidates`` (every provision an element may rest on, with its evidence:
retrieval, rule hits, anchoring, kind) -> ``provision model`` (does this provision state the element,
fully or partly, and with which narrowing) -> ``element decision`` (the verdict assembled from the
provisions and the rules' own outcome) -> findings that always quote a provision.

- :mod:`.features`: the candidate matrix of one analysed corpus;
- :mod:`.model`: fitting (scikit-learn) and applying (numpy only) the two stages, stored as JSON;
- :mod:`.readings`: the reading data, located in the engine's provisions;
- :mod:`.apply`: findings revised by the reader;
- :mod:`.train`: the training set, ``make train`` and the learning curve.
"""
