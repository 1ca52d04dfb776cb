"""Making signatures: the request a front end fills in (:mod:`.request`),
the signer that turns it into a new file (:mod:`.signer`), time-stamping
(:mod:`.tsa`), extension to B-LT / B-LTA (:mod:`.extend`), the check that
the level asked for was reached (:mod:`.level_gate`, :mod:`.output_check`)
and the atomic write that never touches the input (:mod:`.atomic_write`).

May import: :mod:`signing.model`, :mod:`signing.certs`, :mod:`signing.pdf`,
:mod:`signing.net`, :mod:`signing.appearance`, :mod:`signing.keys`,
:mod:`signing.trust` and :mod:`signing.validation` (to re-read its output)."""
