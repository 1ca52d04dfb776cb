"""The visible signature: the stamp's layout and text (:mod:`.stamp`),
fonts and their CFF subsets, the hanko image, the page frames that map
what a user sees on screen to PDF space, the rule for a legible text size
(:mod:`.legibility`) and the stamp built for the sign screen's preview
(:mod:`.preview`).

May import: :mod:`signing.errors`, :mod:`signing.secrets`,
:mod:`signing.resources`, :mod:`signing.pdf` and pyHanko's stamp layer."""
