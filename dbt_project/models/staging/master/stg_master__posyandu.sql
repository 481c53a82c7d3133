-- The posyandu of each desa from the Dinkes master list: the latest delivered version of a
-- posyandu wins. This is the list of posyandu expected to send a monthly e-PPGBM report.
with source as (
    select * from {{ source('raw', 'master_posyandu') }}
)

select
    posyandu_code,
    posyandu_name,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    -- The same key e-PPGBM rows get in stg_eppgbm__measurements: exports carry names, not codes.
    desa_code || '|' || lower(trim(posyandu_name)) as posyandu_key,
    puskesmas_code
from source
where posyandu_code is not null
    and desa_code is not null
{{ latest_version('posyandu_code') }}
