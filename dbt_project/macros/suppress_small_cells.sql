{#-
  Small-cell suppression for published counts of children (documented in docs/suppression.md).

  Primary: a cell whose base count of children is 1-9 is suppressed (0 reveals nobody).
  Complementary: in a group of sibling cells that add up to a published total (e.g. the desa of one
  kecamatan in one month), when exactly one cell is primarily suppressed, the smallest other
  non-zero cell is suppressed too, so the hidden value cannot be recovered by subtraction.
  Suppressed cells keep their keys; every column in `masked_columns` becomes null and
  `suppression` says why ('primary', 'complementary' or null).
-#}
{%- macro suppress_small_cells(relation, group_by, cell_key, base_count, masked_columns) -%}
{#- Nested selects rather than CTEs, so a model can call it inside its own WITH clause. -#}
select
    * exclude (_primary, _primary_in_group, _rank_among_peers, suppression, {{ masked_columns | join(', ') }}),
    {%- for column in masked_columns %}
    case when suppression is null then {{ column }} end as {{ column }},
    {%- endfor %}
    suppression
from (
    select
        *,
        case
            when _primary then 'primary'
            when _primary_in_group = 1 and {{ base_count }} > 0 and _rank_among_peers = 1
                then 'complementary'
        end as suppression
    from (
        select
            *,
            count(*) filter (where _primary) over (partition by {{ group_by | join(', ') }})
                as _primary_in_group,
            row_number() over (
                partition by {{ group_by | join(', ') }}, _primary or {{ base_count }} = 0
                order by {{ base_count }}, {{ cell_key | join(', ') }}
            ) as _rank_among_peers
        from (
            select *, {{ base_count }} between 1 and 9 as _primary
            from {{ relation }}
        ) as suppression_cells
    ) as suppression_ranked
) as suppression_decided
{%- endmacro -%}
