-- N7, families at risk of stunting accompanied by a TPK, by desa x year of verification.
with counted_families as (
    select
        desa_code,
        period_start,
        {{ flag_count('is_at_risk and is_tpk_accompanied') }} as n7_numerator,
        {{ flag_count('is_at_risk') }} as n7_denominator
    from {{ ref('int_family_risk') }}
),

{{ coverage_indicator_rows('counted_families', ['N7'], 'period_start', 'year') }}
