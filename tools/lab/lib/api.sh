# shellcheck shell=bash
# Kubernetes API calls with curl and a bearer token (no kubectl needed).
# api_request sets API_STATUS (HTTP code, 000 when unreachable) and API_BODY.

API_STATUS=
API_BODY=

# The API as seen from the host: https://127.0.0.1:<port> (state.env: LAB_API_PORT).
api_base() { printf 'https://127.0.0.1:%s' "$LAB_API_PORT"; }

api_request() {  # METHOD PATH [JSON]
  local method=$1 path=$2 body=${3-} out
  out=$(mktemp)
  local args=(-sS -o "$out" -w '%{http_code}' --max-time 30 -X "$method"
    --cacert "$LAB_DIR/pki/ca.crt" -H "@$LAB_DIR/admin.header"
    -H 'Accept: application/json')
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/json' --data-binary @-)
  fi
  API_STATUS=$(curl "${args[@]}" "$(api_base)$path" <<<"$body" 2>/dev/null) || true
  API_BODY=$(cat "$out")
  rm -f "$out"
  [[ "$API_STATUS" == 2* ]]
}

# The message of the Status object the API returned, or the raw body.
api_error() {
  local message
  message=$(jq -r '.message // empty' <<<"$API_BODY" 2>/dev/null || true)
  printf 'HTTP %s: %s' "$API_STATUS" "${message:-${API_BODY:-no response}}"
}

# Like api_request, but a failure ends the command naming WHAT.
api_must() {  # WHAT METHOD PATH [JSON]
  local what=$1
  shift
  api_request "$@" || die "$what: $(api_error)"
}

# Kubernetes kinds the lab knows (those apiserver-lite serves): one line each,
# "Kind plural api-prefix namespaced short-name".
api_kinds() {
  cat <<'KINDS'
Namespace namespaces /api/v1 no ns
Node nodes /api/v1 no no
Pod pods /api/v1 yes po
Service services /api/v1 yes svc
Endpoints endpoints /api/v1 yes ep
EndpointSlice endpointslices /apis/discovery.k8s.io/v1 yes eps
NetworkPolicy networkpolicies /apis/networking.k8s.io/v1 yes netpol
Lease leases /apis/coordination.k8s.io/v1 yes lease
KINDS
}

# Sets KIND_NAME KIND_PLURAL KIND_PREFIX KIND_NAMESPACED for a kind given as
# Kind, plural, singular or short name (any case); dies for unknown kinds.
resolve_kind() {  # KIND
  local wanted kind plural prefix namespaced short
  wanted=$(tr '[:upper:]' '[:lower:]' <<<"$1")
  while read -r kind plural prefix namespaced short; do
    local lower
    lower=$(tr '[:upper:]' '[:lower:]' <<<"$kind")
    if [ "$wanted" = "$lower" ] || [ "$wanted" = "$plural" ] || [ "$wanted" = "$short" ]; then
      KIND_NAME=$kind KIND_PLURAL=$plural KIND_PREFIX=$prefix KIND_NAMESPACED=$namespaced
      return 0
    fi
  done < <(api_kinds)
  die "unknown kind '$1' (the lab knows: $(api_kinds | awk '{print $1}' | paste -sd' '))"
}

# URL path of a collection (NAME empty) or an object.
api_path() {  # NAMESPACE NAME  (after resolve_kind)
  local path=$KIND_PREFIX
  if [ "$KIND_NAMESPACED" = yes ]; then
    path+="/namespaces/$1"
  fi
  path+="/$KIND_PLURAL"
  [ -z "$2" ] || path+="/$2"
  printf '%s' "$path"
}

# Kinds whose .status is written through the /status subresource only.
kind_has_status() {
  case "$1" in Namespace | Node | Pod | Service) return 0 ;; *) return 1 ;; esac
}

# Creates the object, or replaces it if it exists; then writes its .status
# (if it has one) through /status, since the API ignores .status on create
# and update of such kinds. Prints "<kind>/<name> created|configured".
apply_object() {  # JSON
  local json=$1 api_version kind name namespace path verb=created
  api_version=$(jq -r '.apiVersion // empty' <<<"$json")
  kind=$(jq -r '.kind // empty' <<<"$json")
  name=$(jq -r '.metadata.name // empty' <<<"$json")
  [ -n "$kind" ] && [ -n "$name" ] || die "object without kind or metadata.name: $(head -c 200 <<<"$json")"
  resolve_kind "$kind"
  [ "$KIND_NAME" = "$kind" ] || die "kind '$kind' must be spelled '$KIND_NAME' in objects"
  local want_version=${KIND_PREFIX#/api/}
  want_version=${want_version#/apis/}
  [ "$api_version" = "$want_version" ] ||
    die "$kind $name: apiVersion '$api_version' is not served (want '$want_version')"
  namespace=$(jq -r '.metadata.namespace // "default"' <<<"$json")
  if [ "$KIND_NAMESPACED" = yes ]; then
    json=$(jq -c --arg ns "$namespace" '.metadata.namespace = $ns' <<<"$json")
  fi
  path=$(api_path "$namespace" "")
  if ! api_request POST "$path" "$json"; then
    [ "$API_STATUS" = 409 ] || die "create $kind $name: $(api_error)"
    api_must "read $kind $name" GET "$(api_path "$namespace" "$name")"
    local version
    version=$(jq -r '.metadata.resourceVersion' <<<"$API_BODY")
    json=$(jq -c --arg rv "$version" '.metadata.resourceVersion = $rv' <<<"$json")
    api_must "replace $kind $name" PUT "$(api_path "$namespace" "$name")" "$json"
    verb=configured
  fi
  if kind_has_status "$kind" && [ "$(jq -c '.status // {}' <<<"$json")" != "{}" ]; then
    local current
    current=$(jq -c --argjson status "$(jq -c '.status' <<<"$json")" '.status = $status' \
      <<<"$API_BODY")
    api_must "write status of $kind $name" PUT "$(api_path "$namespace" "$name")/status" "$current"
  fi
  printf '%s/%s %s\n' "$(tr '[:upper:]' '[:lower:]' <<<"$kind")" "$name" "$verb"
}

api_delete() {  # KIND NAMESPACE NAME
  resolve_kind "$1"
  api_request DELETE "$(api_path "$2" "$3")" && return 0
  [ "$API_STATUS" = 404 ] || die "delete $KIND_NAME $3: $(api_error)"
  return 1
}
