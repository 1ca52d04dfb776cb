"""Trust material: the EU trusted lists (LOTL and national lists, fetched,
signature-checked, cached), the Japanese list, user anchors, and the EU
qualification and Japanese status they give a signature.

May import: :mod:`signing.model`, :mod:`signing.certs`, :mod:`signing.net`
and :mod:`signing.resources`; never :mod:`signing.validation`."""
