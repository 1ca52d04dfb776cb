"""What a certificate says about itself: who it names, what it is for
(signature of a natural person or seal of a legal person), its QC
statements (:mod:`.qc`) and its key usage; and the plain facts of a CMS
signer (:mod:`.cms`). One reading of each fact, used by signing (which key
to offer), validation and the EU qualification.

May import: :mod:`signing.model`, :mod:`signing.errors`, asn1crypto and
pyHanko's ASN.1 definitions."""
