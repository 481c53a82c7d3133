{#-
  Water and sanitation classes of STBM household records (FACTS §2.6), on the normalised labels
  of stg_stbm__households (lower case, single spaces). The label lists are configuration: an
  export with other wording needs its labels added here, and an unknown label counts as not
  improved (never silently as improved).

  Air minum layak (Susenas, BPS): piped water, protected wells and springs, boreholes, rain
  water; bottled or refill water counts too (Susenas counts it when the water for bathing and
  washing is improved, which STBM does not record: an assumption, see docs/marts_coverage.md).
-#}
{%- macro improved_drinking_water_sources() -%}
{{- return([
    'air kemasan/isi ulang', 'air kemasan', 'air isi ulang', 'ledeng/pam', 'ledeng', 'pam',
    'sumur bor/pompa', 'sumur bor', 'sumur pompa', 'sumur terlindung', 'mata air terlindung',
    'air hujan',
]) -}}
{%- endmacro -%}


{#- Condition: the household's drinking water is improved (layak). -#}
{%- macro has_improved_drinking_water(source_column) -%}
    coalesce({{ source_column }} in (
        {%- for label in improved_drinking_water_sources() -%}
        '{{ label }}'{{ ", " if not loop.last }}
        {%- endfor -%}
    ), false)
{%- endmacro -%}


{#-
  Condition: sanitasi layak (Susenas): a goose-neck closet (leher angsa) draining into a septic
  tank (or IPAL/SPAL), used alone or shared; in a rural desa (Kemendagri code 2xxx, not a
  kelurahan 1xxx) a goose-neck into a pit (lubang tanah) counts as well.
-#}
{%- macro has_improved_sanitation(closet_column, disposal_column, desa_code_column) -%}
    coalesce(
        {{ closet_column }} = 'leher angsa'
        and (
            {{ disposal_column }} in ('tangki septik', 'septic tank', 'ipal', 'spal')
            or ({{ disposal_column }} = 'lubang tanah' and substr({{ desa_code_column }}, 10, 1) = '2')
        ),
        false
    )
{%- endmacro -%}


{#- Condition: the household defecates in the open (no latrine). -#}
{%- macro practises_open_defecation(latrine_access_column) -%}
    coalesce({{ latrine_access_column }} in ('babs', 'tidak ada', 'tidak punya'), false)
{%- endmacro -%}
