# redispatch-clones.sh: a dispatch for an enver reaches the clones commit commands made of it
# too: they read the same producers with the same reactions (SPEC §5), yet no central rule
# names them. Their records (central config store, through the center role) say which enver
# each is a clone of: start this workflow on the branch of every record whose origin is the
# dispatched enver. That run finds the record and deploys the clone.
odmd_center ssm get-parameters-by-path --path "${ODMD_CLONE_RECORDS:?}" --output json \
  >"$odmd_dir/records.json"
mapfile -t branches < <(jq -r --arg o "${ODMD_ORIGIN:?}" --argjson declared "${ODMD_DECLARED_BRANCHES:?}" '
  [.Parameters[]? | select(.Value == $o) | .Name | split("/") | last
   | select(. as $b | $declared | index($b) | not)] | unique | .[]' "$odmd_dir/records.json")
started=0
for branch in "${branches[@]}"; do
  # a record's name is data: only a branch a clone can live on (rules E102, E103) is used
  if [[ ! $branch =~ ^[A-Za-z0-9_.-]+$ || $branch == *..* || $branch == *_-* || $branch == *-_* || $branch == [vV]* ]]; then
    odmd_warning "clone record \`$branch\` names no branch a clone can live on: skipped"
    continue
  fi
  # a clone whose branch is gone (deleted without `odmd: delete`) must not hold up the others
  if gh workflow run "${ODMD_WORKFLOW:?}" --repo "${GITHUB_REPOSITORY:?}" --ref "refs/heads/$branch"; then
    started=$((started + 1))
  else
    odmd_warning "could not start $ODMD_WORKFLOW on branch \`$branch\` (clone of \`${ODMD_ENVER:?}\`): is the branch gone without \`odmd: delete\`?"
  fi
done
odmd_notice "\`$ODMD_ENVER\`: $started of ${#branches[@]} clones made by commit commands will redeploy"
