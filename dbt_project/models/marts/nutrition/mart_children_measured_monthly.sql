-- D of SKDN: distinct children measured (weighed or measured) per desa and month.
select
    desa_code,
    kecamatan_code,
    measurement_month,
    count(distinct child_key) as children_measured
from {{ ref('stg_eppgbm__measurements') }}
group by desa_code, kecamatan_code, measurement_month
