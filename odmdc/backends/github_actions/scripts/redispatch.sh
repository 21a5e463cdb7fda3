# redispatch.sh: start this workflow on the enver's ref (workflow_dispatch), where the build
# role trusts the run's OIDC token; that run resolves the ref and deploys.
gh workflow run "${ODMD_WORKFLOW:?}" --repo "${GITHUB_REPOSITORY:?}" --ref "${ODMD_REF:?}"
odmd_notice "\`${ODMD_ENVER:?}\` will deploy in a run of $ODMD_WORKFLOW on $ODMD_REF"
