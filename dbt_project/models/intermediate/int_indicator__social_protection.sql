-- N6 (PBI-JKN), N8 (PKH) and N10 (BPNT/Sembako) among the 1000-HPK target families, by desa x
-- year: a target family counts when a member of it in that year's DTKS register has PBI-JKN, or
-- the household receives PKH or BPNT. A target family absent from DTKS receives none.
with family_programmes as (
    select
        register_year,
        family_key,
        bool_or(has_pbi_jkn) as has_pbi_jkn,
        bool_or(receives_pkh) as receives_pkh,
        bool_or(receives_bpnt) as receives_bpnt
    from {{ ref('stg_bansos__members') }}
    where family_key is not null
    group by register_year, family_key
),

counted_families as (
    select
        targets.desa_code,
        make_date(targets.reference_year, 1, 1) as period_start,
        {%- for code, flag in [('n6', 'has_pbi_jkn'), ('n8', 'receives_pkh'), ('n10', 'receives_bpnt')] %}
        {{ flag_count('programmes.' ~ flag) }} as {{ code }}_numerator,
        1 as {{ code }}_denominator{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('int_target_1000_hpk') }} as targets
    left join family_programmes as programmes
        on programmes.register_year = targets.reference_year
        and programmes.family_key = targets.family_key
),

{{ coverage_indicator_rows('counted_families', ['N6', 'N8', 'N10'], 'period_start', 'year') }}
