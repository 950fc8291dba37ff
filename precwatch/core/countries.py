"""ISO 3166-1 alpha-2 country codes, and country names as declarations write them.

`COUNTRIES` holds all 249 officially assigned alpha-2 codes (ISO 3166 Maintenance Agency, as listed by
the IANA time-zone database's ``iso3166.tab``, current to ISO/TC 46 N1108, 2023-04-05) with their
short English names. Exceptionally reserved codes (UK, EU, EL, ...) are not country codes; `country_code`
reads "UK" as a name meaning GB, `is_country("UK")` is False.
"""

from __future__ import annotations

import unicodedata

COUNTRIES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AF": "Afghanistan", "AG": "Antigua and Barbuda",
    "AI": "Anguilla", "AL": "Albania", "AM": "Armenia", "AO": "Angola", "AQ": "Antarctica",
    "AR": "Argentina", "AS": "American Samoa", "AT": "Austria", "AU": "Australia", "AW": "Aruba",
    "AX": "Åland Islands", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina", "BB": "Barbados",
    "BD": "Bangladesh", "BE": "Belgium", "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain",
    "BI": "Burundi", "BJ": "Benin", "BL": "Saint Barthélemy", "BM": "Bermuda", "BN": "Brunei Darussalam",
    "BO": "Bolivia", "BQ": "Bonaire, Sint Eustatius and Saba", "BR": "Brazil", "BS": "Bahamas",
    "BT": "Bhutan", "BV": "Bouvet Island", "BW": "Botswana", "BY": "Belarus", "BZ": "Belize",
    "CA": "Canada", "CC": "Cocos (Keeling) Islands", "CD": "Congo, Democratic Republic of the",
    "CF": "Central African Republic", "CG": "Congo", "CH": "Switzerland", "CI": "Côte d'Ivoire",
    "CK": "Cook Islands", "CL": "Chile", "CM": "Cameroon", "CN": "China", "CO": "Colombia",
    "CR": "Costa Rica", "CU": "Cuba", "CV": "Cabo Verde", "CW": "Curaçao", "CX": "Christmas Island",
    "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany", "DJ": "Djibouti", "DK": "Denmark", "DM": "Dominica",
    "DO": "Dominican Republic", "DZ": "Algeria", "EC": "Ecuador", "EE": "Estonia", "EG": "Egypt",
    "EH": "Western Sahara", "ER": "Eritrea", "ES": "Spain", "ET": "Ethiopia", "FI": "Finland", "FJ": "Fiji",
    "FK": "Falkland Islands (Malvinas)", "FM": "Micronesia", "FO": "Faroe Islands", "FR": "France",
    "GA": "Gabon", "GB": "United Kingdom", "GD": "Grenada", "GE": "Georgia", "GF": "French Guiana",
    "GG": "Guernsey", "GH": "Ghana", "GI": "Gibraltar", "GL": "Greenland", "GM": "Gambia", "GN": "Guinea",
    "GP": "Guadeloupe", "GQ": "Equatorial Guinea", "GR": "Greece",
    "GS": "South Georgia and the South Sandwich Islands", "GT": "Guatemala", "GU": "Guam",
    "GW": "Guinea-Bissau", "GY": "Guyana", "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
    "HN": "Honduras", "HR": "Croatia", "HT": "Haiti", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland",
    "IL": "Israel", "IM": "Isle of Man", "IN": "India", "IO": "British Indian Ocean Territory",
    "IQ": "Iraq", "IR": "Iran", "IS": "Iceland", "IT": "Italy", "JE": "Jersey", "JM": "Jamaica",
    "JO": "Jordan", "JP": "Japan", "KE": "Kenya", "KG": "Kyrgyzstan", "KH": "Cambodia", "KI": "Kiribati",
    "KM": "Comoros", "KN": "Saint Kitts and Nevis", "KP": "North Korea", "KR": "South Korea",
    "KW": "Kuwait", "KY": "Cayman Islands", "KZ": "Kazakhstan", "LA": "Laos", "LB": "Lebanon",
    "LC": "Saint Lucia", "LI": "Liechtenstein", "LK": "Sri Lanka", "LR": "Liberia", "LS": "Lesotho",
    "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya", "MA": "Morocco", "MC": "Monaco",
    "MD": "Moldova", "ME": "Montenegro", "MF": "Saint Martin (French part)", "MG": "Madagascar",
    "MH": "Marshall Islands", "MK": "North Macedonia", "ML": "Mali", "MM": "Myanmar", "MN": "Mongolia",
    "MO": "Macao", "MP": "Northern Mariana Islands", "MQ": "Martinique", "MR": "Mauritania",
    "MS": "Montserrat", "MT": "Malta", "MU": "Mauritius", "MV": "Maldives", "MW": "Malawi", "MX": "Mexico",
    "MY": "Malaysia", "MZ": "Mozambique", "NA": "Namibia", "NC": "New Caledonia", "NE": "Niger",
    "NF": "Norfolk Island", "NG": "Nigeria", "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway",
    "NP": "Nepal", "NR": "Nauru", "NU": "Niue", "NZ": "New Zealand", "OM": "Oman", "PA": "Panama",
    "PE": "Peru", "PF": "French Polynesia", "PG": "Papua New Guinea", "PH": "Philippines",
    "PK": "Pakistan", "PL": "Poland", "PM": "Saint Pierre and Miquelon", "PN": "Pitcairn",
    "PR": "Puerto Rico", "PS": "Palestine", "PT": "Portugal", "PW": "Palau", "PY": "Paraguay",
    "QA": "Qatar", "RE": "Réunion", "RO": "Romania", "RS": "Serbia", "RU": "Russia", "RW": "Rwanda",
    "SA": "Saudi Arabia", "SB": "Solomon Islands", "SC": "Seychelles", "SD": "Sudan", "SE": "Sweden",
    "SG": "Singapore", "SH": "Saint Helena, Ascension and Tristan da Cunha", "SI": "Slovenia",
    "SJ": "Svalbard and Jan Mayen", "SK": "Slovakia", "SL": "Sierra Leone", "SM": "San Marino",
    "SN": "Senegal", "SO": "Somalia", "SR": "Suriname", "SS": "South Sudan", "ST": "Sao Tome and Principe",
    "SV": "El Salvador", "SX": "Sint Maarten (Dutch part)", "SY": "Syria", "SZ": "Eswatini",
    "TC": "Turks and Caicos Islands", "TD": "Chad", "TF": "French Southern Territories", "TG": "Togo",
    "TH": "Thailand", "TJ": "Tajikistan", "TK": "Tokelau", "TL": "Timor-Leste", "TM": "Turkmenistan",
    "TN": "Tunisia", "TO": "Tonga", "TR": "Türkiye", "TT": "Trinidad and Tobago", "TV": "Tuvalu",
    "TW": "Taiwan", "TZ": "Tanzania", "UA": "Ukraine", "UG": "Uganda",
    "UM": "United States Minor Outlying Islands", "US": "United States", "UY": "Uruguay",
    "UZ": "Uzbekistan", "VA": "Holy See", "VC": "Saint Vincent and the Grenadines", "VE": "Venezuela",
    "VG": "Virgin Islands (British)", "VI": "Virgin Islands (U.S.)", "VN": "Viet Nam", "VU": "Vanuatu",
    "WF": "Wallis and Futuna", "WS": "Samoa", "YE": "Yemen", "YT": "Mayotte", "ZA": "South Africa",
    "ZM": "Zambia", "ZW": "Zimbabwe",
}  # fmt: skip
"""Every officially assigned ISO 3166-1 alpha-2 code and its short English name."""

_ALIASES: dict[str, str] = {
    # English (common and formal forms)
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states of america": "US",
    "the united states": "US", "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB", "prc": "CN", "p r c": "CN",
    "peoples republic of china": "CN", "mainland china": "CN", "china mainland": "CN", "pr china": "CN",
    "hong kong sar": "HK", "hong kong china": "HK", "hongkong": "HK", "hksar": "HK", "macau": "MO",
    "macao sar": "MO", "macau sar": "MO", "taiwan province of china": "TW", "chinese taipei": "TW",
    "republic of korea": "KR", "korea republic of": "KR", "korea south": "KR",
    "democratic peoples republic of korea": "KP", "dprk": "KP", "korea north": "KP",
    "russian federation": "RU", "vietnam": "VN", "iran islamic republic of": "IR", "syrian arab republic": "SY",
    "lao peoples democratic republic": "LA", "turkey": "TR", "turkiye": "TR", "czech republic": "CZ",
    "ivory coast": "CI", "cote divoire": "CI", "holland": "NL", "the netherlands": "NL", "uae": "AE",
    "u a e": "AE", "emirates": "AE", "burma": "MM", "swaziland": "SZ", "cape verde": "CV",
    "east timor": "TL", "vatican": "VA", "vatican city": "VA", "moldova republic of": "MD",
    "tanzania united republic of": "TZ", "bolivia plurinational state of": "BO",
    "venezuela bolivarian republic of": "VE", "macedonia": "MK", "brunei": "BN",
    "democratic republic of the congo": "CD", "dr congo": "CD", "drc": "CD", "congo kinshasa": "CD",
    "republic of the congo": "CG", "congo brazzaville": "CG", "palestine state of": "PS",
    "micronesia federated states of": "FM", "the bahamas": "BS", "the gambia": "GM",
    "republic of ireland": "IE", "republic of india": "IN", "federal republic of germany": "DE",
    "united mexican states": "MX",
    # Spanish (Mexico and Latin America)
    "estados unidos": "US", "estados unidos de america": "US", "eeuu": "US", "ee uu": "US", "eua": "US",
    "e u a": "US", "mexico": "MX", "estados unidos mexicanos": "MX", "canada": "CA", "alemania": "DE",
    "espana": "ES", "reino unido": "GB", "japon": "JP", "corea del sur": "KR", "paises bajos": "NL",
    "francia": "FR", "italia": "IT", "brasil": "BR", "peru": "PE", "panama": "PA",
    # Chinese
    "中国": "CN", "中华人民共和国": "CN", "中国大陆": "CN", "香港": "HK", "中国香港": "HK", "澳门": "MO",
    "台湾": "TW", "美国": "US", "美利坚合众国": "US", "墨西哥": "MX", "加拿大": "CA", "印度": "IN",
    "德国": "DE", "英国": "GB", "日本": "JP", "韩国": "KR", "荷兰": "NL", "法国": "FR", "俄罗斯": "RU",
}  # fmt: skip


def _key(name: str) -> str:
    """A name folded for lookup: accents, case, punctuation and extra spaces removed, '&' read as 'and'."""
    text = unicodedata.normalize("NFKD", name.replace("&", " and "))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(c if c.isalnum() else (" " if c in " -,_/()" else "") for c in text)
    return " ".join(text.split())


_BY_NAME: dict[str, str] = {_key(name): code for code, name in COUNTRIES.items()} | {
    _key(alias): code for alias, code in _ALIASES.items()
}


def is_country(code: str) -> bool:
    """True when `code` is an officially assigned ISO 3166-1 alpha-2 code (any case, no spaces)."""
    return code.upper() in COUNTRIES


def country_code(name_or_code: str) -> str | None:
    """The alpha-2 code for a code (any case) or a common English, Spanish or Chinese name; else None.

    >>> country_code("hk"), country_code("United States of America"), country_code("México")
    ('HK', 'US', 'MX')
    """
    text = name_or_code.strip()
    if len(text) == 2 and text.upper() in COUNTRIES:
        return text.upper()
    return _BY_NAME.get(_key(text))
