# work-dirs.sh: the build's work directories, in order (its `work_dirs`, default the
# repository root), checked by the helper; builds run in each, a CDK app deploys and a
# package publishes from the last.
odmd_work_dirs() {  # [--require SCRIPT]
  local listed
  listed=$(python3 "$RUNNER_TEMP/odmd/odmd_deploy.py" work-dirs "$@")
  mapfile -t work_dirs <<<"$listed"
}
npm_install() {  # the lock file decides, as a developer would
  if [[ -f package-lock.json || -f npm-shrinkwrap.json ]]; then
    npm ci --no-audit --no-fund
  elif [[ -f package.json ]]; then
    npm install --no-audit --no-fund
  fi
}
