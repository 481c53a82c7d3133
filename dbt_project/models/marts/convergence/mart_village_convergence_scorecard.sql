-- The village convergence scorecard (KPM / Kemendes "Laporan Konvergensi Desa") per desa x
-- quarter, as published: each indicator's received / expected sasaran and coverage, the tingkat
-- konvergensi and its band. Small cells are suppressed per indicator (docs/suppression.md): its
-- base is the indicator's sasaran (expected), siblings are the desa of the kecamatan in the
-- quarter. The convergence totals are the sum of the indicators, so they are published only
-- when no indicator of the row is suppressed (else the hidden cell is their difference).
{%- set indicators = scorecard_indicators() %}
with scorecard as (
    select * from {{ ref('int_scorecard__desa_quarterly') }}
),

{%- for indicator in indicators %}
{%- set previous = 'scorecard' if loop.first else 'suppressed_' ~ indicators[loop.index0 - 1].name %}

suppressed_{{ indicator.name }} as (
    select * rename (suppression as {{ indicator.name }}_suppression)
    from (
        {{ suppress_small_cells(
            previous,
            group_by=['kecamatan_code', 'quarter_start'],
            cell_key=['desa_code'],
            base_count=indicator.name ~ '_expected',
            masked_columns=[indicator.name ~ '_received', indicator.name ~ '_expected',
                            indicator.name ~ '_pct'],
        ) | indent(8) }}
    ) as suppression_pass
),
{%- endfor %}

published as (
    select
        * replace (
            {%- for column in ['services_received', 'services_expected', 'convergence_pct'] %}
            case when not convergence_suppressed then {{ column }} end as {{ column }}
            {{- "," if not loop.last }}
            {%- endfor %}
        )
    from (
        select
            *,
            {% for indicator in indicators -%}
            {{ indicator.name }}_suppression is not null{{ " or" if not loop.last }}
            {% endfor -%} as convergence_suppressed
        from suppressed_{{ indicators[-1].name }}
    ) as with_flag
)

select
    desa_code,
    kecamatan_code,
    quarter_start,
    year,
    quarter,
    {%- for indicator in indicators %}
    {{ indicator.name }}_received,
    {{ indicator.name }}_expected,
    {{ indicator.name }}_pct,
    {{ indicator.name }}_suppression,
    {%- endfor %}
    indicators_available,
    services_received,
    services_expected,
    convergence_pct,
    -- Banding found in some guides, not verified against an official rule (docs).
    case
        when convergence_pct is null then null
        when convergence_pct < 50 then 'rendah'
        when convergence_pct <= 75 then 'sedang'
        else 'tinggi'
    end as convergence_band,
    convergence_suppressed,
    'administrative' as source_type
from published
order by desa_code, quarter_start
