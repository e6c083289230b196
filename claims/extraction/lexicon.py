"""Word lists shared by the rules. Kept small and explicit so a reviewer can read them."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, so that long lists stay readable."""
    return frozenset(text.split())


MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip

# Country (as the figure's side is reported) for names and adjectives that point at it.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Afghan", "Afghans"),
    "Albania": ("Albanian",),
    "Algeria": ("Algerian",),
    "Armenia": ("Armenian", "Armenians"),
    "Australia": ("Australian",),
    "Austria": ("Austrian",),
    "Azerbaijan": ("Azerbaijani", "Azerbaijanis", "Azeri", "Azeris"),
    "Bahrain": ("Bahraini",),
    "Bangladesh": ("Bangladeshi",),
    "Belarus": ("Belarusian",),
    "Belgium": ("Belgian",),
    "Bosnia": ("Bosnian",),
    "Brazil": ("Brazilian",),
    "Bulgaria": ("Bulgarian",),
    "Burkina Faso": ("Burkinabe",),
    "Cameroon": ("Cameroonian",),
    "Canada": ("Canadian",),
    "Chad": ("Chadian",),
    "Chile": ("Chilean",),
    "China": ("Chinese",),
    "Colombia": ("Colombian",),
    "Congo": ("Congolese",),
    "Croatia": ("Croatian",),
    "Cuba": ("Cuban",),
    "Cyprus": ("Cypriot",),
    "Czech Republic": ("Czech",),
    "Denmark": ("Danish",),
    "Egypt": ("Egyptian",),
    "Eritrea": ("Eritrean",),
    "Estonia": ("Estonian",),
    "Ethiopia": ("Ethiopian",),
    "Finland": ("Finnish",),
    "France": ("French",),
    "Georgia": ("Georgian",),
    "Germany": ("German",),
    "Greece": ("Greek",),
    "Hungary": ("Hungarian",),
    "India": ("Indian",),
    "Indonesia": ("Indonesian",),
    "Iran": ("Iranian",),
    "Iraq": ("Iraqi",),
    "Ireland": ("Irish",),
    "Israel": ("Israeli", "Israelis"),
    "Italy": ("Italian",),
    "Japan": ("Japanese",),
    "Jordan": ("Jordanian",),
    "Kazakhstan": ("Kazakh",),
    "Kenya": ("Kenyan",),
    "Kosovo": ("Kosovar",),
    "Kuwait": ("Kuwaiti",),
    "Kyrgyzstan": ("Kyrgyz",),
    "Latvia": ("Latvian",),
    "Lebanon": ("Lebanese",),
    "Libya": ("Libyan",),
    "Lithuania": ("Lithuanian",),
    "Mali": ("Malian",),
    "Mexico": ("Mexican",),
    "Moldova": ("Moldovan",),
    "Morocco": ("Moroccan",),
    "Myanmar": ("Burmese",),
    "Nepal": ("Nepali", "Nepalese"),
    "Netherlands": ("Dutch",),
    "Niger": ("Nigerien",),
    "Nigeria": ("Nigerian",),
    "North Korea": ("North Korean",),
    "Norway": ("Norwegian",),
    "Pakistan": ("Pakistani",),
    "Palestine": ("Palestinian", "Palestinians"),
    "Philippines": ("Filipino", "Philippine"),
    "Poland": ("Polish",),
    "Portugal": ("Portuguese",),
    "Qatar": ("Qatari",),
    "Romania": ("Romanian",),
    "Russia": ("Russian", "Russians"),
    "Rwanda": ("Rwandan",),
    "Saudi Arabia": ("Saudi",),
    "Serbia": ("Serbian", "Serb", "Serbs"),
    "Somalia": ("Somali",),
    "South Africa": ("South African",),
    "South Korea": ("South Korean",),
    "South Sudan": ("South Sudanese",),
    "Spain": ("Spanish",),
    "Sri Lanka": ("Sri Lankan",),
    "Sudan": ("Sudanese",),
    "Sweden": ("Swedish",),
    "Switzerland": ("Swiss",),
    "Syria": ("Syrian",),
    "Taiwan": ("Taiwanese",),
    "Tajikistan": ("Tajik",),
    "Thailand": ("Thai",),
    "Tunisia": ("Tunisian",),
    "Turkey": ("Turkish", "Turk", "Turks"),
    "Turkmenistan": ("Turkmen",),
    "Uganda": ("Ugandan",),
    "Ukraine": ("Ukrainian", "Ukrainians"),
    "United Arab Emirates": ("Emirati", "UAE"),
    "United Kingdom": ("British", "UK", "U.K.", "Britain"),
    "United States": ("American", "Americans", "US", "U.S.", "USA"),
    "Uzbekistan": ("Uzbek",),
    "Venezuela": ("Venezuelan",),
    "Vietnam": ("Vietnamese",),
    "Yemen": ("Yemeni",),
    "Zimbabwe": ("Zimbabwean",),
}

# Lower-cased name or adjective -> country. Multi-word keys are matched as phrases.
COUNTRY_OF: dict[str, str] = {}
for _country, _words in _COUNTRIES.items():
    COUNTRY_OF[_country.lower()] = _country
    for _w in _words:
        COUNTRY_OF[_w.lower()] = _country

# Who gets counted when people are hurt: a figure counting these next to a casualty word is one.
PERSON_NOUNS = word_set(
    """people persons person civilians civilian soldiers soldier troops troop servicemen
    serviceman servicemembers men man women woman children child kids boys girls babies
    infants adults residents villagers protesters protestors demonstrators fighters fighter
    militants militant rebels rebel insurgents separatists police policemen policeman
    officers officer guards guard personnel members member workers worker miners passengers
    passenger crew migrants refugees pilgrims students pupils teachers journalists reporters
    doctors nurses patients prisoners inmates detainees hostages victims victim pedestrians
    tourists others individuals citizens nationals inhabitants family families staff
    employees firefighters marines sailors airmen conscripts recruits officials others them"""
)

# Nouns that are casualties by themselves ("334 deaths", "12 dead", "30,000 lives").
CASUALTY_NOUNS = word_set(
    """deaths death dead fatalities fatality casualties casualty killed wounded injured
    injuries missing lives bodies toll victims"""
)

# Words saying people were hurt; a person count near one of them is a casualty figure.
CASUALTY_WORDS = word_set(
    """killed kill kills killing dead died die dies dying death deaths wounded wounding injured
    injuring injuries hurt missing perished slain fatalities casualties massacred murdered
    executed lives toll"""
)

# Words that are not names even when capitalised at the start of a sentence or clause.
CAPITALISED_FUNCTION_WORDS = word_set(
    """a an the this that these those it its he she they we i you his her their our my your and
    but or so yet nor for if while when whereas although though as since because after
    before until once where what who whom whose which why how however moreover meanwhile
    furthermore nevertheless nonetheless also then thus still instead indeed significantly
    according in on at by with from to of into about over under between among during without
    within amid despite emphasizing emphasising both many some several most all each every
    other others such no not only even last earlier later today yesterday tomorrow tonight
    there here now again"""
)
