# publish.sh: publish the enver's products to the config store (through the center role).
# A product's value is its entry in $ODMD_PRODUCTS_FILE or, for a `cdk` enver, the output
# named after it (Product.output_key) of one of its stacks; a product marked s3artifact
# names a file of the checkout, uploaded to the build's artifact bucket (content-addressed),
# and its S3 URL is published. Only changed values are written: every write notifies the
# consumers.
[[ -f $ODMD_PRODUCTS_FILE ]] || echo '{}' >"$ODMD_PRODUCTS_FILE"
jq -e 'type == "object"' "$ODMD_PRODUCTS_FILE" >/dev/null 2>&1 ||
  odmd_fail "\$ODMD_PRODUCTS_FILE must hold one JSON object, product name -> value"
[[ -f $odmd_dir/cdk-outputs.json ]] || echo '{}' >"$odmd_dir/cdk-outputs.json"
jq --slurpfile given "$ODMD_PRODUCTS_FILE" --slurpfile outputs "$odmd_dir/cdk-outputs.json" '
  .stacks as $stacks
  | [.products[] | . as $p
    | [$stacks[] | $outputs[0][.] // {} | select(has($p.output // "")) | .[$p.output]] as $out
    | ($given[0] | has($p.name)) as $in_file
    | $p + {
        value: (if $in_file then $given[0][$p.name] | tostring elif ($out | length) == 1 then $out[0] | tostring else null end),
        problem: (if $in_file and ($out | length) > 0 then "given both in the products file and as a stack output"
                  elif ($out | length) > 1 then "output `\($p.output)` of more than one stack"
                  elif ($in_file | not) and ($out | length) == 0 then
                    if $p.output then "neither in the products file nor output `\($p.output)` of a stack" else "not in the products file" end
                  else null end)
      }]' "$ODMD_ENVER_FILE" >"$odmd_dir/produced.json"
problems=$(jq -r '.[] | select(.problem) | "`\(.name)`: \(.problem)"' "$odmd_dir/produced.json")
[[ -z $problems ]] || odmd_fail "products without a value: ${problems//$'\n'/; }"
empty=$(jq -r '.[] | select(.value == "" or (.value | length) > 4096) | "`\(.name)`"' "$odmd_dir/produced.json")
[[ -z $empty ]] || odmd_fail "product values must be 1 to 4096 characters (Parameter Store): ${empty//$'\n'/, }"

if jq -e 'any(.[]; .s3artifact)' "$odmd_dir/produced.json" >/dev/null; then
  # the build's artifact bucket, named in the target account (the build role reads it)
  bucket=$(aws ssm get-parameter --name "${ODMD_ARTIFACT_BUCKET_PARAMETER:?}" \
    --query Parameter.Value --output text)
  while IFS=$'\t' read -r name path file; do
    [[ $file != /* && $file != *..* && -f ${GITHUB_WORKSPACE:?}/$file ]] ||
      odmd_fail "product \`$name\` is an s3artifact: its value must name a file of the checkout, not \`$file\`"
    sha=$(sha256sum "$GITHUB_WORKSPACE/$file" | cut -d' ' -f1)
    ext=""
    [[ ${file##*/} != *.* ]] || ext=".${file##*.}"
    key="${path#/}/$sha$ext"
    aws s3 cp --only-show-errors "$GITHUB_WORKSPACE/$file" "s3://$bucket/$key"
    jq --arg n "$name" --arg v "s3://$bucket/$key" 'map(if .name == $n then .value = $v else . end)' \
      "$odmd_dir/produced.json" >"$odmd_dir/produced.tmp"
    mv "$odmd_dir/produced.tmp" "$odmd_dir/produced.json"
  done < <(jq -r '.[] | select(.s3artifact) | [.name, .path, .value] | @tsv' "$odmd_dir/produced.json")
fi

mapfile -t paths < <(jq -r '.[].path' "$odmd_dir/produced.json")
current='{}'
for ((i = 0; i < ${#paths[@]}; i += 10)); do
  odmd_center ssm get-parameters --names "${paths[@]:i:10}" --output json >"$odmd_dir/batch.json"
  current=$(jq -c --argjson c "$current" '$c + ([.Parameters[]? | {(.Name): .Value}] | add // {})' \
    "$odmd_dir/batch.json")
done
{
  printf '### %s publishes\n\n| product | parameter | |\n|---|---|---|\n' "$ODMD_ENVER"
} >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
while IFS= read -r put; do
  odmd_center ssm put-parameter --cli-input-json "$put" >/dev/null
done < <(jq -c --argjson c "$current" '.[] | select($c[.path] != .value)
  | {Name: .path, Value: .value, Type: "String", Overwrite: true}' "$odmd_dir/produced.json")
jq -r --argjson c "$current" '.[] | "| `\(.name)` | `\(.path)` | \(if $c[.path] == .value then "unchanged" else "published" end) |"' \
  "$odmd_dir/produced.json" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
