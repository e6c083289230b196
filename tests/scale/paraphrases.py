"""Claims already published, the same claims as another article words them, and published
claims that share their words but not their facts: the test set for "checked before?".

Written for this test (the first ten from the sample article's claims). Each paraphrase
changes the order, the hedges, the verbs or the number format, the way a second outlet
reports the same claim. The distractors reuse the originals' names, numbers and templates
on purpose: a matcher that only counts shared words ranks them first.
"""

from __future__ import annotations

# (published original, the same claim reworded as a new claim)
PAIRS: list[tuple[str, str]] = [
    (
        "At least 12 soldiers, including a major general and a colonel, and one civilian from "
        "Azerbaijan are dead, as are four soldiers from Armenia.",
        "Twelve or more Azerbaijani soldiers, among them a major general and a colonel, and a "
        "civilian were killed, along with four Armenian soldiers.",
    ),
    (
        "Azerbaijani Deputy Defense Minister Kerim Veliyev claimed on Tuesday that nearly 100 "
        "Armenian soldiers have been killed.",
        "Kerim Veliyev, Azerbaijan's deputy defence minister, said almost 100 Armenian troops "
        "had died.",
    ),
    (
        "Armenia has reported more than 33,000 cases and 607 deaths despite having a "
        "population of less than three million.",
        "With under three million people, Armenia has recorded over 33,000 coronavirus cases "
        "and 607 deaths.",
    ),
    (
        "Azerbaijan, with a population of 10 million, has registered more than 26,000 cases and "
        "334 deaths.",
        "Azerbaijan has had more than 26,000 infections and 334 deaths among its 10 million "
        "people.",
    ),
    (
        "A pro-war demonstration in Baku on Tuesday night involved about 30,000 people.",
        "Around 30,000 people joined a pro-war rally in Baku on Tuesday night.",
    ),
    (
        "Russia has two military bases in Armenia, with about 5,000 soldiers and hundreds of "
        "tanks.",
        "About 5,000 Russian soldiers and hundreds of tanks are stationed at Russia's two "
        "military bases in Armenia.",
    ),
    (
        "Vladimir Putin ordered a surprise combat readiness check involving about 150,000 "
        "troops and 414 aircraft.",
        "A snap combat readiness check ordered by Putin involved some 150,000 troops and 414 "
        "aircraft.",
    ),
    (
        "The Metsamor nuclear power plant is about 35 kilometers from Yerevan.",
        "Yerevan lies roughly 35 km from the Metsamor nuclear plant.",
    ),
    (
        "The war between Azeri troops and Armenian separatists had claimed some 30,000 lives by "
        "the time of the 1994 ceasefire.",
        "Some 30,000 people were killed in the war between Azeri forces and Armenian "
        "separatists before the 1994 ceasefire.",
    ),
    (
        "President Aliyev sacked Foreign Minister Elmar Mamedyarov on Thursday.",
        "Elmar Mamedyarov was dismissed as foreign minister by President Aliyev on Thursday.",
    ),
    (
        "Unemployment in Spain fell to 12.5 percent in March, the statistics office said.",
        "The statistics office said Spanish unemployment dropped to 12.5% in March.",
    ),
    (
        "Inflation in Turkey reached 85 percent in October, the highest level in 24 years.",
        "Turkish inflation hit 85% in October, its highest in 24 years.",
    ),
    (
        "The government spent 4.2 billion euros on the new high-speed rail line.",
        "4.2 billion euros of public money went into the new high-speed railway line.",
    ),
    (
        "More than 1,200 people died in the floods in Pakistan this summer, according to the "
        "disaster management authority.",
        "The disaster management authority says over 1,200 people were killed by this "
        "summer's floods in Pakistan.",
    ),
    (
        "Wildfires burned 18 million hectares in Australia during the 2019-2020 season.",
        "During the 2019-2020 fire season, 18 million hectares of Australia were burned by "
        "bushfires.",
    ),
    (
        "Turnout in the presidential election was 48 percent, the lowest since 1990.",
        "Only 48% of voters took part in the presidential election, the lowest turnout since 1990.",
    ),
    (
        "The opposition accused the ruling party of buying votes in 14 districts.",
        "The ruling party bought votes in 14 districts, the opposition alleged.",
    ),
    (
        "The minimum wage has doubled since 2015, the prime minister said.",
        "According to the prime minister, the minimum wage is twice what it was in 2015.",
    ),
    (
        "Police arrested 350 protesters in Minsk on Sunday.",
        "On Sunday, 350 protesters were detained by police in Minsk.",
    ),
    (
        "The WHO said only 3 percent of people in low-income countries have been vaccinated.",
        "Just 3% of people in low-income countries are vaccinated, according to the WHO.",
    ),
    (
        "The city's murder rate rose by 30 percent last year.",
        "Last year the murder rate in the city went up 30 percent.",
    ),
    (
        "Kremlin spokesman Dmitry Peskov said Russia is ready to provide its mediation efforts "
        "for a settlement.",
        "Russia stands ready to mediate a settlement, Kremlin spokesman Dmitry Peskov said.",
    ),
    (
        "Turkish President Recep Tayyip Erdogan condemned the attack by Armenia against "
        "Azerbaijan.",
        "Erdogan, Turkey's president, condemned Armenia's attack on Azerbaijan.",
    ),
    (
        "The hospital has only 40 intensive care beds for a region of two million people.",
        "A region of two million people is served by a hospital with just 40 intensive care beds.",
    ),
    # Harder: most of the words change, only the facts stay.
    (
        "Armenian officials denied that nearly 100 Armenian soldiers had been killed.",
        "Yerevan rejected reports that close to a hundred of its troops died in the fighting.",
    ),
    (
        "Several protesters broke into the parliament in Baku at 4:00 a.m. local time.",
        "Demonstrators forced their way into Azerbaijan's parliament building at four in the "
        "morning.",
    ),
    (
        "The OSCE Minsk Group, led by the United States, France and Russia, was created in 1992.",
        "Set up in 1992, the OSCE Minsk Group is co-chaired by Russia, France and the US.",
    ),
    (
        "The country's budget deficit widened to 6 percent of GDP last year.",
        "Last year the deficit grew to six percent of the economy.",
    ),
    (
        "Nagorno-Karabakh declared independence from Azerbaijan in 1991.",
        "In 1991 the mainly Armenian region of Nagorno-Karabakh proclaimed its independence.",
    ),
    (
        "The mayor said the new metro line will carry 200,000 passengers a day.",
        "Some 200,000 people a day will ride the new underground line, according to the mayor.",
    ),
]

# New claims no one has checked yet: nothing published says the same, though published claims
# share their words. "Checked before?" should show nothing for them above its threshold.
NOVEL: list[str] = [
    "At least 20 soldiers from Armenia were wounded in Tavush on Monday.",
    "Azerbaijan has registered more than 50,000 cases of tuberculosis.",
    "Around 5,000 people joined an anti-war rally in Yerevan on Friday.",
    "Putin cancelled the combat readiness check after two days.",
    "Inflation in Turkey fell to 40 percent in June.",
    "The opposition won 14 districts in the local elections.",
    "Police in Minsk released all detained journalists on Monday.",
    "The WHO said vaccines for low-income countries will arrive in March.",
]

# Published claims that look like the originals (same names, numbers or wording) but say
# something else.
DISTRACTORS: list[str] = [
    "At least 30 civilians from Armenia were killed in shelling, as were two soldiers from "
    "Azerbaijan.",
    "Armenian Deputy Defense Minister said on Tuesday that nearly 100 Azerbaijani drones had "
    "been shot down.",
    "Georgia has reported more than 3,000 cases and 60 deaths despite a population of four "
    "million.",
    "About 30,000 people marched against the war in Yerevan on Saturday night.",
    "Russia has one military base in Tajikistan, with about 7,000 soldiers.",
    "Vladimir Putin ordered a combat readiness check of the Northern Fleet involving 40 warships.",
    "The Metsamor nuclear power plant produces about 40 percent of Armenia's electricity.",
    "The 2016 clashes between Armenian and Azeri troops killed nearly 200 soldiers on both sides.",
    "President Aliyev appointed Jeyhun Bayramov as Foreign Minister on Thursday.",
    "Unemployment in Greece fell to 12.5 percent in May, the lowest in a decade.",
    "Inflation in Argentina reached 95 percent in December, the highest level in 30 years.",
    "The government spent 4.2 billion euros on hospitals last year.",
    "More than 1,200 homes were destroyed in the floods in Bangladesh this summer.",
    "Wildfires burned 2 million hectares in Canada during the 2023 season.",
    "Turnout in the parliamentary election was 62 percent, the highest since 1990.",
    "The ruling party accused the opposition of intimidating observers in 14 districts.",
    "The minimum wage has been frozen since 2015, the unions said.",
    "Police arrested 120 journalists in Minsk during the protests on Sunday.",
    "The WHO said 70 percent of people in high-income countries have been vaccinated.",
    "The city's population rose by 30 percent in ten years.",
    "Kremlin spokesman Dmitry Peskov said Russia would not take sides in the conflict.",
    "Turkish President Recep Tayyip Erdogan visited Baku to sign a defence agreement.",
    "The hospital treated 40 patients for burns after the explosion.",
    "Armenia and Azerbaijan accused each other of violating the ceasefire.",
    "Four soldiers from Armenia were wounded on Sunday, the defence ministry said.",
    "Azerbaijan's population grew to 10 million in 2019.",
]
