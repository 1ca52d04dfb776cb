"""The neutral floor under the rest of the core: the result types a
validation returns (:mod:`.results`), the words and labels shown for them
(:mod:`.labels`), and the reason catalogue: every sentence a user reads about
a signature, by code, in English and Japanese (:mod:`.reasons`, one small
module per topic).

May import: :mod:`signing.errors` and the standard library only. Everything
else in the core may import this package."""
