"""Generate articles/catalog.yaml from the hand-written family table below.

The product range is defined family by family (series code, marketing name, launch year and the
variants sold); this script expands it into one catalog entry per model with its regional SKUs.
Run it again after editing the table: ``python scripts/gen_catalog.py > articles/catalog.yaml``.
"""

import sys

import yaml

BRAND = "Nordiq"

# category -> (suffix builder for regional SKUs, list of families)
# family: (family code, series name, product noun, launch year, eol, [variant codes after the family code], aliases)
FAMILIES = {
    "tv": ("tv", [
        ("QN90D", "Neo QLED QN90D", "4K Neo QLED TV", 2024, False, ["43", "50", "55", "65", "75", "85"], ["neo qled"]),
        ("QN95C", "Neo QLED QN95C", "4K Neo QLED TV", 2023, False, ["55", "65", "75", "85"], ["neo qled"]),
        ("QN900C", "Neo QLED 8K QN900C", "8K Neo QLED TV", 2023, False, ["65", "75", "85"], ["8k tv"]),
        ("Q80C", "QLED Q80C", "4K QLED TV", 2023, False, ["50", "55", "65", "75", "85"], ["qled"]),
        ("Q60B", "QLED Q60B", "4K QLED TV", 2022, False, ["43", "50", "55", "65", "75"], ["qled"]),
        ("S95D", "OLED S95D", "4K OLED TV", 2024, False, ["55", "65", "77"], ["oled"]),
        ("S90C", "OLED S90C", "4K OLED TV", 2023, False, ["55", "65", "77", "83"], ["oled"]),
        ("CU7100", "Crystal UHD CU7100", "4K UHD TV", 2023, False, ["43", "50", "55", "65", "75", "85"], ["crystal uhd"]),
        ("TU7000", "Crystal UHD TU7000", "4K UHD TV", 2020, True, ["43", "50", "55", "65"], ["crystal uhd"]),
        ("LS03D", "The Frame LS03D", "lifestyle QLED TV", 2024, False, ["43", "50", "55", "65", "75"], ["the frame", "frame tv"]),
    ]),
    "soundbar": ("dash", [
        ("HW-Q990", "Q990 Soundbar", "11.1.4ch Dolby Atmos soundbar", 2023, False, ["C", "D"], ["q990"]),
        ("HW-Q800", "Q800 Soundbar", "5.1.2ch Dolby Atmos soundbar", 2023, False, ["C", "D"], ["q800"]),
        ("HW-Q700", "Q700 Soundbar", "3.1.2ch soundbar", 2022, False, ["B", "C", "D"], []),
        ("HW-B550", "B550 Soundbar", "2.1ch soundbar with subwoofer", 2022, False, ["", "D"], []),
        ("HW-S60", "S60 Lifestyle Soundbar", "all-in-one soundbar", 2022, False, ["B", "D"], ["lifestyle soundbar"]),
        ("HW-T450", "T450 Soundbar", "2.1ch soundbar", 2020, True, ["", "X"], []),
        ("SWA-9500", "Wireless Rear Speaker Kit", "wireless rear speaker kit", 2022, False, ["S", "T"], ["rear speakers"]),
    ]),
    "projector": ("dash", [
        ("SP-LSP9", "The Premiere LSP9", "4K laser projector", 2022, False, ["T", "TX"], ["the premiere"]),
        ("SP-LSP7", "The Premiere LSP7", "4K laser projector", 2022, False, ["T", "TX"], ["the premiere"]),
        ("SP-LFF3", "The Freestyle", "portable projector", 2022, False, ["CL", "CLA", "CLE"], ["the freestyle"]),
        ("SP-LFF5", "The Freestyle 2nd Gen", "portable projector", 2023, False, ["CL", "CLA"], ["freestyle 2"]),
    ]),
    "refrigerator": ("slash", [
        ("RB38T", "Bespoke RB38T", "fridge freezer, 385 l", 2020, False, ["602CWW", "602CS9", "603DSA", "675DB1", "775CB1"], ["fridge freezer"]),
        ("RB34C", "RB34C Classic", "fridge freezer, 344 l", 2023, False, ["600ESA", "632SA", "675DSA", "775CWW"], ["fridge freezer"]),
        ("RS68A", "RS68A Side by Side", "American-style fridge freezer", 2021, False, ["8840S9", "8840B1", "8831B1", "884CSL"], ["side by side", "american fridge"]),
        ("RF65A", "RF65A French Door", "French door fridge freezer", 2021, False, ["967ESR", "977FSG", "90TFSR"], ["french door"]),
        ("RR39C", "RR39C Larder", "larder fridge", 2023, False, ["76C7BA", "7AC5SA", "7BC5WW"], ["larder fridge", "tall fridge"]),
        ("RZ32C", "RZ32C Tall Freezer", "tall freezer", 2023, False, ["76ESA", "7ACWW", "7ADSA"], ["freezer"]),
        ("RB36R", "RB36R Classic", "fridge freezer, 360 l", 2019, True, ["872PSA", "8799SR", "633ESA"], ["fridge freezer"]),
    ]),
    "washing-machine": ("slash", [
        ("WW90T", "EcoBubble WW90T", "9 kg washing machine", 2020, False, ["554DAW", "554DAE", "684DLH", "986DSX", "534DAW", "4020EE"], ["ecobubble", "9kg washer"]),
        ("WW80T", "EcoBubble WW80T", "8 kg washing machine", 2020, False, ["554DAW", "534DAW", "4020EE", "684DLH"], ["ecobubble", "8kg washer"]),
        ("WW11BB", "Bespoke AI WW11BB", "11 kg washing machine", 2023, False, ["944DGB", "744DGB", "504AAW"], ["bespoke ai washer", "11kg washer"]),
        ("WW10T", "QuickDrive WW10T", "10.5 kg washing machine", 2020, False, ["654DLH", "684DLN", "504AAW"], ["quickdrive"]),
        ("WW70TA", "WW70TA Slim", "7 kg washing machine", 2021, False, ["046AE", "046TE", "026AX"], ["slim washer", "7kg washer"]),
        ("WW90K", "AddWash WW90K", "9 kg washing machine", 2017, True, ["6414QW", "5410UW", "44205W"], ["addwash"]),
        ("WD90T", "WD90T Washer Dryer", "9+6 kg washer dryer", 2020, False, ["654DBH", "534DBW", "984DSH"], ["washer dryer", "combo washer"]),
    ]),
    "dryer": ("slash", [
        ("DV90T", "OptimalDry DV90T", "9 kg heat pump dryer", 2020, False, ["5240AW", "5240AE", "6240HH", "8240SH"], ["heat pump dryer"]),
        ("DV80T", "OptimalDry DV80T", "8 kg heat pump dryer", 2020, False, ["5240AW", "5240AE", "6240HH"], ["heat pump dryer"]),
        ("DV90BB", "Bespoke AI DV90BB", "9 kg heat pump dryer", 2023, False, ["9445GH", "7445GE", "5245AW"], ["bespoke dryer"]),
        ("DV80M", "DV80M Condenser", "8 kg condenser dryer", 2017, True, ["5010QW", "50101W"], ["condenser dryer"]),
        ("DV90CG", "DV90CG Gas", "9 kg gas dryer", 2023, False, ["7400AW", "7400AE"], ["gas dryer"]),
    ]),
    "dishwasher": ("slash", [
        ("DW60R", "DW60R Freestanding", "60 cm freestanding dishwasher", 2019, False, ["7050FS", "7050FW", "7070FS", "6060FS"], ["freestanding dishwasher"]),
        ("DW60A", "DW60A Integrated", "60 cm fully integrated dishwasher", 2021, False, ["6092BB", "8070BB", "6082BB"], ["integrated dishwasher"]),
        ("DW50T", "DW50T Slimline", "45 cm slimline dishwasher", 2020, False, ["6060FS", "6060FW", "4020FW"], ["slimline dishwasher"]),
        ("DW60BG", "Bespoke DW60BG", "60 cm dishwasher with AutoRelease", 2023, False, ["730FSEU", "750B00", "830I00"], ["bespoke dishwasher"]),
        ("DW60M", "DW60M Freestanding", "60 cm freestanding dishwasher", 2017, True, ["6050FS", "5050FW"], []),
    ]),
    "oven": ("slash", [
        ("NV7B4", "Series 4 NV7B4", "built-in electric oven, 76 l", 2022, False, ["040VBS", "140VBB", "145VAS", "355VAK"], ["series 4 oven"]),
        ("NV7B5", "Series 5 Dual Cook", "built-in oven with Dual Cook, 76 l", 2022, False, ["645TAK", "740TAS", "755SAS"], ["dual cook"]),
        ("NV7B6", "Series 6 Steam", "built-in oven with steam assist", 2022, False, ["685AAK", "795JAK", "675CAS"], ["steam oven"]),
        ("NQ5B4", "NQ5B4 Compact", "45 cm compact combination oven", 2022, False, ["553FBK", "513GBK"], ["compact oven"]),
        ("NX32R", "NX32R Range Cooker", "range cooker with gas hob", 2019, True, ["5700SS", "3100SW"], ["range cooker"]),
    ]),
    "microwave": ("slash", [
        ("MS23K", "MS23K Solo", "23 l solo microwave", 2017, False, ["3515AS", "3513AW", "3515AK", "3614AW"], ["solo microwave"]),
        ("MG23K", "MG23K Grill", "23 l microwave with grill", 2017, False, ["3515AS", "3575AK", "3513AW"], ["grill microwave"]),
        ("MC28M", "MC28M Combi", "28 l combination microwave", 2018, False, ["6055CK", "6035CS", "6075CS"], ["combi microwave"]),
        ("MS28F", "MS28F Built-in", "28 l built-in microwave", 2023, False, ["303TAS", "305TFS"], ["built-in microwave"]),
        ("MC32K", "MC32K Smart Oven", "32 l smart oven microwave", 2016, True, ["7055CT", "7085KT"], ["smart oven"]),
    ]),
    "vacuum": ("slash", [
        ("VS20T", "Jet 75", "cordless stick vacuum", 2020, False, ["7536T5", "7532T1", "7533T5"], ["jet 75", "stick vacuum"]),
        ("VS20A", "Jet 90", "cordless stick vacuum", 2021, False, ["95973B", "95943B", "95923W"], ["jet 90", "stick vacuum"]),
        ("VS28C", "Bespoke Jet AI", "cordless stick vacuum with clean station", 2023, False, ["9784QK", "9764QH", "9744QK"], ["bespoke jet", "clean station"]),
        ("VR30T", "Jet Bot AI+", "robot vacuum with clean station", 2021, False, ["80313W", "85513W"], ["jet bot", "robot vacuum"]),
        ("VR50T", "Jet Bot+", "robot vacuum", 2020, False, ["95735W", "96535W", "95935W"], ["jet bot", "robot vacuum"]),
        ("VC07M", "VC07M Cylinder", "bagless cylinder vacuum", 2017, True, ["2110SB", "3110VB", "25F0WR"], ["cylinder vacuum"]),
    ]),
    "air-conditioner": ("slash", [
        ("AR09A", "WindFree Comfort 2.5 kW", "split air conditioner, 2.5 kW", 2021, False, ["XKAAWK", "XKCAWK", "XFPKWKN"], ["windfree", "split ac"]),
        ("AR12A", "WindFree Comfort 3.5 kW", "split air conditioner, 3.5 kW", 2021, False, ["XKAAWK", "XKCAWK", "XFPKWKN"], ["windfree", "split ac"]),
        ("AR18A", "WindFree Comfort 5.0 kW", "split air conditioner, 5.0 kW", 2021, False, ["XKAAWK", "XKCAWK"], ["windfree"]),
        ("AR12T", "AR35 Standard 3.5 kW", "split air conditioner, 3.5 kW", 2020, False, ["XFYAWK", "XHQASI", "XSAAWK"], ["split ac"]),
        ("AJ080T", "FJM Multi-Split", "multi-split outdoor unit, 8.0 kW", 2020, False, ["XAJDEG", "XJ5BEG"], ["multi split"]),
        ("AW07A", "Portable AW07A", "portable air conditioner", 2021, False, ["P1CWK", "P1CWE"], ["portable ac"]),
    ]),
    "phone": ("dash_sku", [
        ("NP-S92", "Vega S24", "smartphone", 2024, False, ["1B", "1BD", "6B", "8B"], ["vega s24", "s24"]),
        ("NP-S91", "Vega S23", "smartphone", 2023, False, ["1B", "1BD", "6B", "8B"], ["vega s23", "s23"]),
        ("NP-A55", "Vega A55", "smartphone", 2024, False, ["6B", "6BD", "6E"], ["vega a55", "a55"]),
        ("NP-A35", "Vega A35", "smartphone", 2024, False, ["6B", "6BD"], ["vega a35", "a35"]),
        ("NP-A25", "Vega A25", "smartphone", 2023, False, ["6B", "6BD", "6G"], ["vega a25", "a25"]),
        ("NP-F94", "Vega Fold 6", "foldable smartphone", 2024, False, ["6B", "6BD"], ["fold 6", "vega fold"]),
        ("NP-F74", "Vega Flip 6", "foldable smartphone", 2024, False, ["1B", "1BD"], ["flip 6", "vega flip"]),
        ("NP-G99", "Vega G9 Rugged", "rugged smartphone", 2022, False, ["1B", "1BE"], ["rugged phone", "g9"]),
        ("NP-A52", "Vega A52", "smartphone", 2021, True, ["6B", "6BD"], ["vega a52", "a52"]),
    ]),
    "tablet": ("dash_sku", [
        ("NT-X91", "Tab S9", "tablet", 2023, False, ["0", "6B", "0N", "6N"], ["tab s9"]),
        ("NT-X71", "Tab S9 FE", "tablet", 2023, False, ["0", "6B", "0N", "6N"], ["tab s9 fe"]),
        ("NT-X21", "Tab A9+", "tablet", 2023, False, ["0", "6B", "6N"], ["tab a9", "tab a9 plus"]),
        ("NT-X11", "Tab A9", "8.7-inch tablet", 2023, False, ["0", "5B"], ["tab a9"]),
        ("NT-T50", "Tab A7", "tablet", 2020, True, ["0", "5"], ["tab a7"]),
    ]),
    "watch": ("dash_sku", [
        ("NW-L70", "Watch Ultra", "smartwatch", 2024, False, ["5", "5F"], ["watch ultra"]),
        ("NW-L30", "Watch 7 40 mm", "smartwatch", 2024, False, ["0", "5"], ["watch 7"]),
        ("NW-L31", "Watch 7 44 mm", "smartwatch", 2024, False, ["0", "5"], ["watch 7"]),
        ("NW-R93", "Watch 6 Classic", "smartwatch", 2023, False, ["0", "5", "5F"], ["watch 6 classic"]),
        ("NW-R86", "Watch 5", "smartwatch", 2022, False, ["0", "5", "5F"], ["watch 5"]),
        ("NW-R36", "Fit3", "fitness band", 2024, False, ["0", "0B"], ["fit 3", "fitness band"]),
    ]),
    "earbuds": ("dash_sku", [
        ("NB-R53", "Buds3 Pro", "true wireless earbuds", 2024, False, ["0", "0W"], ["buds 3 pro", "buds3 pro"]),
        ("NB-R51", "Buds2 Pro", "true wireless earbuds", 2022, False, ["0", "0W", "0P"], ["buds 2 pro", "buds2 pro"]),
        ("NB-R40", "Buds FE", "true wireless earbuds", 2023, False, ["0", "0W"], ["buds fe"]),
        ("NB-R17", "Buds2", "true wireless earbuds", 2021, False, ["7", "7W", "7P"], ["buds 2"]),
        ("NB-R18", "Buds Live", "true wireless earbuds", 2020, True, ["0", "0W"], ["buds live", "bean buds"]),
    ]),
    "monitor": ("plain", [
        ("LS27C3", "Essential S3 27\"", "27-inch FHD monitor", 2023, False, ["90EAU", "10EAU", "36EAU", "30EAU"], ["essential monitor"]),
        ("LS32C7", "Smart Monitor M7 32\"", "32-inch 4K smart monitor", 2023, False, ["03EAU", "00EAU", "50EAU"], ["smart monitor", "m7"]),
        ("LS49C9", "Odyssey G9 49\"", "49-inch curved gaming monitor", 2023, False, ["54UU", "50SU", "34UU"], ["odyssey g9", "super ultrawide"]),
        ("LS27AG5", "Odyssey G5 27\"", "27-inch QHD gaming monitor", 2021, False, ["00UU", "20UU", "50UU"], ["odyssey g5"]),
        ("LS24R3", "S24R350 24\"", "24-inch FHD monitor", 2019, True, ["50FHU", "56FHU"], []),
        ("LS34C5", "ViewFinity S5 34\"", "34-inch ultrawide monitor", 2023, False, ["00UU", "02UU"], ["viewfinity"]),
    ]),
    "laptop": ("dash_sku", [
        ("NL-960XG", "Book4 Pro 16", "16-inch laptop", 2024, False, ["K", "KA", "KB"], ["book4 pro"]),
        ("NL-940XG", "Book4 Pro 14", "14-inch laptop", 2024, False, ["K", "KA"], ["book4 pro"]),
        ("NL-750XG", "Book4 15", "15.6-inch laptop", 2024, False, ["K", "KA", "KB", "KD"], ["book4"]),
        ("NL-750XF", "Book3 15", "15.6-inch laptop", 2023, False, ["K", "KA", "KB"], ["book3"]),
        ("NL-960QG", "Book4 360", "15.6-inch convertible laptop", 2024, False, ["K", "KA"], ["book4 360", "2 in 1 laptop"]),
        ("NL-550XD", "Book2 15", "15.6-inch laptop", 2022, True, ["A", "B"], ["book2"]),
    ]),
    "printer": ("dash_sku", [
        ("NPR-M20", "Xpress M2070 Mono MFP", "mono laser multifunction printer", 2019, False, ["70W", "70FW", "26W"], ["mono laser"]),
        ("NPR-C48", "Xpress C480 Colour MFP", "colour laser multifunction printer", 2019, False, ["0W", "0FW", "3W"], ["colour laser"]),
        ("NPR-M30", "ProXpress M3015", "mono laser printer", 2020, False, ["15DW", "20ND", "25DW"], ["proxpress"]),
        ("NPR-C30", "ProXpress C3010", "colour laser printer", 2020, False, ["10ND", "60FW"], ["proxpress colour"]),
        ("NPR-M20E", "Xpress M2020 Mono", "mono laser printer", 2017, True, ["W", ""], []),
    ]),
}

# category tree: group -> categories, with display names
CATEGORY_TREE = {
    "tv-audio": ("TV & audio", {"tv": "TVs", "soundbar": "Soundbars and speakers", "projector": "Projectors"}),
    "home-appliances": ("Home appliances", {
        "refrigerator": "Refrigerators and freezers", "washing-machine": "Washing machines and washer dryers",
        "dryer": "Tumble dryers", "dishwasher": "Dishwashers", "oven": "Ovens and range cookers",
        "microwave": "Microwaves", "vacuum": "Vacuum cleaners", "air-conditioner": "Air conditioners"}),
    "mobile": ("Phones and wearables", {"phone": "Smartphones", "tablet": "Tablets", "watch": "Smartwatches and bands",
                                        "earbuds": "Earbuds"}),
    "it": ("IT", {"monitor": "Monitors", "laptop": "Laptops", "printer": "Printers"}),
}

# colour finishes sold as separate model codes: (code suffix, colour name); "" is the base finish
FINISHES = {
    "mobile": [("ZK", "black"), ("ZS", "silver"), ("ZV", "violet"), ("ZG", "green")],
    "laptop": [("ZA", "graphite"), ("ZS", "silver")],
    "tv": [("", None)],
    "other": [("", None), ("B", "black")],
}
MOBILE = {"phone", "tablet", "watch", "earbuds"}

REGIONS = {"tv": ["ATXXH", "ATXXU", "ATXZG"], "slash": ["/S6", "/EO", "/EU"], "dash": ["/ZG", "/XE", "/EN"],
           "dash_sku": ["/DS", "/EU"], "plain": ["XEN", "XEU"]}


def products():
    """Yield one catalog entry per model, in a stable order."""
    for category, (style, families) in FAMILIES.items():
        for fam, series, noun, year, eol, variants, aliases in families:
            finishes = FINISHES["mobile" if category in MOBILE else category if category in FINISHES else "other"]
            for variant, (finish, colour) in ((v, f) for v in variants for f in finishes):
                code = fam + variant + finish
                name = f"{BRAND} {series} {noun}"
                if category == "tv":
                    name = f"{BRAND} {series} {variant}\" {noun}"
                if colour:
                    name += f", {colour}"
                entry = {
                    "code": code,
                    "name": name,
                    "category": category,
                    "family": fam,
                    "aliases": list(aliases),
                    "launch_year": year,
                    "status": "end-of-life" if eol else "active",
                    "skus": [code + suffix for suffix in REGIONS[style if style in REGIONS else "slash"]],
                }
                yield entry


def main():
    """Print the catalog YAML to stdout."""
    items = list(products())
    codes = [p["code"] for p in items]
    assert len(codes) == len(set(codes)), "duplicate model codes"
    families = [
        {"code": fam, "series": series, "category": cat, "description": noun, "launch_year": year,
         "status": "end-of-life" if eol else "active"}
        for cat, (_, fams) in FAMILIES.items() for fam, series, noun, year, eol, _v, _a in fams
    ]
    doc = {"brand": BRAND, "families": families, "products": items}
    sys.stdout.write("# Generated by scripts/gen_catalog.py from its family table; edit the table, not this file.\n")
    yaml.safe_dump(doc, sys.stdout, sort_keys=False, allow_unicode=True, width=120)
    sys.stderr.write(f"{len(items)} products, {len(families)} families\n")


if __name__ == "__main__":
    main()
