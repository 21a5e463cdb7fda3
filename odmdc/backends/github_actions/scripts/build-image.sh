# build-image.sh: build the enver's images (the repository's build script when it has one,
# else `docker build` of the last work directory for a single image), push each to its ECR
# repository tagged with the commit (a commit-command clone creates its repositories), and
# record the products NAME (repository URI) and NAME.latestSha (image digest) in
# $ODMD_PRODUCTS_FILE.
count=$(jq '.images | length' "$ODMD_ENVER_FILE")
if [[ -f $last_dir/$ODMD_BUILD_SCRIPT ]]; then
  (cd "$last_dir" && bash "./$ODMD_BUILD_SCRIPT")
elif ((count == 1)); then
  docker build --tag "$(jq -r '.images[0].local' "$ODMD_ENVER_FILE")" "$last_dir"
else
  odmd_fail "$count images and no \`$ODMD_BUILD_SCRIPT\` in \`$last_dir\` to build them"
fi
commit=$(git rev-parse HEAD)
[[ -f $ODMD_PRODUCTS_FILE ]] || echo '{}' >"$ODMD_PRODUCTS_FILE"
# the account's registry, from the one ECR call that needs no repository
registry=$(aws ecr get-authorization-token --query 'authorizationData[0].proxyEndpoint' --output text)
registry=${registry#https://}
aws ecr get-login-password | docker login --username AWS --password-stdin "$registry"
# a declared enver's repositories come with its build role (the cloudformation backend makes
# them); a clone made by a commit command makes its own
made_at_run_time=$(jq -r '.clone_origin // ""' "$ODMD_ENVER_FILE")
while IFS=$'\t' read -r name built repository; do
  docker image inspect "$built" >/dev/null 2>&1 || odmd_fail "image \`$built\` (\`$name\`) was not built"
  if [[ -n $made_at_run_time ]] && ! aws ecr create-repository --repository-name "$repository" \
    --image-scanning-configuration scanOnPush=true >/dev/null 2>"$odmd_dir/ecr.err"; then
    grep -q RepositoryAlreadyExistsException "$odmd_dir/ecr.err" || { cat "$odmd_dir/ecr.err" >&2; exit 1; }
  fi
  uri="$registry/$repository"
  docker tag "$built" "$uri:$commit"
  docker push "$uri:$commit"
  digest=$(aws ecr describe-images --repository-name "$repository" --image-ids "imageTag=$commit" \
    --query 'imageDetails[0].imageDigest' --output text)
  jq --arg n "$name" --arg u "$uri" --arg d "$digest" '. + {($n): $u, ($n + ".latestSha"): $d}' \
    "$ODMD_PRODUCTS_FILE" >"$odmd_dir/products.tmp"
  mv "$odmd_dir/products.tmp" "$ODMD_PRODUCTS_FILE"
done < <(jq -r '.images[] | [.name, .local, .repository] | @tsv' "$ODMD_ENVER_FILE")
