# build-npm.sh: install and build in each work directory and publish the package in the last,
# as the version and under the dist-tag the helper gives it (docs/runtime.md); the build sees
# ODMD_NPM_PACKAGE and ODMD_NPM_VERSION.
listed=$(python3 "$RUNNER_TEMP/odmd/odmd_deploy.py" work-dirs)
mapfile -t work_dirs <<<"$listed"
last_dir=${work_dirs[-1]}
npm_exports=$(python3 "$RUNNER_TEMP/odmd/odmd.py" npm-version "$last_dir")
eval "$npm_exports"
for dir in "${work_dirs[@]}"; do
  (
    cd "$dir"
    npm_install
    if [[ $dir == "$last_dir" ]]; then
      npm version --no-git-tag-version --allow-same-version "$ODMD_NPM_VERSION" >/dev/null
    fi
    npm run --if-present build
  )
done
python3 "$RUNNER_TEMP/odmd/odmd.py" npm-publish "$last_dir"
