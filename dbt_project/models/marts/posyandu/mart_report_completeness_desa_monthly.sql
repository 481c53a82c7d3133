-- Completeness of the monthly posyandu reports per desa: every posyandu on the Dinkes master list
-- is expected to report every month of the data window, and it reported when e-PPGBM holds at
-- least one measurement at that posyandu dated in that month. The window is the months SKDN
-- counts (int_skdn__posyandu_monthly), so a stray mistyped date does not open a month in which
-- every posyandu would look silent.
with listed as (
    select * from {{ ref('stg_master__posyandu') }}
),

months as (
    select distinct measurement_month
    from {{ ref('int_skdn__posyandu_monthly') }}
),

reports as (
    select distinct posyandu_key, desa_code, measurement_month
    from {{ ref('stg_eppgbm__measurements') }}
),

expected as (
    select
        listed.desa_code,
        listed.kecamatan_code,
        months.measurement_month,
        count(*) as posyandu_expected,
        count(reports.posyandu_key) as posyandu_reported
    from listed
    cross join months
    left join reports
        on reports.posyandu_key = listed.posyandu_key
        and reports.measurement_month = months.measurement_month
    group by listed.desa_code, listed.kecamatan_code, months.measurement_month
),

unlisted as (
    -- Reporting posyandu the master list does not know (new, renamed or misspelt).
    select reports.desa_code, reports.measurement_month, count(*) as posyandu_unlisted
    from reports
    anti join listed on listed.posyandu_key = reports.posyandu_key
    group by reports.desa_code, reports.measurement_month
)

select
    expected.desa_code,
    expected.kecamatan_code,
    expected.measurement_month,
    expected.posyandu_expected,
    expected.posyandu_reported,
    expected.posyandu_expected - expected.posyandu_reported as posyandu_missing,
    coalesce(unlisted.posyandu_unlisted, 0) as posyandu_unlisted,
    round(100.0 * expected.posyandu_reported / expected.posyandu_expected, 1)
        as report_completeness_pct
from expected
left join unlisted
    on unlisted.desa_code = expected.desa_code
    and unlisted.measurement_month = expected.measurement_month
