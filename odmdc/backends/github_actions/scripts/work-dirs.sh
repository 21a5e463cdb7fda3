# work-dirs.sh: the build's work directories, in order (the build's `work_dirs`, default the
# repository root); builds run in each, a CDK app deploys and a package publishes from the last.
mapfile -t work_dirs < <(jq -r '.[]' <<<"${ODMD_WORK_DIRS:-[\".\"]}")
((${#work_dirs[@]})) || work_dirs=(.)
last_dir=${work_dirs[-1]}
for dir in "${work_dirs[@]}"; do
  [[ -d $dir ]] || odmd_fail "work directory \`$dir\` (the build's \`work_dirs\`) is not in the checkout"
done
npm_install() {  # the lock file decides, as a developer would
  if [[ -f package-lock.json || -f npm-shrinkwrap.json ]]; then
    npm ci --no-audit --no-fund
  elif [[ -f package.json ]]; then
    npm install --no-audit --no-fund
  fi
}
