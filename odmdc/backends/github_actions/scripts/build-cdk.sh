# build-cdk.sh: install and build in each work directory, then deploy exactly the enver's
# stacks from the last one; their outputs go to $odmd_dir/cdk-outputs.json for publish.sh.
mapfile -t stacks < <(jq -r '.stacks[]' "$ODMD_ENVER_FILE")
for dir in "${work_dirs[@]}"; do
  (
    cd "$dir"
    npm_install
    if [[ -f package.json ]]; then npm run --if-present build; fi
  )
done
cd "$last_dir"
npx --yes "aws-cdk@${ODMD_CDK_CLI_VERSION:?}" deploy --ci --require-approval never --exclusively \
  --progress events --outputs-file "$odmd_dir/cdk-outputs.json" "${stacks[@]}"
