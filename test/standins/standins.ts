import { FLAGS_BY_VERSION, type FlagComponent } from '../../src-main/deploy/flags';

/** Parses --name=value flags into F_name variables, refusing flags the version's checked list does not have. */
function flagParser(component: FlagComponent, version: string, release: string): string {
  const allowed = FLAGS_BY_VERSION[version]?.[component];
  if (!allowed) throw new Error(`standins: no flag list for ${component} ${version}`);
  return `ALLOWED=" ${allowed.join(' ')} "
for arg in "$@"; do
  case "$arg" in
    --version) echo "${component} STAND-IN for Kubernetes ${release} (Kubesmith lab tests)"; exit 0;;
    --*=*) name=\${arg%%=*}; name=\${name#--}; val=\${arg#*=};;
    --*) name=\${arg#--}; val=true;;
    *) echo "${component} stand-in: unexpected argument $arg" >&2; exit 2;;
  esac
  case "$ALLOWED" in *" $name "*) ;; *) echo "Error: unknown flag: --$name (not in the ${version} list)" >&2; exit 2;; esac
  var=F_$(echo "$name" | tr - _)
  eval "$var=\\$val"
done
need() { for f in "$@"; do [ -r "$f" ] || { echo "${component} stand-in: cannot read $f" >&2; exit 1; }; done; }
# Client files of a kubeconfig (embedded data, as Kubesmith writes them), into $KC_DIR.
kubeconfig_files() {
  need "$1"
  KC_DIR=$(mktemp -d)
  KC_SERVER=$(sed -n 's/^ *server: //p' "$1" | head -1)
  sed -n 's/^ *certificate-authority-data: //p' "$1" | base64 -d > "$KC_DIR/ca.crt"
  sed -n 's/^ *client-certificate-data: //p' "$1" | base64 -d > "$KC_DIR/client.crt"
  sed -n 's/^ *client-key-data: //p' "$1" | base64 -d > "$KC_DIR/client.key"
}
api_healthz() { curl -sS --fail --max-time 5 --cacert "$KC_DIR/ca.crt" --cert "$KC_DIR/client.crt" --key "$KC_DIR/client.key" "$KC_SERVER/healthz"; }
serve_dir() { d=/run/kubesmith-standin/$1; mkdir -p "$d"; for p in healthz livez readyz; do echo ok > "$d/$p"; done; cd "$d"; }
self_signed() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=${component}-standin" \\
    -keyout "$KC_DIR/serving.key" -out "$KC_DIR/serving.crt" 2>/dev/null
}
`;
}

const header = (component: string) => `#!/bin/sh
# STAND-IN for ${component}, made by test/standins/standins.ts for Kubesmith's lab tests. Not Kubernetes.
set -eu
echo "STAND-IN ${component} starting" >&2
`;

const bodies: Record<Exclude<FlagComponent, never>, string> = {
  'kube-apiserver': `
# As the real apiserver: --anonymous-auth and an authentication config's anonymous section exclude each other. With the
# config, anonymous requests must be limited to the health paths; without it, anonymous auth must be off.
if [ -n "\${F_authentication_config:-}" ]; then
  [ -z "\${F_anonymous_auth:-}" ] || { echo "stand-in: --anonymous-auth cannot be set when the authentication config has anonymous" >&2; exit 1; }
  need "$F_authentication_config"
  grep -qx 'kind: AuthenticationConfiguration' "$F_authentication_config" || { echo "stand-in: $F_authentication_config is no AuthenticationConfiguration" >&2; exit 1; }
  paths=$(sed -n 's/^ *- path: //p' "$F_authentication_config" | sort | tr '\n' ' ')
  [ "$paths" = "/healthz /livez /readyz " ] || { echo "stand-in: anonymous requests must be limited to /livez, /readyz, /healthz (got: $paths)" >&2; exit 1; }
else
  [ "\${F_anonymous_auth:-}" = false ] || { echo "stand-in: anonymous auth must be off" >&2; exit 1; }
fi
need "$F_tls_cert_file" "$F_tls_private_key_file" "$F_client_ca_file" "$F_etcd_cafile" "$F_etcd_certfile" "$F_etcd_keyfile" \\
  "$F_service_account_key_file" "$F_service_account_signing_key_file" "$F_kubelet_client_certificate" "$F_kubelet_client_key" \\
  "$F_proxy_client_cert_file" "$F_proxy_client_key_file" "$F_requestheader_client_ca_file"
ok=0
for ep in $(echo "$F_etcd_servers" | tr , ' '); do
  if curl -sS --fail --max-time 3 --cacert "$F_etcd_cafile" --cert "$F_etcd_certfile" --key "$F_etcd_keyfile" "$ep/health" >/dev/null; then ok=1; break; fi
done
[ $ok = 1 ] || { echo "stand-in: no etcd answered over TLS at $F_etcd_servers" >&2; exit 1; }
serve_dir kube-apiserver
echo "STAND-IN kube-apiserver serving https://$F_bind_address:$F_secure_port (client certificates from $F_client_ca_file required)" >&2
exec openssl s_server -quiet -accept "$F_bind_address:$F_secure_port" -cert "$F_tls_cert_file" -key "$F_tls_private_key_file" \\
  -CAfile "$F_client_ca_file" -Verify 2 -verify_return_error -WWW
`,
  'kube-controller-manager': `
need "$F_cluster_signing_cert_file" "$F_cluster_signing_key_file" "$F_service_account_private_key_file" "$F_root_ca_file"
kubeconfig_files "$F_kubeconfig"
api_healthz >/dev/null || { echo "stand-in: apiserver at $KC_SERVER refused us" >&2; exit 1; }
self_signed
serve_dir kube-controller-manager
exec openssl s_server -quiet -accept "$F_bind_address:$F_secure_port" -cert "$KC_DIR/serving.crt" -key "$KC_DIR/serving.key" -WWW
`,
  'kube-scheduler': `
kubeconfig_files "$F_kubeconfig"
api_healthz >/dev/null || { echo "stand-in: apiserver at $KC_SERVER refused us" >&2; exit 1; }
self_signed
serve_dir kube-scheduler
exec openssl s_server -quiet -accept "$F_bind_address:$F_secure_port" -cert "$KC_DIR/serving.crt" -key "$KC_DIR/serving.key" -WWW
`,
  kubelet: `
need "$F_config"
grep -q '^cgroupDriver: systemd$' "$F_config" || { echo "stand-in: kubelet config must use the systemd cgroup driver" >&2; exit 1; }
sock=$(sed -n 's|^containerRuntimeEndpoint: unix://||p' "$F_config")
[ -S "$sock" ] || { echo "stand-in: no container runtime socket at $sock" >&2; exit 1; }
# The kubelet hands this file to pods with dnsPolicy Default; it must exist on this host.
resolv=$(sed -n 's/^resolvConf: //p' "$F_config")
[ -n "$resolv" ] || { echo "stand-in: kubelet config sets no resolvConf" >&2; exit 1; }
need "$resolv"
crt=$(sed -n 's/^tlsCertFile: //p' "$F_config"); key=$(sed -n 's/^tlsPrivateKeyFile: //p' "$F_config"); ca=$(sed -n 's/^ *clientCAFile: //p' "$F_config")
need "$crt" "$key" "$ca"
kubeconfig_files "$F_kubeconfig"
api_healthz >/dev/null || { echo "stand-in: apiserver at $KC_SERVER refused us" >&2; exit 1; }
serve_dir kubelet
exec openssl s_server -quiet -accept "$F_node_ip:10250" -cert "$crt" -key "$key" -CAfile "$ca" -Verify 2 -verify_return_error -WWW
`,
  'kube-proxy': `
need "$F_config"
kc=$(sed -n 's/^ *kubeconfig: //p' "$F_config")
kubeconfig_files "$kc"
api_healthz >/dev/null || { echo "stand-in: apiserver at $KC_SERVER refused us" >&2; exit 1; }
echo "STAND-IN kube-proxy: apiserver reachable, idling" >&2
exec sleep infinity
`,
};

const kubectl = `#!/bin/sh
# STAND-IN for kubectl, made by test/standins/standins.ts for Kubesmith's lab tests. Not Kubernetes.
set -eu
kc=\${KUBECONFIG:-/etc/kubernetes/admin.conf}; raw=""; cmd=""; node=""
while [ $# -gt 0 ]; do
  case "$1" in
    --kubeconfig=*) kc=\${1#*=};;
    --kubeconfig) shift; kc=$1;;
    --raw) shift; raw=$1;;
    --raw=*) raw=\${1#*=};;
    get|version) cmd="$cmd$1 ";;
    node|nodes) [ "$cmd" = "get " ] && [ -z "$node" ] && shift && node=$1 || { echo "kubectl STAND-IN: 'get node NAME' only" >&2; exit 3; };;
    --client) cmd="$cmd--client ";;
    *) echo "kubectl STAND-IN supports only 'get --raw PATH', 'get node NAME' and 'version --client', not: $1" >&2; exit 3;;
  esac
  shift
done
case "$cmd" in
  "version --client ") echo "Client Version: STAND-IN (Kubesmith lab tests)"; exit 0;;
  "get ") [ -n "$raw" ] || [ -n "$node" ] || { echo "kubectl STAND-IN: get needs --raw or node NAME" >&2; exit 3; };;
  *) echo "kubectl STAND-IN: unsupported command" >&2; exit 3;;
esac
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
server=$(sed -n 's/^ *server: //p' "$kc" | head -1)
sed -n 's/^ *certificate-authority-data: //p' "$kc" | base64 -d > "$d/ca"
sed -n 's/^ *client-certificate-data: //p' "$kc" | base64 -d > "$d/crt"
sed -n 's/^ *client-key-data: //p' "$kc" | base64 -d > "$d/key"
if [ -n "$node" ]; then
  # The stand-in apiserver keeps no objects (openssl s_server -WWW answers "Error opening" for any path it has no
  # file for): every Node is unknown to it, and kubectl says so as it does for an unknown name.
  code=$(curl -sS -o "$d/body" -w '%{http_code}' --max-time 10 --cacert "$d/ca" --cert "$d/crt" --key "$d/key" "$server/api/v1/nodes/$node")
  if [ "$code" = 404 ] || grep -q "^Error opening" "$d/body"; then echo "Error from server (NotFound): nodes \\"$node\\" not found" >&2; exit 1; fi
  cat "$d/body"; exit 0
fi
curl -sS --fail --max-time 10 --cacert "$d/ca" --cert "$d/crt" --key "$d/key" "$server$raw"
echo
`;

/** The stand-in programs for a Kubernetes minor version (its flag lists), by binary name; --version says `release`. */
export function standins(version: string, release = version): Record<string, string> {
  const out: Record<string, string> = { kubectl };
  for (const [component, body] of Object.entries(bodies) as Array<[FlagComponent, string]>) {
    out[component] = `${header(component)}${flagParser(component, version, release)}${body}`;
  }
  return out;
}
