-- The puskesmas currently serving each desa: the latest delivered version of the Dinkes list
-- wins, so a desa moved to another puskesmas follows the newer file.
with source as (
    select * from {{ source('raw', 'master_puskesmas') }}
)

select
    desa_code,
    puskesmas_code,
    puskesmas_name
from source
where desa_code is not null
    and puskesmas_code is not null
{{ latest_version('desa_code') }}
