"""Validation of received PDFs: one :class:`~signing.model.results.FileResult`
per file, one :class:`~signing.model.results.SignatureResult` per signature
or document timestamp, following ETSI EN 319 102-1; and the story a user
reads first (:mod:`.story`).

May import: :mod:`signing.model`, :mod:`signing.certs`, :mod:`signing.pdf`,
:mod:`signing.net` and :mod:`signing.trust`."""
