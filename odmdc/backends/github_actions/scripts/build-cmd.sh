# build-cmd.sh: run the repository's build script in each work directory (a `cmd` build's
# repository has $ODMD_BUILD_SCRIPT, by default `odmd-build.sh`, run with bash).
listed=$(python3 "$RUNNER_TEMP/odmd/odmd_deploy.py" work-dirs --require "$ODMD_BUILD_SCRIPT")
mapfile -t work_dirs <<<"$listed"
for dir in "${work_dirs[@]}"; do
  (cd "$dir" && bash "./$ODMD_BUILD_SCRIPT")
done
