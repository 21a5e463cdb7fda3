# odmd step glue (docs/runtime.md): bash as GitHub runs it (`-e -o pipefail`), and `-u`
set -euo pipefail
