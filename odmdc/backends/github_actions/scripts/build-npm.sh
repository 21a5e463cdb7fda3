# build-npm.sh: install and build in each work directory and publish the package in the last.
# A tag enver publishes the package.json version; a branch enver (clones too) publishes
# `<version>-<branch>.<run number>.<attempt>`; both under the dist-tag `odmd-<revision>`, so
# that no enver moves `latest`. The build sees ODMD_NPM_PACKAGE and ODMD_NPM_VERSION and may
# record products (e.g. the version) in $ODMD_PRODUCTS_FILE.
cd "$last_dir"
ODMD_NPM_PACKAGE=$(node -p 'require("./package.json").name')
base=$(node -p 'require("./package.json").version')
revision_id=${ODMD_REVISION//[^A-Za-z0-9-]/-}
if [[ $ODMD_REV_KIND == tag ]]; then
  ODMD_NPM_VERSION=$base
else
  ODMD_NPM_VERSION="$base-${ODMD_REV_VALUE//[^A-Za-z0-9-]/-}.${GITHUB_RUN_NUMBER:?}.${GITHUB_RUN_ATTEMPT:?}"
fi
export ODMD_NPM_PACKAGE ODMD_NPM_VERSION
cd - >/dev/null
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
cd "$last_dir"
if [[ $(npm view "$ODMD_NPM_PACKAGE@$ODMD_NPM_VERSION" version 2>/dev/null || true) == "$ODMD_NPM_VERSION" ]]; then
  odmd_notice "$ODMD_NPM_PACKAGE@$ODMD_NPM_VERSION is already published"
else
  npm publish --tag "odmd-$revision_id"
fi
