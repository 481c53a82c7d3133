{#-
  The doses of imunisasi dasar lengkap (IDL) for infants, as antigen codes of stg_imunisasi__doses
  (FACTS §1.2 S9, Kemenkes schedule): HB0, BCG, Polio 1-4, DPT-HB-Hib 1-3, IPV, MR. IPV2 (added
  to the schedule in some provinces) is not required here.
-#}
{%- macro basic_immunisation_antigens() -%}
{{- return([
    'HB0', 'BCG', 'POLIO1', 'POLIO2', 'POLIO3', 'POLIO4',
    'DPTHBHIB1', 'DPTHBHIB2', 'DPTHBHIB3', 'IPV', 'MR',
]) -}}
{%- endmacro -%}
