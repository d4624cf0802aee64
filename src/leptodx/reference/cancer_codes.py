"""Cancer diagnoses as EHRs code them, mapped to LeptoDx's ``primary_tumour`` (``interop.md``
§IO-2, §IO-2a).

mCODE's rules (§IO-2a, VERIFIED): a primary cancer is a SNOMED CT disorder under 363346000
|Malignant neoplastic disease| but not under 128462008 |Secondary malignant neoplastic disease|;
when the code does not pre-coordinate the site, the site is ``Condition.bodySite``; ICD-10-CM
primary-malignant codes are allowed; with ICD-O-3 the disorder code is 363346000 and site and
morphology come from ICD-O-3, whose behaviour digit is /1, /2 or /3 for primary and /6 for
secondary cancers. LeptoDx does not ship the SNOMED CT release, so hierarchy membership cannot be
computed: the concepts below are listed one by one, each with the source that shows it.

Every row carries a :class:`~leptodx.reference.citation.Source` whose status is that of the code's
meaning as seen there (the pack's own rows are VERIFIED; codes seen in HL7 IG source files, CodeX,
NFDI4Health, Synthea or SEER material are SECONDARY; codes seen only in unnamed public code are
RECONSTRUCTED). The grouping into LeptoDx primary categories is LeptoDx's (``docs/interop.md``).
Check every code against the official releases before production (``interop.md`` header).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leptodx.reference.citation import Source, Status
from leptodx.reference.fhir_codes import ICD10, ICD10CM, SNOMED

__all__ = ["ICD10", "ICD10CM", "SNOMED"]  # re-exported: the code systems of this table

ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
MCODE_PRIMARY_PROFILE = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"
)
MCODE_SECONDARY_PROFILE = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"
)
MCODE_HISTOLOGY_EXTENSION = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
)

_NOT_IN_PACK = "not in the reference pack"
MCODE_RULES = Source("mCODE-STU1", "HL7 mCODE STU1 primary-or-uncertain-behavior cancer disorder value set and histology-morphology-behavior value set (value-set rules, ICD-O-3 behaviour /1–/3 primary, /6 secondary)", "interop.md §IO-2a", Status.VERIFIED, "https://hl7.org/fhir/us/mcode/STU1/ValueSet-mcode-primary-or-uncertain-behavior-cancer-disorder-vs.html")  # fmt: skip
MCODE_SECONDARY = Source("mCODE-secondary-VS", "HL7 mCODE secondary cancer disorder value set (SNOMED CT 128462008 and descendants)", "interop.md §IO-2", Status.VERIFIED, "https://hl7.org/fhir/us/mcode/STU2/ValueSet-mcode-secondary-cancer-disorder-vs.html")  # fmt: skip
MCODE_BREAST_EXAMPLE = Source("mCODE-STU3-breast", "HL7 mCODE STU3 example primary-cancer-condition-breast (363346000 with bodySite 80248007, histology 77284006)", "interop.md §IO-2a", Status.VERIFIED, "https://hl7.org/fhir/us/mcode/STU3/Condition-primary-cancer-condition-breast.html")  # fmt: skip
MCODE_VALUE_SETS = Source("mCODE-IG-VS", "HL7 mCODE IG source, input/fsh/VS_CancerCondition.fsh (PrimaryMalignantNeoplasmDisorderVS lists ICD-10-CM C00–C96 codes with displays; SecondaryCancerDisorderVS C77–C79, C7B; CarcinomaInSituDisorderVS D00–D09), HL7/fhir-mCODE-ig commit 543477b5", _NOT_IN_PACK, Status.SECONDARY, "https://hl7.org/fhir/us/mcode/ValueSet-mcode-primary-malignant-neoplasm-disorder-vs.html")  # fmt: skip
MCODE_EXAMPLES = Source("mCODE-IG-examples", "HL7 mCODE IG source examples and TG263 concept map (SNOMED CT disorders and body structures), HL7/fhir-mCODE-ig commit 543477b5, input/fsh", _NOT_IN_PACK, Status.SECONDARY, "https://github.com/HL7/fhir-mCODE-ig")  # fmt: skip
CODEX_ONCOTREE = Source("CodeX-OncoTree-VS", "CodeX (MITRE) OncoTree value set: broad types of primary malignant neoplastic disease as SNOMED CT concepts, standardhealth/fsh-pct fsh/pctVS.fsh", _NOT_IN_PACK, Status.SECONDARY, "https://github.com/standardhealth/fsh-pct")  # fmt: skip
NFDI4HEALTH = Source("NFDI4Health-VS", "NFDI4Health metadata schema value set 'common chronic disease name' (SNOMED CT), BIH-CEI/nfdi4health-metadataschema", _NOT_IN_PACK, Status.SECONDARY, "https://github.com/BIH-CEI/nfdi4health-metadataschema")  # fmt: skip
SYNTHEA = Source("Synthea-modules", "Synthea lung cancer and colorectal cancer modules (SNOMED CT condition codes), synthetichealth/synthea", _NOT_IN_PACK, Status.SECONDARY, "https://github.com/synthetichealth/synthea")  # fmt: skip
PUBLIC_CODE = Source("public-code-only", "Seen only in unnamed public FHIR code; not confirmed in a terminology source", _NOT_IN_PACK, Status.RECONSTRUCTED)  # fmt: skip
WHO_ICD10 = Source("WHO-ICD-10-2019", "WHO ICD-10 (2019) chapter II: C80.0 'primary site unknown, so stated', C80.9 'unspecified', C97 'independent (primary) multiple sites' (not consulted for this table)", _NOT_IN_PACK, Status.RECONSTRUCTED, "https://icd.who.int/browse10/2019/en#/II")  # fmt: skip
ICDO3_TOPOGRAPHY_SOURCE = Source("ICD-O-3-topography", "WHO ICD-O-3 topography (C00–C80 follows the ICD-10 malignant-neoplasm sites; C42 haematopoietic and reticuloendothelial systems, C77 lymph nodes, C80.9 unknown primary site) (not consulted for this table)", _NOT_IN_PACK, Status.RECONSTRUCTED, "https://www.who.int/standards/classifications/other-classifications/international-classification-of-diseases-for-oncology")  # fmt: skip
SEER_HISTOLOGY = Source("SEER-histology-groupings", "SEER 'Histology recode – broad groupings' of ICD-O-3 (8720–8799 nevi and melanomas, 9380–9489 gliomas, 9590–9599 and 9650–9729 lymphomas, 9730–9769 plasma cell, mast cell, histiocytic and immunoproliferative, 9800–9949 leukaemias, 9950–9989 myeloproliferative and myelodysplastic), seen in a public copy of the SEER data dictionary", _NOT_IN_PACK, Status.SECONDARY, "https://seer.cancer.gov/icd-o-3/")  # fmt: skip


class CancerKind(StrEnum):
    """What a cancer code says about the patient."""

    PRIMARY = "primary"
    """A primary malignant neoplasm (a known cancer; its category may be given)."""
    GENERIC = "generic"
    """363346000: a malignant neoplasm whose site and morphology are coded elsewhere."""
    SECONDARY = "secondary"
    """A secondary (metastatic) malignant neoplasm: a known cancer, primary not stated."""
    IN_SITU = "in_situ"
    """Carcinoma or melanoma in situ: not an invasive cancer."""
    UNCERTAIN = "uncertain"
    """Uncertain or unknown behaviour: not a known cancer."""


@dataclass(frozen=True, slots=True)
class CancerCode:
    """One coded concept (a disorder, body structure or morphology) and what LeptoDx reads from it.

    ``primary`` is a LeptoDx primary category (``eano_esmo.SOLID_PRIMARIES`` or
    ``OUT_OF_SCOPE_PRIMARIES``) or None when the code does not say.
    """

    code: str
    display: str
    kind: CancerKind
    primary: str | None
    source: Source

    @property
    def status(self) -> Status:
        return self.source.status


@dataclass(frozen=True, slots=True)
class CodeRange:
    """A range of codes compared as text (ICD-10 three-character categories, ICD-O-3 histology)."""

    first: str
    last: str
    display: str
    kind: CancerKind
    primary: str | None
    source: Source

    def covers(self, key: str) -> bool:
        return len(key) == len(self.first) and self.first <= key <= self.last

    @property
    def status(self) -> Status:
        return self.source.status


P, G, S, IS = CancerKind.PRIMARY, CancerKind.GENERIC, CancerKind.SECONDARY, CancerKind.IN_SITU

SNOMED_DISORDERS: dict[str, CancerCode] = {c.code: c for c in (
    CancerCode("363346000", "Malignant neoplastic disease (disorder)", G, None, MCODE_RULES),
    CancerCode("128462008", "Secondary malignant neoplastic disease (disorder)", S, None, MCODE_SECONDARY),
    CancerCode("94225005", "Secondary malignant neoplasm of brain", S, None, MCODE_EXAMPLES),
    CancerCode("254837009", "Malignant neoplasm of breast (disorder)", P, "breast", MCODE_EXAMPLES),
    CancerCode("372137005", "Primary malignant neoplasm of breast (disorder)", P, "breast", CODEX_ONCOTREE),
    CancerCode("353431000119107", "Primary malignant neoplasm of female left breast (disorder)", P, "breast", MCODE_EXAMPLES),
    CancerCode("93880001", "Primary malignant neoplasm of lung (disorder)", P, "lung", CODEX_ONCOTREE),
    CancerCode("254637007", "Non-small cell lung cancer (disorder)", P, "lung", MCODE_EXAMPLES),
    CancerCode("254632001", "Small cell carcinoma of lung (disorder)", P, "lung", SYNTHEA),
    CancerCode("363358000", "Malignant tumor of lung (disorder)", P, "lung", PUBLIC_CODE),
    CancerCode("93655004", "Malignant melanoma of skin (disorder)", P, "melanoma", NFDI4HEALTH),
    CancerCode("372244006", "Malignant melanoma (disorder)", P, "melanoma", PUBLIC_CODE),
    CancerCode("363406005", "Malignant tumor of colon (disorder)", P, "gastrointestinal", SYNTHEA),
    CancerCode("93854002", "Primary malignant neoplasm of large intestine (disorder)", P, "gastrointestinal", NFDI4HEALTH),
    CancerCode("371984007", "Primary malignant neoplasm of esophagus (disorder)", P, "gastrointestinal", CODEX_ONCOTREE),
    CancerCode("372014001", "Primary malignant neoplasm of stomach (disorder)", P, "gastrointestinal", CODEX_ONCOTREE),
    CancerCode("372003004", "Primary malignant neoplasm of pancreas (disorder)", P, "gastrointestinal", CODEX_ONCOTREE),
    CancerCode("363418001", "Malignant tumor of pancreas (disorder)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("95214007", "Primary malignant neoplasm of liver (disorder)", P, "gastrointestinal", CODEX_ONCOTREE),
    CancerCode("371970002", "Primary malignant neoplasm of biliary tract (disorder)", P, "gastrointestinal", CODEX_ONCOTREE),
    CancerCode("371967001", "Primary malignant neoplasm of ampulla of Vater (disorder)", P, "gastrointestinal", CODEX_ONCOTREE),
    CancerCode("93934004", "Primary malignant neoplasm of ovary (disorder)", P, "gynaecological", CODEX_ONCOTREE),
    CancerCode("363443007", "Malignant tumor of ovary (disorder)", P, "gynaecological", MCODE_EXAMPLES),
    CancerCode("372024009", "Primary malignant neoplasm of uterine cervix (disorder)", P, "gynaecological", CODEX_ONCOTREE),
    CancerCode("10708511000119108", "Primary malignant neoplasm of uterus (disorder)", P, "gynaecological", CODEX_ONCOTREE),
    CancerCode("371973000", "Malignant neoplasm of uterus (disorder)", P, "gynaecological", NFDI4HEALTH),
    CancerCode("371987000", "Primary malignant neoplasm of fallopian tube (disorder)", P, "gynaecological", CODEX_ONCOTREE),
    CancerCode("372025005", "Primary malignant neoplasm of vagina (disorder)", P, "gynaecological", CODEX_ONCOTREE),
    CancerCode("93974005", "Primary malignant neoplasm of prostate (disorder)", P, "genitourinary", CODEX_ONCOTREE),
    CancerCode("93849006", "Primary malignant neoplasm of kidney (disorder)", P, "genitourinary", CODEX_ONCOTREE),
    CancerCode("93689003", "Primary malignant neoplasm of bladder (disorder)", P, "genitourinary", CODEX_ONCOTREE),
    CancerCode("94087009", "Primary malignant neoplasm of testis (disorder)", P, "genitourinary", CODEX_ONCOTREE),
    CancerCode("372005006", "Primary malignant neoplasm of penis (disorder)", P, "genitourinary", CODEX_ONCOTREE),
    CancerCode("93824007", "Primary malignant neoplasm of head (disorder)", P, "head_and_neck", CODEX_ONCOTREE),
    CancerCode("93922007", "Primary malignant neoplasm of neck (disorder)", P, "head_and_neck", CODEX_ONCOTREE),
    CancerCode("271323007", "Malignant neoplasm of lip, oral cavity and/or pharynx (disorder)", P, "head_and_neck", NFDI4HEALTH),
    CancerCode("93665005", "Primary malignant neoplasm of adrenal gland (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("93725000", "Primary malignant neoplasm of bone (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("371986009", "Primary malignant neoplasm of eye (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("372016004", "Primary malignant neoplasm of the peritoneum (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("93966009", "Primary malignant neoplasm of pleura (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("94047004", "Primary malignant neoplasm of skin (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("372010005", "Primary malignant neoplasm of soft tissues (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("94096009", "Primary malignant neoplasm of thymus (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("94098005", "Primary malignant neoplasm of thyroid gland (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("109918005", "Primary malignant neoplasm of peripheral nerves and peripheral autonomic nervous system (disorder)", P, "other", CODEX_ONCOTREE),
    CancerCode("93727008", "Primary malignant neoplasm of brain (disorder)", P, "primary_brain", CODEX_ONCOTREE),
    CancerCode("393563007", "Glioblastoma multiforme (disorder)", P, "primary_brain", PUBLIC_CODE),
    CancerCode("269475001", "Malignant tumor of lymphoid, hemopoietic AND/OR related tissue (disorder)", P, "haematological", CODEX_ONCOTREE),
    CancerCode("118601006", "Non-Hodgkin's lymphoma (disorder)", P, "lymphoma", NFDI4HEALTH),
    CancerCode("118600007", "Malignant lymphoma (disorder)", P, "lymphoma", PUBLIC_CODE),
    CancerCode("92814006", "Chronic lymphoid leukemia, disease (disorder)", P, "leukaemia", MCODE_EXAMPLES),
    CancerCode("277571004", "B-cell acute lymphoblastic leukemia (disorder)", P, "leukaemia", MCODE_EXAMPLES),
    CancerCode("91861009", "Acute myeloid leukemia (disorder)", P, "leukaemia", PUBLIC_CODE),
    CancerCode("93143009", "Leukemia, disease (disorder)", P, "leukaemia", PUBLIC_CODE),
    CancerCode("109989006", "Multiple myeloma (disorder)", P, "haematological", PUBLIC_CODE),
    CancerCode("109355002", "Carcinoma in situ (disorder)", IS, None, MCODE_VALUE_SETS),
    CancerCode("189758001", "Melanoma in situ (disorder)", IS, None, MCODE_VALUE_SETS),
    CancerCode("109888004", "Lobular carcinoma in situ of breast (disorder)", IS, None, MCODE_EXAMPLES),
)}  # fmt: skip
"""SNOMED CT disorders LeptoDx recognises: pre-coordinated primaries, the generic 363346000,
secondary and in-situ disorders. Any other SNOMED CT code is reported by its name, not guessed."""

SNOMED_BODY_SITES: dict[str, CancerCode] = {c.code: c for c in (
    CancerCode("80248007", "Left breast structure (body structure)", P, "breast", MCODE_BREAST_EXAMPLE),
    CancerCode("76752008", "Breast structure (body structure)", P, "breast", MCODE_EXAMPLES),
    CancerCode("73056007", "Right breast structure (body structure)", P, "breast", PUBLIC_CODE),
    CancerCode("39607008", "Lung structure (body structure)", P, "lung", MCODE_EXAMPLES),
    CancerCode("44029006", "Left lung structure (body structure)", P, "lung", MCODE_EXAMPLES),
    CancerCode("3341006", "Right lung structure (body structure)", P, "lung", PUBLIC_CODE),
    CancerCode("71854001", "Colon structure (body structure)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("34402009", "Rectum structure (body structure)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("69695003", "Stomach structure (body structure)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("32849002", "Esophageal structure (body structure)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("15776009", "Pancreatic structure (body structure)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("10200004", "Liver structure (body structure)", P, "gastrointestinal", MCODE_EXAMPLES),
    CancerCode("15497006", "Ovarian structure (body structure)", P, "gynaecological", MCODE_EXAMPLES),
    CancerCode("35039007", "Uterine structure (body structure)", P, "gynaecological", MCODE_EXAMPLES),
    CancerCode("71252005", "Cervix uteri structure (body structure)", P, "gynaecological", MCODE_EXAMPLES),
    CancerCode("45292006", "Vulval structure (body structure)", P, "gynaecological", MCODE_EXAMPLES),
    CancerCode("41216001", "Prostatic structure (body structure)", P, "genitourinary", MCODE_EXAMPLES),
    CancerCode("64033007", "Kidney structure (body structure)", P, "genitourinary", MCODE_EXAMPLES),
    CancerCode("18639004", "Left kidney structure (body structure)", P, "genitourinary", MCODE_EXAMPLES),
    CancerCode("9846003", "Right kidney structure (body structure)", P, "genitourinary", MCODE_EXAMPLES),
    CancerCode("89837001", "Urinary bladder structure (body structure)", P, "genitourinary", MCODE_EXAMPLES),
    CancerCode("40689003", "Testis structure (body structure)", P, "genitourinary", MCODE_EXAMPLES),
    CancerCode("74262004", "Oral cavity structure (body structure)", P, "head_and_neck", MCODE_EXAMPLES),
    CancerCode("21974007", "Tongue structure (body structure)", P, "head_and_neck", MCODE_EXAMPLES),
    CancerCode("71836000", "Nasopharyngeal structure (body structure)", P, "head_and_neck", MCODE_EXAMPLES),
    CancerCode("39937001", "Skin structure (body structure)", P, "other", MCODE_EXAMPLES),
    CancerCode("69748006", "Thyroid structure (body structure)", P, "other", MCODE_EXAMPLES),
    CancerCode("12738006", "Brain structure (body structure)", P, "primary_brain", MCODE_EXAMPLES),
    CancerCode("2748008", "Spinal cord structure (body structure)", P, "primary_brain", MCODE_EXAMPLES),
    CancerCode("14016003", "Bone marrow structure (body structure)", P, "haematological", MCODE_EXAMPLES),
)}  # fmt: skip
"""Primary sites in ``Condition.bodySite`` for the generic 363346000 (mCODE pattern, §IO-2a)."""

SNOMED_MORPHOLOGIES: dict[str, CancerCode] = {c.code: c for c in (
    CancerCode("77284006", "Lobular carcinoma in situ (morphologic abnormality)", IS, None, MCODE_BREAST_EXAMPLE),
    CancerCode("1187138006", "Carcinoma in situ (morphologic abnormality)", IS, None, MCODE_VALUE_SETS),
)}  # fmt: skip
"""SNOMED CT morphologies in mCODE's histology extension that change what the disorder means."""

MENINGES = CancerCode("1231004", "Meninges structure", S, None, Source("IO-2-meninges", "SNOMED CT 1231004 Meninges structure (body structure)", "interop.md §IO-2", Status.RECONSTRUCTED))  # fmt: skip
"""bodySite that makes 128462008 an LM diagnosis (IO-2: UNVERIFIED)."""

ICD10_CATEGORIES: tuple[CodeRange, ...] = (
    CodeRange("C00", "C14", "Malignant neoplasms of lip, oral cavity and pharynx", P, "head_and_neck", MCODE_VALUE_SETS),
    CodeRange("C15", "C26", "Malignant neoplasms of digestive organs", P, "gastrointestinal", MCODE_VALUE_SETS),
    CodeRange("C30", "C32", "Malignant neoplasms of nasal cavity, middle ear, accessory sinuses and larynx", P, "head_and_neck", MCODE_VALUE_SETS),
    CodeRange("C33", "C34", "Malignant neoplasms of trachea, bronchus and lung", P, "lung", MCODE_VALUE_SETS),
    CodeRange("C43", "C43", "Malignant melanoma of skin", P, "melanoma", MCODE_VALUE_SETS),
    CodeRange("C50", "C50", "Malignant neoplasm of breast", P, "breast", MCODE_VALUE_SETS),
    CodeRange("C51", "C58", "Malignant neoplasms of female genital organs", P, "gynaecological", MCODE_VALUE_SETS),
    CodeRange("C60", "C68", "Malignant neoplasms of male genital organs and urinary tract", P, "genitourinary", MCODE_VALUE_SETS),
    CodeRange("C70", "C72", "Malignant neoplasms of meninges, brain, spinal cord and other central nervous system", P, "primary_brain", MCODE_VALUE_SETS),
    CodeRange("C77", "C79", "Secondary malignant neoplasms", S, None, MCODE_VALUE_SETS),
    CodeRange("C7B", "C7B", "Secondary neuroendocrine tumours (ICD-10-CM)", S, None, MCODE_VALUE_SETS),
    CodeRange("C81", "C86", "Hodgkin and non-Hodgkin lymphomas", P, "lymphoma", MCODE_VALUE_SETS),
    CodeRange("C87", "C90", "Malignant immunoproliferative diseases (C88) and multiple myeloma (C90)", P, "haematological", MCODE_VALUE_SETS),
    CodeRange("C91", "C95", "Leukaemias", P, "leukaemia", MCODE_VALUE_SETS),
    CodeRange("C96", "C96", "Other malignant neoplasms of lymphoid, haematopoietic and related tissue", P, "haematological", MCODE_VALUE_SETS),
)  # fmt: skip
"""ICD-10 and ICD-10-CM categories in the table. Any other category C00–C97 is a recognised
malignant code outside the table: known cancer, primary ``other``, with a warning naming it."""

C80_CODES: dict[tuple[str, str], CancerCode] = {
    (ICD10, "C80.0"): CancerCode("C80.0", "Malignant neoplasm, primary site unknown, so stated", P, "unknown_primary", WHO_ICD10),
    (ICD10, "C80.9"): CancerCode("C80.9", "Malignant neoplasm, primary site unspecified", P, None, WHO_ICD10),
    (ICD10, "C97"): CancerCode("C97", "Malignant neoplasms of independent (primary) multiple sites", P, None, WHO_ICD10),
    (ICD10CM, "C80.0"): CancerCode("C80.0", "Disseminated malignant neoplasm, unspecified", P, None, MCODE_VALUE_SETS),
    (ICD10CM, "C80.1"): CancerCode("C80.1", "Malignant (primary) neoplasm, unspecified", P, None, MCODE_VALUE_SETS),
    (ICD10CM, "C80.2"): CancerCode("C80.2", "Malignant neoplasm associated with transplanted organ", P, None, MCODE_VALUE_SETS),
}  # fmt: skip
"""C80 differs between WHO ICD-10 and ICD-10-CM; only WHO C80.0 states an unknown primary."""

ICD10_IN_SITU = CodeRange("D00", "D09", "In situ neoplasms", IS, None, MCODE_VALUE_SETS)  # fmt: skip
ICD10_UNCERTAIN = CodeRange("D37", "D49", "Neoplasms of uncertain or unknown behaviour", CancerKind.UNCERTAIN, None, MCODE_VALUE_SETS)  # fmt: skip

ICDO3_TOPOGRAPHY: tuple[CodeRange, ...] = (
    CodeRange("C00", "C14", "Lip, oral cavity and pharynx", P, "head_and_neck", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C15", "C26", "Digestive organs", P, "gastrointestinal", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C30", "C32", "Nasal cavity, middle ear, accessory sinuses, larynx", P, "head_and_neck", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C33", "C34", "Trachea, bronchus and lung", P, "lung", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C42", "C42", "Haematopoietic and reticuloendothelial systems", P, "haematological", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C50", "C50", "Breast", P, "breast", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C51", "C58", "Female genital organs", P, "gynaecological", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C60", "C68", "Male genital organs and urinary tract", P, "genitourinary", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C70", "C72", "Meninges, brain, spinal cord and other parts of the central nervous system", P, "primary_brain", ICDO3_TOPOGRAPHY_SOURCE),
    CodeRange("C80", "C80", "Unknown primary site", P, "unknown_primary", ICDO3_TOPOGRAPHY_SOURCE),
)  # fmt: skip
"""ICD-O-3 topography (``Condition.bodySite``) in the table; any other C00–C77 site is ``other``
(the morphology decides melanoma, lymphoma and glioma wherever they arise)."""

ICDO3_HISTOLOGY: tuple[CodeRange, ...] = (
    CodeRange("8720", "8799", "Nevi and melanomas", P, "melanoma", SEER_HISTOLOGY),
    CodeRange("9380", "9489", "Gliomas", P, "primary_brain", SEER_HISTOLOGY),
    CodeRange("9590", "9599", "Malignant lymphomas, NOS or diffuse", P, "lymphoma", SEER_HISTOLOGY),
    CodeRange("9650", "9729", "Hodgkin and non-Hodgkin lymphomas", P, "lymphoma", SEER_HISTOLOGY),
    CodeRange("9800", "9949", "Leukaemias", P, "leukaemia", SEER_HISTOLOGY),
    CodeRange("9600", "9989", "Other haematological neoplasms (plasma cell, mast cell, histiocytic, immunoproliferative, myeloproliferative, myelodysplastic)", P, "haematological", SEER_HISTOLOGY),
)  # fmt: skip
"""ICD-O-3 histology groups that decide the category, first match wins (the last row catches the
rest of the haematological block 9590–9989). Other histologies leave the category to the site."""

ICDO3_BEHAVIOUR: dict[str, tuple[str, CancerKind]] = {
    "1": ("uncertain whether benign or malignant", CancerKind.UNCERTAIN),
    "2": ("in situ", IS),
    "3": ("malignant, primary site", P),
    "6": ("malignant, metastatic site", S),
}
"""Behaviour digits read (mCODE STU1, §IO-2a VERIFIED: /1–/3 primary-or-uncertain, /6 secondary).
/0 (benign) and /9 (primary or metastatic uncertain) are reported as not a usable cancer code."""

ALL_SOURCES: tuple[Source, ...] = (
    MCODE_RULES,
    MCODE_SECONDARY,
    MCODE_BREAST_EXAMPLE,
    MCODE_VALUE_SETS,
    MCODE_EXAMPLES,
    CODEX_ONCOTREE,
    NFDI4HEALTH,
    SYNTHEA,
    PUBLIC_CODE,
    WHO_ICD10,
    ICDO3_TOPOGRAPHY_SOURCE,
    SEER_HISTOLOGY,
)
