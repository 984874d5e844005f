"""Code lists for person records."""

from __future__ import annotations

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """ONS 2021 census ethnic groups (England and Wales), plus 'not stated'."""

    BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    INDIAN = "asian_indian", "Asian or Asian British: Indian"
    PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    OTHER_ASIAN = "asian_other", "Asian or Asian British: Any other Asian background"
    AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    OTHER_BLACK = (
        "black_other",
        "Black, Black British, Caribbean or African: Any other Black background",
    )
    WHITE_ASIAN = "mixed_white_asian", "Mixed or Multiple: White and Asian"
    WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or Multiple: White and Black African"
    WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or Multiple: White and Black Caribbean",
    )
    OTHER_MIXED = "mixed_other", "Mixed or Multiple: Any other Mixed or Multiple background"
    WHITE_BRITISH = (
        "white_british",
        "White: English, Welsh, Scottish, Northern Irish or British",
    )
    WHITE_IRISH = "white_irish", "White: Irish"
    GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    ROMA = "white_roma", "White: Roma"
    OTHER_WHITE = "white_other", "White: Any other White background"
    ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other_any", "Other ethnic group: Any other ethnic group"
    NOT_STATED = "not_stated", "Not stated or not known"
