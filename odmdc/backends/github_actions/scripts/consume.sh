# consume.sh: read every consumer's value from the config store (through the center role),
# falling back to its declared default; write them to $ODMD_CONSUMES_FILE as name -> value.
mapfile -t paths < <(jq -r '[.consumers[].path] | unique | .[]' "$ODMD_ENVER_FILE")
published='{}'
for ((i = 0; i < ${#paths[@]}; i += 10)); do  # GetParameters takes at most 10 names
  odmd_center ssm get-parameters --names "${paths[@]:i:10}" --output json >"$odmd_dir/batch.json"
  published=$(jq -c --argjson p "$published" '$p + ([.Parameters[]? | {(.Name): .Value}] | add // {})' \
    "$odmd_dir/batch.json")
done
jq --argjson p "$published" '[.consumers[] | .path as $path | ($p | has($path)) as $has
    | {name, path, default, value: (if $has then $p[$path] else .default end),
       source: (if $has then "published" elif .default != null then "default" else "missing" end)}]' \
  "$ODMD_ENVER_FILE" >"$odmd_dir/consumed.json"
jq '[.[] | select(.source != "missing") | {(.name): .value}] | add // {}' "$odmd_dir/consumed.json" >"$ODMD_CONSUMES_FILE"
{
  printf '### %s consumes\n\n| consumer | parameter | value from |\n|---|---|---|\n' "$ODMD_ENVER"
  jq -r '.[] | "| `\(.name)` | `\(.path)` | \(.source) |"' "$odmd_dir/consumed.json"
} >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
while IFS=$'\t' read -r name path; do
  odmd_notice "consumer \`$name\` starts on its default: \`$path\` is not published yet"
done < <(jq -r '.[] | select(.source == "default") | [.name, .path] | @tsv' "$odmd_dir/consumed.json")
missing=$(jq -r '.[] | select(.source == "missing") | "`\(.name)` (`\(.path)`)"' "$odmd_dir/consumed.json")
if [[ -n $missing ]]; then
  odmd_fail "not published yet and without a default: ${missing//$'\n'/, }; deploy the producers first (odmdc plan)"
fi
