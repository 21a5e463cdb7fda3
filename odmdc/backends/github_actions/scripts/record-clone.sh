# record-clone.sh: record the clone an `odmd: create@...` commit made, before its first
# deployment, so that later pushes to its branch find it (and `odmd: delete` removes it).
record=$(jq -c --arg name "$ODMD_CLONE_RECORDS/$ODMD_REV_VALUE" \
  '{Name: $name, Value: .clone_origin, Type: "String", Overwrite: true}' \
  "$ODMD_ENVER_FILE")
odmd_center ssm put-parameter --cli-input-json "$record" >/dev/null
odmd_notice "branch \`$ODMD_REV_VALUE\` is now clone \`$ODMD_ENVER\` of \`$ODMD_CLONE_OF\`"
