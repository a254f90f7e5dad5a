"""APIs for other systems: Open311 GeoReport v2 (/open311/v2) and read-only open data
(/api/v1)."""
