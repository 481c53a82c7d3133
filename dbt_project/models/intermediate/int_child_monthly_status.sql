-- One row per child under five and month: the child's latest measurement of the month, with its
-- z-scores, classes and the SKDN growth status against the previous month. Every child-month sits
-- in exactly one posyandu and desa, so counts of children add up across levels.
with measurements_under_five as (
    -- WHO scores ages 0-1826 days (under 60 months); older rows stay in the quality marts only.
    select *
    from {{ ref('int_measurements__zscored') }}
    where age_days between 0 and 1826
),

latest_of_month as (
    -- Latest date wins; two rows on one date (the ingest keeps one per child and date, so only a
    -- re-delivered export could do this) are decided by the stable row key.
    select
        *,
        count(*) over (partition by child_key, measurement_month) as measurements_in_month
    from measurements_under_five
    qualify row_number() over (
        partition by child_key, measurement_month
        order by measurement_date desc, measurement_key desc
    ) = 1
),

child_months as (
    -- The previous weighing skips the months in which the child was measured but not weighed:
    -- lag over weighed months only, read on one sort of the child's history. (A second window
    -- over the weighed months joined back to every month made this the slowest model at scale.)
    select
        *,
        case when weight_kg is not null then
            lag(case when weight_kg is not null then measurement_month end ignore nulls)
                over child_history
        end as previous_weighing_month,
        case when weight_kg is not null then
            lag(weight_kg ignore nulls) over child_history
        end as previous_weight_kg
    from latest_of_month
    window child_history as (partition by child_key order by measurement_month)
)

select
    child_key,
    measurement_month,
    measurement_key,
    measurement_date,
    measurements_in_month,
    sex,
    case sex when 1 then 'L' when 2 then 'P' end as sex_code,
    age_days,
    age_months,
    case
        when age_months < 6 then '0-5'
        when age_months < 12 then '6-11'
        when age_months < 24 then '12-23'
        when age_months < 36 then '24-35'
        when age_months < 48 then '36-47'
        else '48-59'
    end as age_group,
    desa_code,
    kecamatan_code,
    substr(desa_code, 1, 5) as kabupaten_code,
    -- A row without a posyandu name still counts for its desa, under one "unknown" posyandu.
    coalesce(posyandu_key, desa_code || '|') as posyandu_key,
    weight_kg,
    length_height_cm,
    measure_position,
    clenhei_cm,
    oedema,
    haz,
    waz,
    whz,
    coalesce(flag_haz, false) as is_flagged_haz,
    coalesce(flag_waz, false) as is_flagged_waz,
    coalesce(flag_whz, false) as is_flagged_whz,
    status_tb_u,
    status_bb_u,
    status_bb_tb,
    -- Valid = classified: a z-score that is present and not WHO-flagged (or oedema for the
    -- weight-based indices). Flagged values leave numerator and denominator alike.
    status_tb_u is not null as has_valid_haz,
    coalesce(status_tb_u_en in ('stunted', 'severely stunted'), false) as is_stunted,
    coalesce(status_tb_u_en = 'severely stunted', false) as is_severely_stunted,
    status_bb_tb is not null as has_valid_whz,
    coalesce(status_bb_tb_en in ('wasted', 'severely wasted'), false) as is_wasted,
    coalesce(status_bb_tb_en = 'severely wasted', false) as is_severely_wasted,
    coalesce(status_bb_tb_en in ('overweight', 'obese'), false) as is_overweight,
    status_bb_u is not null as has_valid_waz,
    coalesce(status_bb_u_en in ('underweight', 'severely underweight'), false) as is_underweight,
    weight_kg is not null as is_weighed,
    has_kia,
    previous_weighing_month,
    previous_weight_kg,
    -- SKDN growth status from the weights themselves, not the export's "Naik Berat Badan" code:
    -- N up / T not up versus last month's weighing, O not weighed last month, B first weighing.
    case
        when weight_kg is null then null
        when previous_weighing_month is null then 'B'
        when previous_weighing_month < measurement_month - interval 1 month then 'O'
        when weight_kg > previous_weight_kg then 'N'
        else 'T'
    end as growth_status
from child_months
