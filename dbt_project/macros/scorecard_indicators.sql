{#-
  The village convergence scorecard indicators the sources allow (FACTS §1.7, format "Laporan
  Konvergensi Desa"): name (column prefix), the scorecard number, service package and sasaran.
  Not computable from the delivered sources and therefore absent: kelas ibu hamil / konseling
  gizi (4, 12), home visits (5, 13), JKN of bumil and child (8, 17: DTKS lists only PBI of poor
  households), length measured twice a year (11), the child's household water and latrine (14, 15:
  e-PPGBM carries no No KK), akta kelahiran (16), kelas pengasuhan (18).
-#}
{%- macro scorecard_indicators() -%}
{{- return([
    {'name': 'anc_4', 'number': 1, 'package': 'kia', 'sasaran': 'ibu hamil'},
    {'name': 'ttd_90', 'number': 2, 'package': 'kia', 'sasaran': 'ibu hamil'},
    {'name': 'nifas_3', 'number': 3, 'package': 'kia', 'sasaran': 'ibu bersalin'},
    {'name': 'bumil_safe_water', 'number': 6, 'package': 'air_sanitasi', 'sasaran': 'ibu hamil'},
    {'name': 'bumil_latrine', 'number': 7, 'package': 'air_sanitasi', 'sasaran': 'ibu hamil'},
    {'name': 'basic_immunisation', 'number': 9, 'package': 'kia', 'sasaran': 'anak 0-23 bulan'},
    {'name': 'weighed_monthly', 'number': 10, 'package': 'kia', 'sasaran': 'anak 0-23 bulan'},
    {'name': 'paud_enrolment', 'number': none, 'package': 'paud', 'sasaran': 'anak 3-6 tahun'},
]) -}}
{%- endmacro -%}


{#-
  The <name>_received, <name>_expected column pair of every scorecard indicator for one kind of
  sasaran row: `services` maps an indicator name to (received condition, expected condition);
  the indicators the row is not sasaran of get 0 and 0.
-#}
{%- macro scorecard_service_columns(services) -%}
{%- for indicator in scorecard_indicators() %}
    {%- set conditions = services.get(indicator.name, ('false', 'false')) %}
        {{ flag_count(conditions[0]) }} as {{ indicator.name }}_received,
        {{ flag_count(conditions[1]) }} as {{ indicator.name }}_expected
        {{- "," if not loop.last }}
{%- endfor %}
{%- endmacro -%}
