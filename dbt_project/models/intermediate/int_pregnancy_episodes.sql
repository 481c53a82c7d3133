-- One row per pregnancy of the kohort ibu with the services it received, the building block of
-- the KIA indicators and the bumil rows of the convergence scorecard. Months are WITA calendar
-- months of the event dates as recorded.
with pregnancies as (
    select * from {{ ref('stg_kohort_ibu__pregnancies') }}
),

register_end as (
    -- The last day the register speaks about (its export date): a nifas period or the 42 days
    -- before postpartum contraception is judged are complete only if they end before it.
    select max(greatest(
        lmp_date, anc_k1_date, anc_k2_date, anc_k3_date, anc_k4_date, anc_k5_date, anc_k6_date,
        ttd_30_date, ttd_90_date, pmt_start_date, delivery_date
    )) as register_end_date
    from pregnancies
)

select
    pregnancies.pregnancy_key,
    pregnancies.mother_key,
    pregnancies.family_key,
    pregnancies.desa_code,
    pregnancies.lmp_date,
    -- The first antenatal visit opens the episode in the register; HPHT when K1 is missing.
    coalesce(pregnancies.anc_k1_date, pregnancies.lmp_date) as first_contact_date,
    cast(date_trunc('month', coalesce(pregnancies.anc_k1_date, pregnancies.lmp_date)) as date)
        as first_contact_month,
    pregnancies.delivery_date,
    cast(date_trunc('month', pregnancies.delivery_date) as date) as delivery_month,
    pregnancies.delivery_date is not null as is_delivered,
    -- KEK by LiLA < 23.5 cm (Kemenkes); the register's own KEK flag where LiLA is missing.
    coalesce(pregnancies.muac_cm < 23.5, pregnancies.kek, false) as is_kek,
    pregnancies.pmt_start_date is not null as received_pmt,
    pregnancies.anc_visits,
    pregnancies.anc_visits >= 4 as has_anc_4,
    pregnancies.anc_visits >= 6 as has_anc_6,
    coalesce(pregnancies.ttd_tablets >= 90 or pregnancies.ttd_90_date is not null, false)
        as has_ttd_90,
    pregnancies.nifas_visits,
    coalesce(pregnancies.delivery_date + 42 <= register_end.register_end_date, false)
        as is_nifas_period_complete,
    pregnancies.postpartum_contraception is not null as is_contraception_known,
    coalesce(lower(pregnancies.postpartum_contraception) not in ('tidak', 'tidak ada', 'belum'),
        false) as uses_postpartum_contraception,
    register_end.register_end_date
from pregnancies
cross join register_end
