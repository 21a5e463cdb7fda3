# build-cmd.sh: run the repository's build script in each work directory (rule: a `cmd`
# build's repository has $ODMD_BUILD_SCRIPT, by default `odmd-build.sh`, run with bash).
for dir in "${work_dirs[@]}"; do
  [[ -f $dir/$ODMD_BUILD_SCRIPT ]] ||
    odmd_fail "no \`$ODMD_BUILD_SCRIPT\` in \`$dir\`: a \`cmd\` build runs that script, with the ODMD_* variables in its environment (see the odmdc README)"
  (cd "$dir" && bash "./$ODMD_BUILD_SCRIPT")
done
