# redispatch.sh: start this workflow on the enver's ref (workflow_dispatch), where the build
# role trusts the run's OIDC token; that run resolves the ref and deploys. (The enver and its
# ref come from the contracts, through the resolve job: no text here needs escaping.)
gh workflow run "${ODMD_WORKFLOW:?}" --repo "${GITHUB_REPOSITORY:?}" --ref "${ODMD_REF:?}"
echo "::notice title=odmd::\`${ODMD_ENVER:?}\` will deploy in a run of $ODMD_WORKFLOW on $ODMD_REF"
