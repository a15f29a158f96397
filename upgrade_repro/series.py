"""The panel's series and their units: value added (GDP and the three sectors) and employment (by
sector and in total). The raw extracts are read into these (ingest), the panel holds them (clean),
the integrity checks and the indicators are computed on them. Value added is in 亿元, employment in
万人; a raw file's unit is converted by its factor (unit_factors)."""

# GDP and the three sectors' value added: read for every run (the integrity checks need all four).
VALUE_ADDED = ("gdp", "primary", "secondary", "tertiary")
# Employment by sector and in total (issue 16), read only for the indicators that need it
# (rationalisation, advancement weighted by labour productivity); persons, converted to 万人.
EMPLOYMENT = ("employed_primary", "employed_secondary", "employed_tertiary", "employed")
SERIES = VALUE_ADDED + EMPLOYMENT
SECTORS = ("primary", "secondary", "tertiary")

# Units, by matching key, with their factor to 亿元 (10^8 yuan).
UNIT_FACTORS = {
    "亿元": 1.0,
    "万元": 1e-4,
    "元": 1e-8,
    "100millionyuan": 1.0,
    "10000yuan": 1e-4,
    "10thousandyuan": 1e-4,
    "yuan": 1e-8,
}

# Units of the employment series, by matching key, with their factor to 万人 (10^4 persons).
PERSON_UNIT_FACTORS = {"万人": 1.0, "人": 1e-4, "10000persons": 1.0, "10thousandpersons": 1.0, "persons": 1e-4}


def unit_factors(indicator: str) -> dict:
    """The known units of a series with their factor to its panel unit (亿元 or 万人)."""
    return PERSON_UNIT_FACTORS if indicator in EMPLOYMENT else UNIT_FACTORS


def panel_unit(indicator: str) -> str:
    return "万人" if indicator in EMPLOYMENT else "亿元"
