-- KIA cohort indicators in the common indicator shape, by desa x month: S1 by the month of the
-- first antenatal contact (when KEK is found), S2 and N1 by the month of delivery (when the
-- pregnancy's tablets and the postpartum method are complete).
with episodes as (
    select * from {{ ref('int_pregnancy_episodes') }}
),

counted_pregnancies as (
    select
        desa_code,
        first_contact_month as period_month,
        {{ flag_count('is_kek and received_pmt') }} as s1_numerator,
        {{ flag_count('is_kek') }} as s1_denominator,
        0 as s2_numerator, 0 as s2_denominator, 0 as n1_numerator, 0 as n1_denominator
    from episodes
    union all
    select
        desa_code,
        delivery_month,
        0, 0,
        {{ flag_count('has_ttd_90') }},
        1,
        -- Known once the register records a method or 'Tidak' (42 days after delivery).
        {{ flag_count('is_contraception_known and uses_postpartum_contraception') }},
        {{ flag_count('is_contraception_known') }}
    from episodes
    where is_delivered
),

{{ coverage_indicator_rows('counted_pregnancies', ['S1', 'S2', 'N1'], 'period_month', 'month') }}
