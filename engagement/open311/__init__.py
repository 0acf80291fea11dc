"""Open311 GeoReport v2: the city's requests for 311 apps and tools.

The contract is open311.org's GeoReport v2 spec with its JSON conversion
(lists are arrays, even of one), plus the pagination, extended attributes and
FixMyStreet ``servicerequestupdates`` extensions. See ``docs/open311.md``.
"""
