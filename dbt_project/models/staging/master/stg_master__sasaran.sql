-- Target populations per desa and year (Dinkes projections); the latest delivered version of a
-- desa-year wins.
with source as (
    select * from {{ source('raw', 'master_sasaran') }}
)

select
    desa_code,
    cast(year as integer) as year,
    population,
    target_infants,
    target_under_two,
    target_under_five,
    target_pregnant,
    target_deliveries,
    target_adolescent_girls,
    target_couples
from source
where desa_code is not null
{{ latest_version('desa_code, year') }}
