# build-cdk.sh: install and build in each work directory, then deploy exactly the enver's
# stacks from the last one (the publish step reads their outputs from CloudFormation).
listed=$(python3 "$RUNNER_TEMP/odmd/odmd_deploy.py" work-dirs)
mapfile -t work_dirs <<<"$listed"
read -ra stacks <<<"$ODMD_STACKS"
for dir in "${work_dirs[@]}"; do
  (
    cd "$dir"
    npm_install
    if [[ -f package.json ]]; then npm run --if-present build; fi
  )
done
cd "${work_dirs[-1]}"
npx --yes "aws-cdk@${ODMD_CDK_CLI_VERSION:?}" deploy --ci --require-approval never --exclusively \
  --progress events "${stacks[@]}"
