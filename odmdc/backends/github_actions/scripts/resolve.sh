# resolve.sh: which enver does this run deploy? Sets the step outputs `action` (deploy,
# delete, redispatch or none), `enver`, `revision`, `checkout` (what to check out), `create`
# and `plan` (the enver's names as JSON).
#   ODMD_ENVERS        this workflow's envers: revision path -> names (JSON)
#   ODMD_BUILD_ENVERS  every enver of the build: id, revision, clone_of, workflow, names (JSON)
#   ODMD_CLONES        "true" when the build may have clones made by commit commands
#   ODMD_AWS           the outcome of assuming the build role ("success" when it could)
#   ODMD_HEAD_MESSAGE, ODMD_DISPATCH_*: untrusted, used as data only
action=none enver="" revision="" checkout="" create=false plan="{}"

finish() {
  odmd_output action "$action"
  odmd_output enver "$enver"
  odmd_output revision "$revision"
  odmd_output checkout "$checkout"
  odmd_output create "$create"
  odmd_output plan "$plan"
  exit 0
}
skip() {
  odmd_notice "$1: nothing to deploy"
  finish
}

# ---- the build's envers ------------------------------------------------------------------
# Our revision path, the id and the workflow of the build's enver on branch/tag $2 ($1: the
# kind), separated by \x1f (fields may be empty: IFS must not be whitespace, which would merge
# them)
lookup() {
  jq -r --arg k "$1" --arg v "$2" --argjson b "$ODMD_BUILD_ENVERS" '
    def hit: .revision.kind == $k and .revision.value == $v;
    ([to_entries[] | select(.value | hit) | .key][0] // "") as $ours
    | ([$b[] | select(hit)][0] // {}) as $any
    | [$ours, $any.id // "", $any.workflow // ""] | join("\u001f")' <<<"$ODMD_ENVERS"
}
use_declared() {  # revision path
  { read -r enver; read -r plan; } < <(jq -c --arg p "$1" \
    '.[$p] | del(.clone_templates) + {create: false} | .enver, .' <<<"$ODMD_ENVERS")
  enver=${enver//\"/}
  revision=$1
  action=deploy
}

# ---- `odmd:` commands, read as `odmdc clone` reads them (rule E406) ------------------------
command="" origin=""
parse_command() {
  local line body rest key first=""
  while IFS= read -r line || [[ -n $line ]]; do
    body=${line#"${line%%[![:space:]]*}"}
    [[ $body == odmd:* ]] || continue
    rest=${body#odmd:}
    rest=${rest#"${rest%%[![:space:]]*}"}
    rest=${rest%"${rest##*[![:space:]]}"}
    if [[ $rest == delete ]]; then
      key=delete
    elif [[ $rest =~ ^create@([^[:space:]]+)$ ]]; then
      key="create@${BASH_REMATCH[1]}"
    else
      odmd_fail "malformed \`odmd:\` command \`${body%"${body##*[![:space:]]}"}\`: write \`odmd: create@<branch or tag>\` or \`odmd: delete\` alone on its line (E406)"
    fi
    if [[ -z $first ]]; then
      first=$key
    elif [[ $key != "$first" ]]; then
      odmd_fail "conflicting \`odmd:\` commands \`$first\` and \`$key\` in one commit message: keep exactly one (E406)"
    fi
  done <<<"$1"
  case $first in
    delete) command=delete ;;
    create@*) command=create origin=${first#create@} ;;
  esac
}

# A branch a clone can live on (rules E102, E103).
valid_clone_branch() {
  [[ $1 =~ ^[A-Za-z0-9_.-]+$ && $1 != *..* && $1 != *_-* && $1 != *-_* && $1 != [vV]* ]]
}

# ---- clone records in the central config store ---------------------------------------------
record=""
need_aws() {  # why: what the records are needed for
  [[ ${ODMD_AWS:-success} == success ]] && return 0
  local why="the build role could not be assumed on this branch, so its clone records cannot be read"
  [[ $1 == push ]] || odmd_fail "$why: \`odmd: $1\` is not carried out (does the build role trust refs/heads/* of this repository?)"
  odmd_warning "$why"
  skip "branch \`$2\` is not declared"
}
read_record() {  # branch -> $record (the origin's revision path, or empty)
  local err="$odmd_dir/record.err"
  if record=$(odmd_center ssm get-parameter --name "$ODMD_CLONE_RECORDS/$1" \
    --query Parameter.Value --output text 2>"$err"); then
    return 0
  fi
  record=""
  grep -q ParameterNotFound "$err" && return 0
  cat "$err" >&2
  odmd_fail "could not read the clone record $ODMD_CLONE_RECORDS/$1"
}

# The names of origin $1's clone on branch $2: the origin's names with the clone's revision
# (as odmdc.compiler.naming makes them: clone revision path, stack names, product paths, ECR
# repositories; the enver name as `odmdc clone` gives it).
use_clone() {
  local unclonable problems
  {
    read -r unclonable
    read -r problems
    read -r enver
    read -r revision
    read -r plan
  } < <(jq -r --arg p "$1" --arg branch "$2" --arg build "$ODMD_BUILD" '
    def stack_chars: gsub("[^A-Za-z0-9]"; "-");
    def stack_ends: (if startswith("-") then "A" + .[1:] else . end)
      | (if endswith("-") then .[:-1] + "Z" else . end);
    def ecr_chars: ascii_downcase | gsub("[^a-z0-9/-]"; "");
    def enver_name: gsub("[^A-Za-z0-9_-]"; "-") | if test("^[A-Za-z_]") then . else "_" + . end;
    .[$p] as $o | $o.clone_templates as $t
    | ($t.revision | gsub($t.mark; $branch)) as $rev
    | ($o + {
        enver: ($build + "." + ($branch | enver_name)),
        clone_of: $o.enver,
        clone_origin: $p,
        revision: {kind: "branch", value: $branch, path: $rev},
        stacks: [$t.stacks[] | gsub($t.mark; $branch | stack_chars) | stack_ends],
        products: [$o.products[] | .path = ($t.products[.name] | gsub($t.mark; $rev))],
        images: [$o.images[] | .repository = ($t.images[.name] | gsub($t.mark; $rev | ecr_chars))],
        create: false
      } | del(.clone_templates)) as $plan
    | ([($plan.stacks[] | select((test("^[A-Za-z][A-Za-z0-9-]*$") | not) or length > 128)
          | "stack name `\(.)` is not a valid CloudFormation stack name (at most 128 letters, digits and `-`, a letter first)"),
        ($plan.images[].repository | select(length > 256) | "ECR repository `\(.)` is longer than 256"),
        ($plan.products[].path | select(length > 1011) | "parameter `\(.)` is longer than 1011")]
       | join("; ")) as $problems
    | ($t.unclonable // ""), $problems, $plan.enver, $rev, ($plan | tojson)' <<<"$ODMD_ENVERS")
  [[ -z $unclonable ]] || odmd_fail "no clone of \`$1\` on branch \`$2\`: $unclonable"
  [[ -z $problems ]] || odmd_fail "a clone on branch \`$2\` would break AWS limits (E106): $problems"
  action=deploy
}

# ---- a commit command's origin (as odmdc.compiler.clones.dynamic.find_origin) --------------
origin_path=""
find_origin() {  # origin text -> $origin_path, or fails / skips
  local kind="" value=$1 count id clone workflow
  case $1 in
    b..?*) kind=branch value=${1#b..} ;;
    t..?*) kind=tag value=${1#t..} ;;
  esac
  IFS=$'\x1f' read -r count id clone origin_path workflow < <(jq -r --arg k "$kind" --arg v "$value" '
    [.[] | select(.revision.value == $v and ($k == "" or .revision.kind == $k))] as $all
    | [$all[] | select(.clone_of == null)] as $declared
    | (if ($declared | length) > 0 then $declared else $all end) as $found
    | ($found[0] // {}) as $f
    | [($found | length), $f.id // "", $f.clone_of // "", $f.revision.path // "", $f.workflow // ""]
    | join("\u001f")' \
    <<<"$ODMD_BUILD_ENVERS")
  if ((count == 0)); then
    odmd_fail "unknown branch or tag \`$value\` in build \`$ODMD_BUILD\`: \`odmd: create@$1\` names no enver (E201)"
  elif ((count > 1)); then
    odmd_fail "\`$1\` is the revision of $count envers of build \`$ODMD_BUILD\`: write \`odmd: create@b..$value\` or \`odmd: create@t..$value\` (E406)"
  fi
  [[ -z $clone ]] || odmd_fail "\`$1\` is the revision of clone \`$id\`: a clone cannot be cloned (E402)"
  is_ours "$origin_path" || skip "origin \`$1\` is deployed by workflow $workflow"
}
is_ours() { jq -e --arg p "$1" 'has($p)' <<<"$ODMD_ENVERS" >/dev/null; }

# Rules E401 (max_clones) and E105 (no two envers share a stack or repository) for a new
# clone, whose names are in $plan: against the build's envers and the other recorded clones.
check_new_clone() {  # origin path, branch
  local records="$odmd_dir/records.json" count clash
  odmd_center ssm get-parameters-by-path --path "$ODMD_CLONE_RECORDS" --output json >"$records"
  IFS=$'\x1f' read -r count clash < <(jq -r --arg o "$1" --arg n "$ODMD_CLONE_RECORDS/$2" \
    --argjson e "$ODMD_ENVERS" --argjson plan "$plan" --slurpfile r "$records" '
    def stack_chars: gsub("[^A-Za-z0-9]"; "-");
    [$r[0].Parameters[]? | select(.Name != $n)] as $others
    | ([.[] | select(.clone_of == $e[$o].enver)] + [$others[] | select(.Value == $o)] | length)
    as $count
    | ([.[] | .id as $id | (.stacks[]?, .repositories[]?) | {name: ., owner: $id}]
       + [$others[] | (.Name | split("/") | last) as $b
          | select(($b | stack_chars) == ($plan.revision.value | stack_chars))
          | {name: $plan.stacks[], owner: "the clone on branch \($b)"}]
       | map(select(.name as $x | $plan.stacks + [$plan.images[].repository] | any(. == $x)))
       | (.[0] // empty | "`\(.name)` of \(.owner)") // "") as $clash
    | [$count, $clash] | join("\u001f")' <<<"$ODMD_BUILD_ENVERS")
  if ((count >= ${ODMD_MAX_CLONES:?})); then
    odmd_fail "\`$1\` already has $count clones, the org's max_clones is $ODMD_MAX_CLONES (E401)"
  fi
  [[ -z $clash ]] || odmd_fail "a clone on branch \`$2\` would take over $clash (E105): choose another branch name"
}

# ---- a push or a manual run: the ref that was pushed or chosen ------------------------------
resolve_ref() {
  local kind=${GITHUB_REF_TYPE:?} value=${GITHUB_REF_NAME:?} path owner workflow
  [[ $kind == branch || $kind == tag ]] || skip "ref type \`$kind\`"
  checkout=${GITHUB_SHA:?}
  parse_command "${ODMD_HEAD_MESSAGE:-}"
  IFS=$'\x1f' read -r path owner workflow < <(lookup "$kind" "$value")
  if [[ -n $path ]]; then
    [[ -z $command ]] || odmd_warning "\`odmd: $command\` ignored: $kind \`$value\` deploys a declared enver"
    use_declared "$path"
    finish
  fi
  if [[ -n $owner ]]; then
    [[ -z $command ]] || odmd_fail "\`odmd: $command\` on $kind \`$value\`, which deploys \`$owner\`: clones live on branches of their own (E403, E406)"
    skip "$kind \`$value\` is deployed by workflow $workflow"
  fi
  [[ $kind == branch ]] || skip "tag \`$value\` is not declared in the contracts"
  [[ ${ODMD_CLONES:?} == true ]] || skip "branch \`$value\` is not declared, and build \`$ODMD_BUILD\` has no clones"
  if ! valid_clone_branch "$value"; then
    [[ -z $command ]] || odmd_fail "branch \`$value\` cannot hold a clone: a revision is letters, digits and \`_.-\`, without \`..\`, \`_-\` or \`-_\`, and a branch may not start with \`v\` (E102, E103)"
    skip "branch \`$value\` is not a revision the contracts could name"
  fi
  need_aws "${command:-push}" "$value"
  case $command in
    create) create_clone "$value" ;;
    delete) delete_clone "$value" ;;
    *) existing_clone "$value" ;;
  esac
}

create_clone() {
  find_origin "$origin"
  read_record "$1"
  if [[ -n $record && $record != "$origin_path" ]]; then
    odmd_fail "branch \`$1\` is already a clone of \`$record\`: push \`odmd: delete\` first"
  fi
  use_clone "$origin_path" "$1"
  [[ -n $record ]] || check_new_clone "$origin_path" "$1"
  create=true
  plan=$(jq -c '.create = true' <<<"$plan")
  finish
}

existing_clone() {
  read_record "$1"
  [[ -n $record ]] || skip "branch \`$1\` is not declared and is no clone (push \`odmd: create@<branch or tag>\` to make it one)"
  is_ours "$record" || skip "branch \`$1\` is a clone of \`$record\`, deployed by another workflow"
  use_clone "$record" "$1"
  finish
}

delete_clone() {
  read_record "$1"
  [[ -n $record ]] || skip "\`odmd: delete\`: branch \`$1\` is no clone"
  is_ours "$record" || skip "branch \`$1\` is a clone of \`$record\`, deployed by another workflow"
  use_clone "$record" "$1"
  action=delete
  finish
}

# ---- repository_dispatch: a consumed product changed, or an approver released the change ----
# The central template names the enver, its ref and its workflow (cloudformation backend,
# events.py). A repository_dispatch run starts on the default branch, where the build role
# would not trust its OIDC token: the run starts this workflow again on the enver's own ref
# (`redispatch`), and that run deploys.
resolve_dispatch() {
  local id=${ODMD_DISPATCH_ENVER:-} wanted=${ODMD_DISPATCH_WORKFLOW:-} path ref
  [[ -n $id ]] || odmd_fail "repository_dispatch \`${ODMD_DISPATCH_TYPE:-}\` without \`client_payload.enver\`"
  [[ -z $wanted || $wanted == "${ODMD_WORKFLOW:?}" ]] || skip "the dispatch is for workflow $wanted"
  path=$(jq -r --arg id "$id" 'to_entries[] | select(.value.enver == $id) | .key' \
    <<<"$ODMD_ENVERS" | head -n 1)
  [[ -n $path ]] || skip "enver \`$id\` is not deployed by this workflow"
  use_declared "$path"
  ref=$(jq -r '"refs/\(if .revision.kind == "tag" then "tags" else "heads" end)/\(.revision.value)"' <<<"$plan")
  if [[ -n ${ODMD_DISPATCH_REF:-} && $ODMD_DISPATCH_REF != "$ref" ]]; then
    odmd_warning "the dispatch names ref \`$ODMD_DISPATCH_REF\` for \`$id\`, whose ref is \`$ref\`: running on \`$ref\`"
  fi
  checkout=$ref
  action=redispatch
  finish
}

case ${GITHUB_EVENT_NAME:?} in
  push | workflow_dispatch) resolve_ref ;;
  repository_dispatch) resolve_dispatch ;;
  *) skip "event \`$GITHUB_EVENT_NAME\`" ;;
esac
