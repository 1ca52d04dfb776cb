"""What a validation is written as: JSON (:mod:`.json_report`), the ETSI
TS 119 102-2 XML file (:mod:`.xml_report`), the readable HTML/PDF report
(:mod:`.readable`, :mod:`.template`) and the terminal's columns
(:mod:`.columns_text`).

May import: :mod:`signing.model`, :mod:`signing.validation` (its story)
and :mod:`signing.sign.atomic_write`. Nothing in the core imports reports
except :mod:`signing.api`."""
