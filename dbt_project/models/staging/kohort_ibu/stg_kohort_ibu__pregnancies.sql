-- One row per pregnancy of the puskesmas cohort register (kohort ibu), renamed and typed.
-- Visit dates stay as delivered; counts and flags the indicators need are derived once here.
with source as (
    select * from {{ source('raw', 'kohort_ibu') }}
)

select
    row_key as pregnancy_key,
    mother_key,
    mother_key_is_surrogate,
    family_key,
    mother_age_years,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    lmp_date,
    expected_delivery_date,
    gravida,
    para,
    abortus,
    pregnancy_spacing_years,
    muac_cm,
    hb_g_dl,
    kek,
    anaemia,
    {%- for k in range(1, 7) %}
    anc_k{{ k }}_date,
    {%- endfor %}
    -- Visits with a date, whatever the order they were filled in.
    {% for k in range(1, 7) -%}
    (anc_k{{ k }}_date is not null)::integer{{ " +" if not loop.last }}
    {% endfor -%} as anc_visits,
    ttd_30_date,
    ttd_90_date,
    ttd_tablets,
    pmt_start_date,
    pmt_days,
    delivery_date,
    {% for k in range(1, 5) -%}
    (nifas_kf{{ k }}_date is not null)::integer{{ " +" if not loop.last }}
    {% endfor -%} as nifas_visits,
    nullif(trim(postpartum_contraception), '') as postpartum_contraception,
    source_file,
    source_line
from source
