-- Nutrition prevalences (e-PPGBM) in the common indicator shape, all children (no breakdown).
{%- set indicators = [] %}
{%- for indicator in nutrition_indicators() if indicator.indicator_code %}
    {%- do indicators.append(
        (indicator.indicator_code, indicator.numerator, indicator.denominator)
    ) %}
{%- endfor %}
with all_children as (
    select *
    from {{ ref('int_nutrition_status__rolled_up') }}
    where breakdown_type = 'total'
)

{{ indicator_rows(
    'all_children',
    indicators,
    period_start='measurement_month',
    period_type='month',
    source_type='administrative',
) }}
