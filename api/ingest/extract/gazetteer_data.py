"""The built-in gazetteer: well-known sources with their German and English aliases.

Canonical names follow ``api/demo/curated.py`` where it names the same entity ("KCNA",
"Kremlin", "Kyodo", "US-Geheimdienste", "Royal United Services Institute", "Imago"), so that
extracted sources match the curated ones; elsewhere the usual English short form. Aliases
are matched token by token after light stemming, so inflected forms ("des Kremls",
"der US-Geheimdienste") need no entry of their own; short all-capital acronyms match case-
sensitively ("AP", "UN"). The list is deliberately small and news-centred: anything else is
found by the patterns in ``mentions.py``.
"""

from __future__ import annotations

from typing import Final

# (canonical name, SourceKind, aliases)
ENTRIES: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    # --- news agencies
    ("Reuters", "NEWS_AGENCY", ("Reuters", "Thomson Reuters")),
    ("AP", "NEWS_AGENCY", ("AP", "Associated Press", "The Associated Press")),
    ("AFP", "NEWS_AGENCY", ("AFP", "Agence France-Presse", "Agence France Presse")),
    ("dpa", "NEWS_AGENCY", ("dpa", "DPA", "Deutsche Presse-Agentur", "German Press Agency")),
    ("TASS", "NEWS_AGENCY", ("TASS", "Tass", "ITAR-TASS", "Itar-Tass")),
    ("RIA Novosti", "NEWS_AGENCY", ("RIA Novosti", "RIA Nowosti", "RIA")),
    ("Interfax", "NEWS_AGENCY", ("Interfax",)),
    ("Xinhua", "NEWS_AGENCY", ("Xinhua", "Xinhua News Agency", "Neues China")),
    ("Yonhap", "NEWS_AGENCY", ("Yonhap", "Yonhap News Agency")),
    (
        "KCNA",
        "NEWS_AGENCY",
        (
            "KCNA",
            "Korean Central News Agency",
            "Koreanische Zentrale Nachrichtenagentur",
            "offizielle koreanische Zentrale Nachrichtenagentur",
        ),
    ),
    ("Kyodo", "NEWS_AGENCY", ("Kyodo", "Kyodo News", "Kyodo Tsushin")),
    ("IRNA", "NEWS_AGENCY", ("IRNA", "Islamic Republic News Agency")),
    ("Anadolu", "NEWS_AGENCY", ("Anadolu", "Anadolu Agency")),
    ("ANSA", "NEWS_AGENCY", ("ANSA",)),
    ("EFE", "NEWS_AGENCY", ("EFE",)),
    ("Ukrinform", "NEWS_AGENCY", ("Ukrinform",)),
    ("Bloomberg", "NEWS_AGENCY", ("Bloomberg", "Bloomberg News")),
    ("epd", "NEWS_AGENCY", ("epd", "Evangelischer Pressedienst")),
    ("KNA", "NEWS_AGENCY", ("KNA", "Katholische Nachrichten-Agentur")),
    ("APA", "NEWS_AGENCY", ("APA", "Austria Presse Agentur")),
    ("Jiji", "NEWS_AGENCY", ("Jiji", "Jiji Press")),
    ("Sputnik", "NEWS_AGENCY", ("Sputnik",)),
    # --- news outlets
    ("BBC", "NEWS_OUTLET", ("BBC",)),
    ("CNN", "NEWS_OUTLET", ("CNN",)),
    ("The New York Times", "NEWS_OUTLET", ("New York Times", "NYT")),
    ("The Washington Post", "NEWS_OUTLET", ("Washington Post",)),
    ("The Wall Street Journal", "NEWS_OUTLET", ("Wall Street Journal", "WSJ")),
    ("Financial Times", "NEWS_OUTLET", ("Financial Times", "FT")),
    ("The Guardian", "NEWS_OUTLET", ("The Guardian",)),
    ("Politico", "NEWS_OUTLET", ("Politico",)),
    ("Axios", "NEWS_OUTLET", ("Axios",)),
    ("NBC News", "NEWS_OUTLET", ("NBC News", "NBC")),
    ("CBS News", "NEWS_OUTLET", ("CBS News", "CBS")),
    ("ABC News", "NEWS_OUTLET", ("ABC News",)),
    ("Fox News", "NEWS_OUTLET", ("Fox News",)),
    ("Al Jazeera", "NEWS_OUTLET", ("Al Jazeera", "Al-Dschasira")),
    ("Der Spiegel", "NEWS_OUTLET", ("Der Spiegel", "Spiegel", "Spiegel Online")),
    ("Die Zeit", "NEWS_OUTLET", ("Die Zeit", "Zeit Online")),
    (
        "Frankfurter Allgemeine Zeitung",
        "NEWS_OUTLET",
        ("Frankfurter Allgemeine Zeitung", "FAZ", "F.A.Z.", "Frankfurter Allgemeine"),
    ),
    ("Süddeutsche Zeitung", "NEWS_OUTLET", ("Süddeutsche Zeitung", "SZ", "Süddeutsche")),
    ("Bild", "NEWS_OUTLET", ("Bild-Zeitung", "Bild am Sonntag")),
    ("ARD", "NEWS_OUTLET", ("ARD", "tagesschau", "Tagesschau")),
    ("ZDF", "NEWS_OUTLET", ("ZDF",)),
    ("NDR", "NEWS_OUTLET", ("NDR", "Norddeutscher Rundfunk")),
    ("WDR", "NEWS_OUTLET", ("WDR", "Westdeutscher Rundfunk")),
    ("Deutsche Welle", "NEWS_OUTLET", ("Deutsche Welle", "DW")),
    ("Handelsblatt", "NEWS_OUTLET", ("Handelsblatt",)),
    ("Kommersant", "NEWS_OUTLET", ("Kommersant", "Kommersant")),
    ("RT", "NEWS_OUTLET", ("RT", "Russia Today")),
    ("Rodong Sinmun", "NEWS_OUTLET", ("Rodong Sinmun",)),
    ("Global Times", "NEWS_OUTLET", ("Global Times",)),
    ("NHK", "NEWS_OUTLET", ("NHK",)),
    ("Nikkei", "NEWS_OUTLET", ("Nikkei", "Nikkei Asia")),
    ("Le Monde", "NEWS_OUTLET", ("Le Monde",)),
    ("Neue Zürcher Zeitung", "NEWS_OUTLET", ("Neue Zürcher Zeitung", "NZZ")),
    ("Tagesspiegel", "NEWS_OUTLET", ("Tagesspiegel",)),
    ("The Kyiv Independent", "NEWS_OUTLET", ("Kyiv Independent",)),
    ("Meduza", "NEWS_OUTLET", ("Meduza",)),
    ("Sky News", "NEWS_OUTLET", ("Sky News",)),
    # --- governments and their offices
    ("Kremlin", "GOVERNMENT", ("Kremlin", "Kreml")),
    ("White House", "GOVERNMENT", ("White House", "Weißes Haus", "Weißen Haus")),
    (
        "Pentagon",
        "GOVERNMENT",
        (
            "Pentagon",
            "US Department of Defense",
            "Department of Defense",
            "Defense Department",
            "US-Verteidigungsministerium",
        ),
    ),
    (
        "US State Department",
        "GOVERNMENT",
        ("State Department", "US-Außenministerium", "US State Department"),
    ),
    (
        "German government",
        "GOVERNMENT",
        ("Bundesregierung", "German government", "deutsche Regierung"),
    ),
    ("German Chancellery", "GOVERNMENT", ("Kanzleramt", "Bundeskanzleramt")),
    (
        "German Foreign Office",
        "GOVERNMENT",
        ("Auswärtiges Amt", "Auswärtigen Amt", "German Foreign Office"),
    ),
    (
        "British government",
        "GOVERNMENT",
        ("Downing Street", "British government", "britische Regierung"),
    ),
    (
        "Russian Defence Ministry",
        "GOVERNMENT",
        (
            "russische Verteidigungsministerium",
            "Russian Defence Ministry",
            "Russian Defense Ministry",
        ),
    ),
    (
        "Foreign Ministry",
        "GOVERNMENT",
        ("Außenministerium", "foreign ministry", "Ministry of Foreign Affairs", "Außenamt"),
    ),
    (
        "Defence Ministry",
        "GOVERNMENT",
        (
            "Verteidigungsministerium",
            "defence ministry",
            "defense ministry",
            "Ministry of Defence",
            "Ministry of Defense",
        ),
    ),
    # --- intelligence services
    (
        "US-Geheimdienste",
        "INTELLIGENCE",
        (
            "US-Geheimdienste",
            "US-Geheimdienst",
            "US intelligence",
            "U.S. intelligence",
            "US intelligence community",
            "amerikanische Geheimdienste",
        ),
    ),
    (
        "Centers for Disease Control and Prevention",
        "GOVERNMENT",
        ("CDC", "Centers for Disease Control and Prevention", "US-Seuchenschutzbehörde"),
    ),
    ("CIA", "INTELLIGENCE", ("CIA", "Central Intelligence Agency")),
    ("NSA", "INTELLIGENCE", ("NSA", "National Security Agency")),
    ("MI6", "INTELLIGENCE", ("MI6", "Secret Intelligence Service")),
    (
        "British Defence Intelligence",
        "INTELLIGENCE",
        (
            "Defence Intelligence",
            "britische Militärgeheimdienst",
            "British intelligence",
            "britische Geheimdienste",
        ),
    ),
    ("BND", "INTELLIGENCE", ("BND", "Bundesnachrichtendienst")),
    (
        "Bundesamt für Verfassungsschutz",
        "INTELLIGENCE",
        ("Bundesamt für Verfassungsschutz", "Verfassungsschutz", "BfV"),
    ),
    ("FSB", "INTELLIGENCE", ("FSB",)),
    ("GRU", "INTELLIGENCE", ("GRU",)),
    (
        "NIS",
        "INTELLIGENCE",
        ("National Intelligence Service", "südkoreanische Geheimdienst", "NIS"),
    ),
    (
        "Ukrainian military intelligence",
        "INTELLIGENCE",
        ("HUR", "GUR", "Ukrainian military intelligence", "ukrainische Militärgeheimdienst"),
    ),
    ("SBU", "INTELLIGENCE", ("SBU",)),
    # --- international organisations
    ("United Nations", "OTHER", ("United Nations", "UN", "U.N.", "UNO", "Vereinte Nationen")),
    ("NATO", "OTHER", ("NATO", "Nato", "North Atlantic Treaty Organization")),
    ("European Union", "OTHER", ("European Union", "EU", "Europäische Union")),
    (
        "European Commission",
        "OTHER",
        ("European Commission", "EU-Kommission", "Europäische Kommission"),
    ),
    (
        "IAEA",
        "OTHER",
        ("IAEA", "IAEO", "International Atomic Energy Agency", "Internationale Atomenergiebehörde"),
    ),
    ("WHO", "OTHER", ("World Health Organization", "Weltgesundheitsorganisation", "WHO")),
    ("IMF", "OTHER", ("IMF", "IWF", "International Monetary Fund", "Internationale Währungsfonds")),
    ("World Bank", "OTHER", ("World Bank", "Weltbank")),
    ("OSCE", "OTHER", ("OSCE", "OSZE")),
    (
        "UN Security Council",
        "OTHER",
        ("UN Security Council", "UN-Sicherheitsrat", "Security Council", "Sicherheitsrat"),
    ),
    ("Amnesty International", "OTHER", ("Amnesty International", "Amnesty")),
    ("Human Rights Watch", "OTHER", ("Human Rights Watch", "HRW")),
    # --- think tanks
    ("Royal United Services Institute", "THINK_TANK", ("Royal United Services Institute", "RUSI")),
    ("Institute for the Study of War", "THINK_TANK", ("Institute for the Study of War", "ISW")),
    (
        "Center for Strategic and International Studies",
        "THINK_TANK",
        ("Center for Strategic and International Studies", "CSIS"),
    ),
    (
        "International Institute for Strategic Studies",
        "THINK_TANK",
        ("International Institute for Strategic Studies", "IISS"),
    ),
    ("Chatham House", "THINK_TANK", ("Chatham House",)),
    ("Brookings Institution", "THINK_TANK", ("Brookings Institution", "Brookings")),
    ("RAND Corporation", "THINK_TANK", ("RAND Corporation", "RAND")),
    (
        "Carnegie Endowment for International Peace",
        "THINK_TANK",
        ("Carnegie Endowment for International Peace", "Carnegie Endowment"),
    ),
    ("Atlantic Council", "THINK_TANK", ("Atlantic Council",)),
    ("Council on Foreign Relations", "THINK_TANK", ("Council on Foreign Relations", "CFR")),
    (
        "Stiftung Wissenschaft und Politik",
        "THINK_TANK",
        ("Stiftung Wissenschaft und Politik", "SWP"),
    ),
    ("DGAP", "THINK_TANK", ("DGAP", "Deutsche Gesellschaft für Auswärtige Politik")),
    (
        "Kiel Institute for the World Economy",
        "THINK_TANK",
        ("Institut für Weltwirtschaft", "IfW Kiel", "Kiel Institute"),
    ),
    ("SIPRI", "THINK_TANK", ("SIPRI", "Stockholm International Peace Research Institute")),
    ("ifo Institute", "THINK_TANK", ("ifo Institut", "Ifo-Institut", "ifo Institute")),
    # --- photo agencies
    ("Imago", "PHOTO_AGENCY", ("Imago", "IMAGO", "Imago Images")),
    ("Getty Images", "PHOTO_AGENCY", ("Getty Images", "Getty")),
    ("picture alliance", "PHOTO_AGENCY", ("picture alliance", "picture-alliance")),
    ("EPA", "PHOTO_AGENCY", ("EPA", "European Pressphoto Agency", "EPA-EFE")),
    ("Shutterstock", "PHOTO_AGENCY", ("Shutterstock",)),
    ("Keystone", "PHOTO_AGENCY", ("Keystone",)),
)

# Country words (stemmed by the matcher) -> country, to qualify generic offices
# ("Iran's foreign ministry" -> "Foreign Ministry (Iran)").
COUNTRIES: Final = {
    "Russia": "russia russian russische russischen russisches russlands moskau moscow",
    "Ukraine": "ukraine ukrainian ukrainische ukrainischen ukrainisches kiew kyiv",
    "United States": "us u.s american amerikanische amerikanischen usa washington",
    "Germany": "germany german deutsche deutschen deutsches deutschlands berlin",
    "China": "china chinese chinesische chinesischen chinas peking beijing",
    "Iran": "iran iranian iranische iranischen irans teheran tehran",
    "North Korea": "nordkorea nordkoreanische nordkoreanischen pjöngjang pyongyang",
    "South Korea": "südkorea südkoreanische südkoreanischen seoul",
    "Japan": "japan japanese japanische japanischen tokio tokyo",
    "United Kingdom": "britain british britische britischen uk london",
    "France": "france french französische französischen paris",
    "Israel": "israel israeli israelische israelischen",
    "Turkey": "turkey turkish türkei türkische türkischen ankara",
    "Poland": "poland polish polnische polnischen warschau warsaw",
    "Belarus": "belarus belarusian belarussische belarussischen minsk",
    "Romania": "romania romanian rumänien rumänische rumänischen bukarest bucharest",
    "Hungary": "hungary hungarian ungarn ungarische ungarischen budapest",
    "Austria": "austria austrian österreich österreichische österreichischen wien vienna",
    "Italy": "italy italian italien italienische italienischen rom rome",
    "Spain": "spain spanish spanien spanische spanischen madrid",
    "India": "india indian indien indische indischen neu-delhi delhi",
    "Syria": "syria syrian syrien syrische syrischen damaskus damascus",
    "Saudi Arabia": "saudi-arabien saudische saudischen riad riyadh",
}


def country_of(word: str) -> str | None:
    """The country a country word names ("Romania", "russische"), or None."""
    low = word.casefold()
    for country, words_ in COUNTRIES.items():
        if low == country.casefold() or low in words_.split():
            return country
    return None
