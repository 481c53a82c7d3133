-- Water and sanitation by desa x year from STBM: N4 households with improved drinking water, N5
-- with improved sanitation (each household once a year, its latest visit), N11 desa free of open
-- defecation (no recorded household practising BABS; 1 per desa with records, so the kecamatan
-- and kabupaten rows count ODF desa over desa with records).
with households as (
    select
        *,
        {{ year_start('verification_date') }} as period_start
    from {{ ref('stg_stbm__households') }}
    qualify row_number() over (
        partition by family_key, year(verification_date)
        order by verification_date desc, visit_key desc
    ) = 1
),

counted_households as (
    select
        desa_code,
        period_start,
        {{ flag_count(has_improved_drinking_water('drinking_water_source_normalised')) }}
            as n4_numerator,
        1 as n4_denominator,
        {{ flag_count(has_improved_sanitation(
            'closet_type_normalised', 'final_disposal_normalised', 'desa_code')) }}
            as n5_numerator,
        1 as n5_denominator,
        0 as n11_numerator,
        0 as n11_denominator
    from households
),

counted_desa as (
    select
        desa_code,
        period_start,
        0, 0, 0, 0,
        {{ flag_count('not bool_or(' ~ practises_open_defecation('latrine_access_normalised') ~ ')') }},
        1
    from households
    group by desa_code, period_start
),

counted_units as (
    select * from counted_households
    union all
    select * from counted_desa
),

{{ coverage_indicator_rows('counted_units', ['N4', 'N5', 'N11'], 'period_start', 'year') }}
