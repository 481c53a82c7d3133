-- Children aged 3-6 (3 to under 7 years: 1095-2554 days) on the reference date of each yearly
-- PAUD list, and whether they are enrolled. Enrolled children come from the PAUD list (home
-- desa); the children not enrolled can only be those another register knows: e-PPGBM children
-- whose age, carried forward from their latest measurement, is 3-6 on the date. There is no
-- sasaran for ages 3-6 in the Dinkes master, so the denominator is a lower bound of the true
-- population and the coverage an upper bound (docs/marts_coverage.md).
with lists as (
    select distinct register_year, register_date from {{ ref('stg_paud__enrolments') }}
),

enrolled as (
    select
        register_year,
        child_key,
        arg_min(home_desa_code, enrolment_key) as desa_code
    from {{ ref('stg_paud__enrolments') }}
    where age_days between 1095 and 2554
    group by register_year, child_key
),

known_from_eppgbm as (
    select
        lists.register_year,
        measurements.child_key,
        arg_max(measurements.desa_code, measurements.measurement_date) as desa_code
    from {{ ref('stg_eppgbm__measurements') }} as measurements
    inner join lists
        on measurements.measurement_date <= lists.register_date
    group by lists.register_year, measurements.child_key, lists.register_date
    having max(measurements.age_days + date_diff('day', measurements.measurement_date,
        lists.register_date)) between 1095 and 2554
)

select
    coalesce(enrolled.register_year, known_from_eppgbm.register_year) as register_year,
    coalesce(enrolled.child_key, known_from_eppgbm.child_key) as child_key,
    coalesce(enrolled.desa_code, known_from_eppgbm.desa_code) as desa_code,
    enrolled.child_key is not null as is_enrolled
from enrolled
full outer join known_from_eppgbm
    on known_from_eppgbm.register_year = enrolled.register_year
    and known_from_eppgbm.child_key = enrolled.child_key
