# build-image.sh: build the enver's images (the repository's build script when it has one,
# else `docker build` of the last work directory for a single image); the helper pushes them
# and records their repository URIs and digests for the publish step.
listed=$(python3 "$RUNNER_TEMP/odmd/odmd_deploy.py" work-dirs)
mapfile -t work_dirs <<<"$listed"
last_dir=${work_dirs[-1]}
if [[ -f $last_dir/$ODMD_BUILD_SCRIPT ]]; then
  (cd "$last_dir" && bash "./$ODMD_BUILD_SCRIPT")
else
  image=$(python3 "$RUNNER_TEMP/odmd/odmd_deploy.py" single-image "$ODMD_BUILD_SCRIPT" \
    "$last_dir")
  docker build --tag "$image" "$last_dir"
fi
commit=$(git rev-parse HEAD)
python3 "$RUNNER_TEMP/odmd/odmd.py" push-images --commit "$commit"
