{#-
  Keeps each key's latest delivered row. Master lists are re-delivered whole (ingestion keeps
  every version: the contracts are versioned), so the newest ingest wins; within one ingest run
  the later file name, then the later line.
-#}
{% macro latest_version(key) -%}
qualify row_number() over (
    partition by {{ key }}
    order by ingested_at desc, source_file desc, source_line desc
) = 1
{%- endmacro %}
