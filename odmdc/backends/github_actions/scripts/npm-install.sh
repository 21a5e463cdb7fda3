# npm-install.sh: install a work directory's dependencies; the lock file decides, as a
# developer would.
npm_install() {
  if [[ -f package-lock.json || -f npm-shrinkwrap.json ]]; then
    npm ci --no-audit --no-fund
  elif [[ -f package.json ]]; then
    npm install --no-audit --no-fund
  fi
}
