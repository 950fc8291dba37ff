"""Agencies, organisations and public figures that precursor news names, with their names in English,
Spanish and Chinese. Plain tables: canonical name -> aliases. Acronyms (all capitals) match case-sensitively,
other aliases case-insensitively; Chinese aliases match as written.

Only bodies and people that recur in fentanyl-precursor reporting are listed; anyone else is found by
the title rules in `precwatch.core.osint.entities`.
"""

from __future__ import annotations

ORGANISATIONS: dict[str, tuple[str, ...]] = {
    # United States
    "Drug Enforcement Administration": ("DEA", "Drug Enforcement Administration", "Drug Control Agency",
                                        "Administración para el Control de Drogas", "美国缉毒局", "缉毒局"),
    "US Customs and Border Protection": ("CBP", "Customs and Border Protection", "Oficina de Aduanas y Protección Fronteriza", "海关与边境保护局"),
    "US Department of Justice": ("DOJ", "Department of Justice", "Justice Department", "Departamento de Justicia", "司法部"),
    "US Department of the Treasury": ("Treasury Department", "Department of the Treasury", "U.S. Treasury", "US Treasury",
                                      "Departamento del Tesoro", "财政部"),
    "Office of Foreign Assets Control": ("OFAC", "Office of Foreign Assets Control", "Oficina de Control de Activos Extranjeros",
                                         "海外资产控制办公室"),
    "US Department of State": ("State Department", "Department of State", "Departamento de Estado", "美国国务院"),
    "US Department of Homeland Security": ("DHS", "Department of Homeland Security", "Homeland Security Investigations", "HSI",
                                           "Departamento de Seguridad Nacional", "国土安全部"),
    "Federal Bureau of Investigation": ("FBI", "Federal Bureau of Investigation", "联邦调查局"),
    "White House": ("White House", "Casa Blanca", "白宫"),
    "Centers for Disease Control and Prevention": ("CDC", "Centers for Disease Control", "疾控中心"),
    "US Department of Commerce": ("Commerce Department", "Department of Commerce", "Departamento de Comercio"),
    # Mexico
    "Secretaría de Marina (SEMAR)": ("SEMAR", "Secretaría de Marina", "Mexican Navy", "Navy of Mexico", "Marina", "墨西哥海军"),
    "Secretaría de la Defensa Nacional (SEDENA)": ("SEDENA", "Secretaría de la Defensa Nacional", "Defensa Nacional",
                                                  "Mexican Army", "Ejército Mexicano", "墨西哥国防部"),
    "Fiscalía General de la República (FGR)": ("FGR", "Fiscalía General de la República", "Attorney General's Office of Mexico",
                                               "Mexican Attorney General's Office", "墨西哥总检察院"),
    "Agencia Nacional de Aduanas de México (ANAM)": ("ANAM", "Agencia Nacional de Aduanas", "National Customs Agency of Mexico",
                                                     "Mexican customs agency", "墨西哥海关"),
    "Guardia Nacional": ("Guardia Nacional", "National Guard of Mexico", "Mexican National Guard"),
    "Secretaría de Seguridad y Protección Ciudadana (SSPC)": ("SSPC", "Secretaría de Seguridad y Protección Ciudadana",
                                                             "Security and Citizen Protection Ministry"),
    "COFEPRIS": ("COFEPRIS", "Comisión Federal para la Protección contra Riesgos Sanitarios"),
    "Secretaría de Relaciones Exteriores (SRE)": ("SRE", "Secretaría de Relaciones Exteriores", "Cancillería mexicana",
                                                  "Mexico's foreign ministry", "Mexican foreign ministry", "墨西哥外交部"),
    # China
    "Ministry of Public Security of the PRC": ("Ministry of Public Security", "Ministerio de Seguridad Pública", "公安部"),
    "Institute of Forensic Science of China": ("Forensic Institute of the Ministry of Public Security", "Institute of Forensic Science",
                                               "公安部物证鉴定中心"),
    "Ministry of Foreign Affairs of the PRC": ("Chinese Ministry of Foreign Affairs", "China's foreign ministry", "Chinese foreign ministry",
                                               "Ministerio de Relaciones Exteriores de China", "Cancillería china", "外交部"),
    "China National Narcotics Control Commission": ("National Narcotics Control Commission", "NNCC", "Comisión Nacional de Control de Narcóticos",
                                                    "国家禁毒委员会", "国家禁毒委", "禁毒委"),
    "General Administration of Customs of China": ("General Administration of Customs", "GACC", "Administración General de Aduanas", "海关总署"),
    "Ministry of Commerce of the PRC": ("Ministry of Commerce", "MOFCOM", "Ministerio de Comercio de China", "商务部"),
    "National Medical Products Administration": ("National Medical Products Administration", "NMPA", "国家药监局", "国家药品监督管理局"),
    "National Health Commission": ("National Health Commission", "国家卫生健康委员会", "国家卫健委"),
    # Multilateral
    "UN Commission on Narcotic Drugs": ("Commission on Narcotic Drugs", "CND", "Comisión de Estupefacientes", "麻醉药品委员会"),
    "International Narcotics Control Board": ("International Narcotics Control Board", "INCB", "JIFE",
                                             "Junta Internacional de Fiscalización de Estupefacientes", "国际麻醉品管制局"),
    "UN Office on Drugs and Crime": ("UNODC", "Office on Drugs and Crime", "Oficina de las Naciones Unidas contra la Droga y el Delito",
                                    "联合国毒品和犯罪问题办公室"),
    "US-China Counternarcotics Working Group": ("counternarcotics working group", "counter-narcotics working group", "counter-drug task force",
                                                "working group on substances used in fentanyl production",
                                                "joint working group meeting on fentanyl", "禁毒合作工作组"),
    # Criminal organisations
    "Sinaloa Cartel": ("Sinaloa Cartel", "Cártel de Sinaloa", "Sinaloa cartel", "锡那罗亚贩毒集团", "锡那罗亚集团"),
    "Cártel de Jalisco Nueva Generación (CJNG)": ("CJNG", "Jalisco New Generation Cartel", "Cártel Jalisco Nueva Generación",
                                                 "Cártel de Jalisco Nueva Generación", "哈利斯科新一代贩毒集团"),
}  # fmt: skip
"""Organisations by canonical name, with aliases."""

OUTLETS: tuple[str, ...] = (
    "Reuters", "Bloomberg", "Associated Press", "AP", "Politico", "Financial Times", "The New York Times",
    "The Wall Street Journal", "Xinhua", "新华社", "El Universal", "Milenio", "Proceso", "La Jornada", "Excélsior",
    "Global Times", "环球时报", "人民日报", "CNN", "BBC", "El País", "Infobae", "AFP",
)  # fmt: skip
"""News outlets: reported as sources of a story, never as organisations in it."""

PEOPLE: dict[str, tuple[str, ...]] = {
    "Xi Jinping": ("Xi Jinping", "Xi", "习近平"),
    "Joe Biden": ("Joe Biden", "Biden", "拜登"),
    "Donald Trump": ("Donald Trump", "Trump", "特朗普"),
    "Andrés Manuel López Obrador": ("Andrés Manuel López Obrador", "Andres Manuel Lopez Obrador", "López Obrador", "Lopez Obrador",
                                    "AMLO", "洛佩斯·奥夫拉多尔", "洛佩斯"),
    "Claudia Sheinbaum": ("Claudia Sheinbaum", "Sheinbaum", "辛鲍姆"),
    "Antony Blinken": ("Antony Blinken", "Blinken", "布林肯"),
    "Jake Sullivan": ("Jake Sullivan", "Sullivan", "沙利文"),
    "Wang Yi": ("Wang Yi", "王毅"),
    "Wang Xiaohong": ("Wang Xiaohong", "王小洪"),
    "Liu Jianchao": ("Liu Jianchao", "刘建超"),
    "Wang Wentao": ("Wang Wentao", "王文涛"),
    "Gina Raimondo": ("Gina Raimondo", "Raimondo", "雷蒙多"),
    "Anne Milgram": ("Anne Milgram", "Milgram"),
    "Merrick Garland": ("Merrick Garland", "Garland", "加兰"),
    "Janet Yellen": ("Janet Yellen", "Yellen", "耶伦"),
    "Jen Daskal": ("Jen Daskal", "Jennifer Daskal", "Jen Dascal"),
    "Alicia Bárcena": ("Alicia Bárcena", "Alicia Barcena", "Bárcena"),
    "Rosa Icela Rodríguez": ("Rosa Icela Rodríguez", "Rosa Icela Rodriguez"),
    "Omar García Harfuch": ("Omar García Harfuch", "García Harfuch", "Garcia Harfuch"),
    "Marcelo Ebrard": ("Marcelo Ebrard", "Ebrard"),
    "Jie Dalei": ("Jie Dalei", "节大磊"),
    "Alejandro Mayorkas": ("Alejandro Mayorkas", "Mayorkas", "马约卡斯"),
    "Ovidio Guzmán López": ("Ovidio Guzmán López", "Ovidio Guzman", "Ovidio Guzmán"),
}  # fmt: skip
"""Public figures by canonical name, with aliases (surname alone only where unambiguous in this news)."""

PLACES: dict[str, tuple[str, ...]] = {
    "Manzanillo": ("Manzanillo", "曼萨尼约"),
    "Lázaro Cárdenas": ("Lázaro Cárdenas", "Lazaro Cardenas", "拉萨罗卡德纳斯"),
    "Veracruz (port)": ("port of Veracruz", "puerto de Veracruz"),
    "Ensenada": ("Ensenada",),
    "Culiacán": ("Culiacán", "Culiacan", "库利亚坎"),
    "Tijuana": ("Tijuana", "蒂华纳"),
    "Mexicali": ("Mexicali",),
    "Nogales": ("Nogales",),
    "Ciudad Juárez": ("Ciudad Juárez", "Ciudad Juarez"),
    "Long Beach": ("Long Beach", "长滩"),
    "Los Angeles": ("Los Angeles", "洛杉矶"),
    "San Diego": ("San Diego",),
    "Vancouver": ("Vancouver", "温哥华"),
    "Shanghai": ("Shanghai", "上海"),
    "Wuhan": ("Wuhan", "武汉"),
    "Guangzhou": ("Guangzhou", "广州"),
    "Shenzhen": ("Shenzhen", "深圳"),
    "Hong Kong": ("Hong Kong", "香港"),
    "Bangkok": ("Bangkok", "曼谷"),
    "Vienna": ("Vienna", "Viena", "维也纳"),
}  # fmt: skip
"""Ports, border crossings and cities where precursor news happens, with aliases: a seizure in Manzanillo and
one in Lázaro Cárdenas on the same day are two events."""
