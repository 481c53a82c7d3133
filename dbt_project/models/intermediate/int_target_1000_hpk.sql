-- The 1000-HPK target families (keluarga sasaran 1000 HPK) per year: families with a pregnant
-- woman or a child 0-23 months on the reference date (31 December, the date of the yearly DTKS
-- and PAUD registers). Pseudonymous keys join across sources: family_key is the HMAC of the No KK
-- in kohort ibu, Verval KRS, DTKS and STBM alike. Each source sees part of the set, so it is
-- their union: Verval KRS flags (pus_hamil, punya_baduta), pregnancies of the kohort ibu running
-- or delivered within 730 days on the date, and DTKS members under 730 days old. e-PPGBM and
-- imunisasi carry no No KK in Luwu's exports, so children known only there cannot be placed in a
-- family (docs/marts_coverage.md).
with reference_dates as (
    select distinct register_year as reference_year, make_date(register_year, 12, 31) as reference_date
    from {{ ref('stg_bansos__members') }}
    union
    select distinct verification_year, make_date(verification_year, 12, 31)
    from {{ ref('int_family_risk') }}
),

from_krs as (
    select
        verification_year as reference_year,
        family_key,
        desa_code,
        is_pus_pregnant as has_pregnant_woman,
        has_baduta as has_child_under_two,
        1 as source_priority,
        'krs' as source
    from {{ ref('int_family_risk') }}
    where is_pus_pregnant or has_baduta
),

from_kohort_ibu as (
    select
        dates.reference_year,
        episodes.family_key,
        episodes.desa_code,
        episodes.lmp_date <= dates.reference_date
            and (episodes.delivery_date is null or episodes.delivery_date > dates.reference_date)
            -- An undelivered episode older than 300 days ended unrecorded (miscarriage, move).
            and episodes.lmp_date > dates.reference_date - 300 as has_pregnant_woman,
        coalesce(episodes.delivery_date <= dates.reference_date
            and episodes.delivery_date > dates.reference_date - 730, false) as has_child_under_two,
        2 as source_priority,
        'kohort_ibu' as source
    from {{ ref('int_pregnancy_episodes') }} as episodes
    inner join reference_dates as dates
        on episodes.lmp_date <= dates.reference_date
        and episodes.lmp_date > dates.reference_date - 1030
    where episodes.family_key is not null
),

from_bansos as (
    select
        register_year as reference_year,
        family_key,
        desa_code,
        coalesce(lower(pkh_component) = 'ibu hamil', false) as has_pregnant_woman,
        age_days < 730 as has_child_under_two,
        3 as source_priority,
        'bansos' as source
    from {{ ref('stg_bansos__members') }}
    where family_key is not null
),

candidates as (
    select * from from_krs
    union all
    select * from from_kohort_ibu where has_pregnant_woman or has_child_under_two
    union all
    select * from from_bansos where has_pregnant_woman or has_child_under_two
)

select
    reference_year,
    make_date(reference_year, 12, 31) as reference_date,
    family_key,
    -- The desa of the most authoritative source: Verval KRS, then the kohort ibu, then DTKS.
    arg_min(desa_code, source_priority) as desa_code,
    bool_or(has_pregnant_woman) as has_pregnant_woman,
    bool_or(has_child_under_two) as has_child_under_two,
    bool_or(source = 'krs') as found_in_krs,
    bool_or(source = 'kohort_ibu') as found_in_kohort_ibu,
    bool_or(source = 'bansos') as found_in_bansos
from candidates
group by reference_year, family_key
