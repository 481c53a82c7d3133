-- Keluarga berisiko stunting (KRS) per family and year, from BKKBN Verval KRS (FACTS §1.5):
-- a keluarga sasaran is at risk with at least one factor coded as present: drinking water or
-- latrine '2' (tidak layak), or one of the 4T '2' (ya; '3' tidak berlaku counts as absent).
-- The exported status_risiko is not trusted; it is recomputed from the codes. A family verified
-- twice in a year keeps its latest verification.
with verifications as (
    select * from {{ ref('stg_krs__families') }}
),

latest_per_year as (
    select *
    from verifications
    qualify row_number() over (
        partition by family_key, year(verification_date)
        order by verification_date desc, verification_key desc
    ) = 1
)

select
    family_key,
    cast(year(verification_date) as integer) as verification_year,
    {{ year_start('verification_date') }} as period_start,
    verification_date,
    desa_code,
    wife_key,
    coalesce(has_baduta, false) as has_baduta,
    coalesce(has_balita, false) as has_balita,
    coalesce(is_pus_pregnant, false) as is_pus_pregnant,
    drinking_water_code = '2' as has_unsafe_drinking_water,
    latrine_code = '2' as has_improper_latrine,
    too_young_code = '2' as is_too_young,
    too_old_code = '2' as is_too_old,
    too_close_code = '2' as is_too_close,
    too_many_code = '2' as is_too_many,
    {%- set factors = ['drinking_water_code', 'latrine_code', 'too_young_code', 'too_old_code',
                       'too_close_code', 'too_many_code'] %}
    {% for factor in factors -%}
    {{ flag_count(factor ~ " = '2'") }}{{ " +" if not loop.last }}
    {% endfor -%} as risk_factor_count,
    {% for factor in factors -%}
    coalesce({{ factor }} = '2', false){{ " or" if not loop.last }}
    {% endfor -%} as is_at_risk,
    coalesce(tpk_accompanied, false) as is_tpk_accompanied
from latest_per_year
