{#-
  The counts of children behind the nutrition marts, as (column, condition on a child-month of
  int_child_monthly_status). One list, used to count, to roll up and to mask.
-#}
{%- macro nutrition_child_counts() -%}
{{- return([
    ('children_measured', 'true'),
    ('children_haz_flagged', 'is_flagged_haz'),
    ('children_haz_valid', 'has_valid_haz'),
    ('children_stunted', 'is_stunted'),
    ('children_severely_stunted', 'is_severely_stunted'),
    ('children_whz_flagged', 'is_flagged_whz'),
    ('children_whz_valid', 'has_valid_whz'),
    ('children_wasted', 'is_wasted'),
    ('children_severely_wasted', 'is_severely_wasted'),
    ('children_overweight', 'is_overweight'),
    ('children_waz_flagged', 'is_flagged_waz'),
    ('children_waz_valid', 'has_valid_waz'),
    ('children_underweight', 'is_underweight'),
]) -}}
{%- endmacro -%}


{#-
  The prevalences computed from those counts: column prefix in mart_nutrition_status, numerator,
  denominator (the children with a valid, non-flagged value of the index), and the code in the
  indicator_catalogue seed, which puts the prevalence into mart_indicator.
-#}
{%- macro nutrition_indicators() -%}
{{- return([
    {'prefix': 'stunting', 'numerator': 'children_stunted',
     'denominator': 'children_haz_valid', 'indicator_code': 'STUNTING'},
    {'prefix': 'severe_stunting', 'numerator': 'children_severely_stunted',
     'denominator': 'children_haz_valid', 'indicator_code': 'STUNTING_SEVERE'},
    {'prefix': 'wasting', 'numerator': 'children_wasted',
     'denominator': 'children_whz_valid', 'indicator_code': 'WASTING'},
    {'prefix': 'severe_wasting', 'numerator': 'children_severely_wasted',
     'denominator': 'children_whz_valid', 'indicator_code': 'WASTING_SEVERE'},
    {'prefix': 'overweight', 'numerator': 'children_overweight',
     'denominator': 'children_whz_valid', 'indicator_code': 'OVERWEIGHT'},
    {'prefix': 'underweight', 'numerator': 'children_underweight',
     'denominator': 'children_waz_valid', 'indicator_code': 'UNDERWEIGHT'},
]) -}}
{%- endmacro -%}
