-- One row per household and STBM verification visit. The labels of water source and latrine are
-- kept, plus a normalised form (lower case, single spaces) that the WASH classification matches.
with source as (
    select * from {{ source('raw', 'stbm') }}
)

select
    row_key as visit_key,
    family_key,
    family_key_is_surrogate,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    household_members,
    drinking_water_source,
    latrine_access,
    closet_type,
    final_disposal,
    {%- for column in ['drinking_water_source', 'latrine_access', 'closet_type', 'final_disposal'] %}
    nullif(lower(regexp_replace(trim({{ column }}), '\s+', ' ', 'g')), '') as {{ column }}_normalised,
    {%- endfor %}
    handwashing_with_soap,
    waste_management,
    verification_date,
    source_file,
    source_line
from source
