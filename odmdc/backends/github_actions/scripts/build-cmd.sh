# build-cmd.sh: run the repository's build script in each work directory (a `cmd` build's
# repository has $ODMD_BUILD_SCRIPT, by default `odmd-build.sh`, run with bash).
odmd_work_dirs --require "$ODMD_BUILD_SCRIPT"
for dir in "${work_dirs[@]}"; do
  (cd "$dir" && bash "./$ODMD_BUILD_SCRIPT")
done
