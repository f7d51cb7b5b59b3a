"""The papers behind the mechanism blocks (registered here, next to the blocks that cite them)."""

from __future__ import annotations

from irsim.citations import Citation, register

for _key, _authors, _year, _title, _journal, _doi in (
    ("Considine1996", "Considine RV, Sinha MK, Heiman ML, et al.", 1996,
     "Serum immunoreactive-leptin concentrations in normal-weight and obese humans", "N Engl J Med 334:292-295",
     "10.1056/NEJM199602013340503"),
    ("Kern2003", "Kern PA, Di Gregorio GB, Lu T, Rassouli N, Ranganathan G", 2003,
     "Adiponectin expression from human adipose tissue: relation to obesity, insulin resistance, and tumor necrosis "
     "factor-alpha expression", "Diabetes 52:1779-1785", "10.2337/diabetes.52.7.1779"),
    ("Kern2001", "Kern PA, Ranganathan S, Li C, Wood L, Ranganathan G", 2001,
     "Adipose tissue tumor necrosis factor and interleukin-6 expression in human obesity and insulin resistance",
     "Am J Physiol Endocrinol Metab 280:E745-E751", "10.1152/ajpendo.2001.280.5.E745"),
    ("Miyazaki2003", "Miyazaki Y, Pipek R, Mandarino LJ, DeFronzo RA", 2003,
     "Tumor necrosis factor alpha and insulin resistance in obese type 2 diabetic patients", "Int J Obes 27:88-94",
     "10.1038/sj.ijo.0802187"),
    ("Karpe2011", "Karpe F, Dickmann JR, Frayn KN", 2011,
     "Fatty acids, obesity, and insulin resistance: time for a reevaluation", "Diabetes 60:2441-2449",
     "10.2337/db11-0425"),
    ("MartinJensen1991", "Martin ML, Jensen MD", 1991, "Effects of body fat distribution on regional lipolysis in "
     "obesity", "J Clin Invest 88:609-613", "10.1172/JCI115345"),
    ("Conte2012", "Conte C, Fabbrini E, Kars M, Mittendorfer B, Patterson BW, Klein S", 2012,
     "Multiorgan insulin sensitivity in lean and obese subjects", "Diabetes Care 35:1316-1321", "10.2337/dc11-1951"),
    ("Petersen2003", "Petersen KF, Befroy D, Dufour S, et al.", 2003,
     "Mitochondrial dysfunction in the elderly: possible role in insulin resistance", "Science 300:1140-1142",
     "10.1126/science.1082889"),
    ("Petersen2004", "Petersen KF, Dufour S, Befroy D, Garcia R, Shulman GI", 2004,
     "Impaired mitochondrial activity in the insulin-resistant offspring of patients with type 2 diabetes",
     "N Engl J Med 350:664-671", "10.1056/NEJMoa031314"),
    ("Toledo2007", "Toledo FGS, Menshikova EV, Ritov VB, et al.", 2007,
     "Effects of physical activity and weight loss on skeletal muscle mitochondria and relationship with glucose "
     "control in type 2 diabetes", "Diabetes 56:2142-2147", "10.2337/db07-0141"),
    ("Yamauchi2002", "Yamauchi T, Kamon J, Minokoshi Y, et al.", 2002,
     "Adiponectin stimulates glucose utilization and fatty-acid oxidation by activating AMP-activated protein kinase",
     "Nat Med 8:1288-1295", "10.1038/nm788"),
    ("Hotamisligil2006", "Hotamisligil GS", 2006, "Inflammation and metabolic disorders", "Nature 444:860-867",
     "10.1038/nature05485"),
    ("Vandanmagsar2011", "Vandanmagsar B, Youm YH, Ravussin A, et al.", 2011,
     "The NLRP3 inflammasome instigates obesity-induced inflammation and insulin resistance", "Nat Med 17:179-188",
     "10.1038/nm.2279"),
    ("Itani2002", "Itani SI, Ruderman NB, Schmieder F, Boden G", 2002,
     "Lipid-induced insulin resistance in human muscle is associated with changes in diacylglycerol, protein kinase C, "
     "and IkappaB-alpha", "Diabetes 51:2005-2011", "10.2337/diabetes.51.7.2005"),
    ("Kopp2003", "Kopp HP, Kopp CW, Festa A, et al.", 2003,
     "Impact of weight loss on inflammatory proteins and their association with the insulin resistance syndrome in "
     "morbidly obese patients", "Arterioscler Thromb Vasc Biol 23:1042-1047", "10.1161/01.ATV.0000073313.16135.21"),
    ("Shulman2014", "Shulman GI", 2014, "Ectopic fat in insulin resistance, dyslipidemia, and cardiometabolic disease",
     "N Engl J Med 371:1131-1141", "10.1056/NEJMra1011035"),
    ("Bergman2012", "Bergman BC, Hunerdosse DM, Kerege A, Playdon MC, Perreault L", 2012,
     "Localisation and composition of skeletal muscle diacylglycerol predicts insulin resistance in humans",
     "Diabetologia 55:1140-1150", "10.1007/s00125-011-2419-7"),
    ("Holland2011", "Holland WL, Miller RA, Wang ZV, et al.", 2011,
     "Receptor-mediated activation of ceramidase activity initiates the pleiotropic actions of adiponectin",
     "Nat Med 17:55-63", "10.1038/nm.2277"),
    ("Kumashiro2011", "Kumashiro N, Erion DM, Zhang D, et al.", 2011,
     "Cellular mechanism of insulin resistance in nonalcoholic fatty liver disease",
     "Proc Natl Acad Sci USA 108:16381-16385", "10.1073/pnas.1113359108"),
    ("Um2004", "Um SH, Frigerio F, Watanabe M, et al.", 2004,
     "Absence of S6K1 protects against age- and diet-induced obesity while enhancing insulin sensitivity",
     "Nature 431:200-205", "10.1038/nature02866"),
    ("Gastaldelli2000", "Gastaldelli A, Baldi S, Pettiti M, et al.", 2000,
     "Influence of obesity and type 2 diabetes on gluconeogenesis and glucose output in humans: a quantitative study",
     "Diabetes 49:1367-1373", "10.2337/diabetes.49.8.1367"),
    ("Samuel2010", "Samuel VT, Petersen KF, Shulman GI", 2010, "Lipid-induced insulin resistance: unravelling the "
     "mechanism", "Lancet 375:2267-2277", "10.1016/S0140-6736(10)60408-4"),
    ("Kotronen2008", "Kotronen A, Juurinen L, Tiikkainen M, Vehkavaara S, Yki-Järvinen H", 2008,
     "Increased liver fat, impaired insulin clearance, and hepatic and adipose tissue insulin resistance in type 2 "
     "diabetes", "Gastroenterology 135:122-130", "10.1053/j.gastro.2008.03.021"),
    ("Rizza1981", "Rizza RA, Mandarino LJ, Gerich JE", 1981, "Dose-response characteristics for effects of insulin "
     "on production and utilization of glucose in man", "Am J Physiol 240:E630-E639",
     "10.1152/ajpendo.1981.240.6.E630"),
    ("Butler2003", "Butler AE, Janson J, Bonner-Weir S, Ritzel R, Rizza RA, Butler PC", 2003,
     "Beta-cell deficit and increased beta-cell apoptosis in humans with type 2 diabetes", "Diabetes 52:102-110",
     "10.2337/diabetes.52.1.102"),
):
    register(Citation(_key, _authors, _year, _title, _journal, _doi))
