"""Short made-up word lists for the sample data.

Names are built by pairing a common given name with a common surname at random:
they are not people. Places are generic or facility names used as locations.
"""
from __future__ import annotations

SURNAMES = (
    "ADAMS", "ALLEN", "BAKER", "BELL", "BROOKS", "CAMPBELL", "CARTER", "CLARK", "COLLINS",
    "COOK", "COOPER", "CRUZ", "DAVIS", "DIAZ", "EDWARDS", "EVANS", "FLORES", "FOSTER",
    "GARCIA", "GOMEZ", "GRAY", "GREEN", "HALL", "HARRIS", "HILL", "HOWARD", "HUGHES",
    "JACKSON", "JAMES", "JOHNSON", "KELLY", "KING", "LEE", "LEWIS", "LONG", "LOPEZ",
    "MARTIN", "MILLER", "MOORE", "MORGAN", "MORRIS", "MURPHY", "NELSON", "ORTIZ",
    "PARKER", "PEREZ", "PRICE", "REED", "REYES", "RIVERA", "ROBERTS", "ROSS", "SANCHEZ",
    "SCOTT", "SMITH", "STEWART", "TAYLOR", "THOMAS", "TORRES", "TURNER", "WALKER",
    "WARD", "WATSON", "WHITE", "WILSON", "WOOD", "WRIGHT", "YOUNG",
)

GIVEN_NAMES = (
    "AARON", "ADAM", "ALEX", "ANDRE", "ANTHONY", "BRANDON", "BRIAN", "CARLOS", "CHRIS",
    "DANIEL", "DAVID", "DEREK", "EDDIE", "ERIC", "FRANK", "GARY", "GEORGE", "HECTOR",
    "ISAAC", "JAMAL", "JASON", "JEFFREY", "JESUS", "JOHN", "JORGE", "JOSE", "JUAN",
    "JUSTIN", "KEITH", "KEVIN", "LARRY", "LUIS", "MARCUS", "MARIO", "MARK", "MICHAEL",
    "NATHAN", "OSCAR", "PAUL", "PEDRO", "RAFAEL", "RAYMOND", "RICARDO", "ROBERT", "RYAN",
    "SAMUEL", "SEAN", "STEVEN", "TERRY", "THOMAS", "TIMOTHY", "TRAVIS", "TYRONE",
    "VICTOR", "WAYNE", "WILLIAM", "XAVIER", "ZACHARY",
)

# Case managers are shown as an initial and a surname from the same made-up pairing.
INITIALS = "ABCDEGHJKLMNPRSTW"

# Three-digit suffixes of register numbers (the sentencing district's code).
DISTRICT_CODES = (
    "004", "017", "018", "019", "021", "027", "039", "041", "043", "054", "069", "074",
    "104", "112", "171", "179", "180", "196", "298", "379", "509",
)
SENTENCING_DISTRICTS = (
    "N.D. GA", "M.D. GA", "S.D. GA", "N.D. FL", "M.D. FL", "S.D. FL", "N.D. AL",
    "M.D. AL", "S.D. AL", "E.D. TN", "W.D. NC", "D. SC", "E.D. LA", "S.D. MS",
)
HOLDOVER_LOCATIONS = ("FTC OKLAHOMA CITY", "FDC MIAMI", "MDC GUAYNABO", "USMS HOLDOVER", "COUNTY JAIL")
RELEASE_METHODS = ("GCT REL", "GCT REL", "GCT REL", "FT REL", "FSA REL")
CIM_CATEGORIES = ("SEPARATION", "BROADCAST NOTORIETY", "SPECIAL SUPERVISION", "THREATS TO GOVERNMENT OFFICIALS")
