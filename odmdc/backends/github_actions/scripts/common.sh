# common.sh: what every odmd step starts with (GitHub runs it as `bash -e -o pipefail`).
set -euo pipefail
export LC_ALL=C  # ASCII character ranges in patterns and sanitisers, whatever the runner's locale
# bash 5.2 would expand `&` in ${var//pattern/replacement}; names never contain one, but be sure
shopt -u patsub_replacement 2>/dev/null || true

odmd_dir="${RUNNER_TEMP:?}/odmd"
mkdir -p "$odmd_dir"
# What a build gets besides the ODMD_* names in the job's environment (see the README):
export ODMD_ENVER_FILE="$odmd_dir/enver.json"        # the resolved enver: names, consumers, products
export ODMD_CONSUMES_FILE="$odmd_dir/consumes.json"  # consumer name -> value
export ODMD_PRODUCTS_FILE="$odmd_dir/products.json"  # product name -> value, written by the build
if [[ -n ${ODMD_PLAN:-} ]]; then
  printf '%s\n' "$ODMD_PLAN" >"$ODMD_ENVER_FILE"
  IFS=$'\x1f' read -r ODMD_REV_KIND ODMD_REV_VALUE ODMD_CLONE_OF ODMD_STACKS < <(jq -r \
    '[.revision.kind, .revision.value, .clone_of // "", (.stacks | join(" "))] | join("\u001f")' \
    "$ODMD_ENVER_FILE")
  export ODMD_REV_KIND ODMD_REV_VALUE ODMD_CLONE_OF ODMD_STACKS
fi

# Workflow-command messages: `%`, CR and LF escaped, so that text from a branch name, a commit
# message or a parameter can never start a command line of its own.
odmd_escape() {
  local s=$1
  s=${s//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  s=${s//$'\n'/'%0A'}
  printf '%s' "$s"
}
odmd_notice() { printf '::notice title=odmd::%s\n' "$(odmd_escape "$1")"; }
odmd_warning() { printf '::warning title=odmd::%s\n' "$(odmd_escape "$1")"; }
odmd_error() { printf '::error title=odmd::%s\n' "$(odmd_escape "$1")"; }
odmd_fail() {
  odmd_error "$1"
  exit 1
}

# A step output, written with a random delimiter so that no value can end it early.
odmd_output() {
  local delimiter
  delimiter="odmd_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s<<%s\n%s\n%s\n' "$1" "$delimiter" "$2" "$delimiter" >>"${GITHUB_OUTPUT:?}"
}

# The config store lives in the central account: reach it through the center role, assumed
# from the build role's credentials in the environment (role chaining). A profile rather than
# swapping the environment, so that builds keep the build role.
export AWS_CONFIG_FILE="$odmd_dir/aws-config"
odmd_center() {
  if [[ ! -s $AWS_CONFIG_FILE ]]; then
    printf '[profile odmd-center]\nrole_arn = %s\ncredential_source = Environment\nrole_session_name = odmd-center\nregion = %s\n' \
      "${ODMD_CENTER_ROLE_ARN:?}" "${ODMD_REGION:?}" >"$AWS_CONFIG_FILE"
  fi
  aws --profile odmd-center "$@"
}
