-- D of SKDN: distinct children measured (weighed or measured) per desa and month,
-- with small cells suppressed for publication.
with children_measured as (
    select
        desa_code,
        kecamatan_code,
        measurement_month,
        count(distinct child_key) as children_measured
    from {{ ref('stg_eppgbm__measurements') }}
    group by desa_code, kecamatan_code, measurement_month
)

{{ suppress_small_cells(
    'children_measured',
    group_by=['kecamatan_code', 'measurement_month'],
    cell_key=['desa_code'],
    base_count='children_measured',
    masked_columns=['children_measured'],
) }}
