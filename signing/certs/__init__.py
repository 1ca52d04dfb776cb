"""What a certificate says about itself: who it names, what it is for
(signature of a natural person or seal of a legal person), its QC
statements and its key usage. One reading of each fact, used by signing
(which key to offer), validation and the EU qualification.

May import: :mod:`signing.model`, :mod:`signing.errors`, asn1crypto and
pyHanko's ASN.1 definitions."""
