# common.sh: how every odmd step's shell starts (GitHub runs it as `bash -e -o pipefail`);
# what the step does is odmd's helper's (docs/runtime.md), the shell is glue.
set -euo pipefail
