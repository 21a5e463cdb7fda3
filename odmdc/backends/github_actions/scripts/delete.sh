# delete.sh: `odmd: delete` on a clone's branch: remove what the clone deployed (its stacks,
# its ECR repositories, or what the repository's delete script removes), its products and
# its record. Published npm versions stay.
case ${ODMD_KIND:?} in
  cdk)
    mapfile -t stacks < <(jq -r '.stacks | reverse | .[]' "$ODMD_ENVER_FILE")
    for stack in "${stacks[@]}"; do
      aws cloudformation delete-stack --stack-name "$stack"
      aws cloudformation wait stack-delete-complete --stack-name "$stack"
    done
    ;;
  container_image)
    while IFS= read -r repository; do
      if ! aws ecr delete-repository --repository-name "$repository" --force >/dev/null 2>"$odmd_dir/ecr.err"; then
        grep -q RepositoryNotFoundException "$odmd_dir/ecr.err" || { cat "$odmd_dir/ecr.err" >&2; exit 1; }
      fi
    done < <(jq -r '.images[].repository' "$ODMD_ENVER_FILE")
    ;;
  cmd)
    if [[ -f $last_dir/$ODMD_DELETE_SCRIPT ]]; then
      (cd "$last_dir" && bash "./$ODMD_DELETE_SCRIPT")
    else
      odmd_notice "no \`$ODMD_DELETE_SCRIPT\` in \`$last_dir\`: nothing but the products to remove"
    fi
    ;;
  npm_package)
    odmd_notice "published versions of the package stay in the registry"
    ;;
esac
mapfile -t paths < <(jq -r '.products[].path' "$ODMD_ENVER_FILE")
for path in "${paths[@]}" "$ODMD_CLONE_RECORDS/$ODMD_REV_VALUE"; do  # the record last
  if ! odmd_center ssm delete-parameter --name "$path" 2>"$odmd_dir/delete.err"; then
    grep -q ParameterNotFound "$odmd_dir/delete.err" || { cat "$odmd_dir/delete.err" >&2; exit 1; }
  fi
done
odmd_notice "clone \`$ODMD_ENVER\` (branch \`$ODMD_REV_VALUE\`) deleted"
