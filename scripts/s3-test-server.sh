#!/usr/bin/env bash
# Starts a local S3-compatible server for the integration tests: OpenStack Swift (Debian's
# packages) with its s3api middleware + tempauth, one node, one replica, plus memcached.
# Idempotent: installs what is missing, (re)writes the config, starts what is not running,
# waits until the endpoint answers. Needs root, no systemd.
# stdout: only the `export STEPWISE_TEST_S3_...` lines (eval them); everything else -> stderr.
# Logs: /var/log/stepwise-swift/<server>.log.   Restart with new config: S3_SERVER_RESTART=1.
set -euo pipefail

# 127.0.0.1 only, clear of the machine's services and of dev servers (seen on 18081):
PROXY_PORT=18080
OBJECT_PORT=16200     # Swift's defaults 6200-6202 and memcached's 11211, plus 10000
CONTAINER_PORT=16201
ACCOUNT_PORT=16202
MEMCACHED_PORT=21211
ACCOUNT=test S3_USER=tester KEY=testing REGION=us-east-1   # key id = account:user
DATA=${STEPWISE_SWIFT_ROOT:-/srv/stepwise-swift}   # devices live in $DATA/node/d1 (plain dir)
LOGS=/var/log/stepwise-swift
RUN=/run/stepwise-swift
CONF=/etc/swift                                     # swift reads /etc/swift/swift.conf, fixed
ENDPOINT="http://127.0.0.1:$PROXY_PORT"

log() { echo "s3-server: $*" >&2; }

print_env() {
  echo "export STEPWISE_TEST_S3_ENDPOINT=$ENDPOINT"
  echo "export STEPWISE_TEST_S3_ACCESS_KEY_ID=$ACCOUNT:$S3_USER"
  echo "export STEPWISE_TEST_S3_SECRET_ACCESS_KEY=$KEY"
  echo "export STEPWISE_TEST_S3_REGION=$REGION"
}

# Ready = every backend's healthcheck answers, tempauth issues a token (needs memcached)
# and the proxy can read the account through it (needs the rings and account server).
ready() {
  local p token
  for p in $ACCOUNT_PORT $CONTAINER_PORT $OBJECT_PORT $PROXY_PORT; do
    curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$p/healthcheck" 2>/dev/null || return 1
  done
  token=$(curl -fsS -m 5 -o /dev/null -D - -H "X-Storage-User: $ACCOUNT:$S3_USER" \
    -H "X-Storage-Pass: $KEY" "$ENDPOINT/auth/v1.0" 2>/dev/null |
    tr -d '\r' | sed -n 's/^[Xx]-[Aa]uth-[Tt]oken: //p') || return 1
  [ -n "$token" ] &&
    curl -fsS -m 5 -o /dev/null -H "X-Auth-Token: $token" "$ENDPOINT/v1/AUTH_$ACCOUNT" 2>/dev/null
}

listening() { ss -Hltn "sport = :$1" | grep -q .; }
ours() {  # is the listener on port $1 one of the processes this script started?
  local f
  for f in "$RUN"/*.pid; do
    [ -e "$f" ] && ss -Hltnp "sport = :$1" | grep -q "pid=$(cat "$f")," && return 0
  done
  return 1
}

stop_ours() {  # only processes this script started (pid files), never by name
  local f pid
  for f in "$RUN"/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f"); rm -f "$f"
    grep -qas -e swift- -e memcached "/proc/$pid/cmdline" || continue   # pid reused: not ours
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
}

if [ "${S3_SERVER_RESTART:-0}" = 1 ]; then
  stop_ours
elif command -v curl >/dev/null && ready; then
  log "already running at $ENDPOINT"
  print_env
  exit 0
fi

# --- install -------------------------------------------------------------------------------
PKGS="swift swift-proxy swift-account swift-container swift-object memcached curl iproute2"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing="$missing $p"
done
if [ -n "$missing" ]; then
  log "installing:" $missing
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # confold: never prompt over conffiles this script rewrote (re-installs); none are needed as-is.
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold $missing >&2
fi

# A port held by something that is not ours would make the start fail later: say so now.
for p in $PROXY_PORT $ACCOUNT_PORT $CONTAINER_PORT $OBJECT_PORT $MEMCACHED_PORT; do
  if listening "$p" && ! ours "$p"; then
    log "port $p is in use by another process:"; ss -Hltnp "sport = :$p" >&2; exit 1
  fi
done

# --- config --------------------------------------------------------------------------------
mkdir -p "$CONF" "$DATA/node/d1" "$LOGS" "$RUN"
chown -R swift:swift "$DATA"

cat >"$CONF/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = stepwise-ci
swift_hash_path_prefix = stepwise-ci

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
# 5 GiB per object/part, as S3 (the default too); large objects are SLO manifests.
max_file_size = 5368709122
EOF

# Shared by the three backend servers; each gets its port and app below.
backend_conf() {  # name port
  cat >"$CONF/$1-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 1
user = swift
swift_dir = $CONF
devices = $DATA/node
mount_check = false
disable_fallocate = true
log_name = $1-server
log_level = INFO

[pipeline:main]
pipeline = healthcheck $1-server

[app:$1-server]
use = egg:swift#$1

[filter:healthcheck]
use = egg:swift#healthcheck
EOF
}
backend_conf account $ACCOUNT_PORT
backend_conf container $CONTAINER_PORT
backend_conf object $OBJECT_PORT

# Swift 2.30's s3api insists on Content-MD5 for DeleteObjects (POST ?delete); AWS SDK v3
# (>= 3.729) sends x-amz-checksum-crc32 instead, as AWS now allows. This filter, placed before
# s3api, adds the MD5 of the (small, <= 10 MiB) body. Content-MD5 is not a SigV4-signed header
# here, so the signature check is unaffected.
mkdir -p "$CONF/python"
cat >"$CONF/python/stepwise_s3compat.py" <<'PY'
import base64, hashlib, io

def filter_factory(global_conf, **local_conf):
    def factory(app):
        def add_md5(env, start_response):
            query = [p.split('=')[0] for p in env.get('QUERY_STRING', '').split('&')]
            size = int(env.get('CONTENT_LENGTH') or 0)
            if (env['REQUEST_METHOD'] == 'POST' and 'delete' in query
                    and 'HTTP_CONTENT_MD5' not in env and 0 < size <= 10 << 20):
                body = env['wsgi.input'].read(size)
                env['wsgi.input'] = io.BytesIO(body)
                env['HTTP_CONTENT_MD5'] = base64.b64encode(hashlib.md5(body).digest()).decode()
            return app(env, start_response)
        return add_md5
    return factory
PY

# s3api must come before tempauth; slo must be after s3api or multipart is disabled.
cat >"$CONF/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $PROXY_PORT
workers = 2
user = swift
swift_dir = $CONF
log_name = proxy-server
log_level = INFO

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl s3compat s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:s3compat]
paste.filter_factory = stepwise_s3compat:filter_factory

[filter:s3api]
use = egg:swift#s3api
location = $REGION
dns_compliant_bucket_names = true
s3_acl = false
check_bucket_owner = false
# S3's own limits: 10000 parts of at least 5 MiB (the last may be smaller).
max_upload_part_num = 10000
min_segment_size = 5242880
allowable_clock_skew = 900

[filter:tempauth]
use = egg:swift#tempauth
user_${ACCOUNT}_${S3_USER} = $KEY .admin

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000
max_manifest_size = 67108864
# no throttling of small-segment GETs
rate_limit_segments_per_sec = 0

[filter:dlo]
use = egg:swift#dlo

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:tempurl]
use = egg:swift#tempurl

[filter:copy]
use = egg:swift#copy

[filter:versioned_writes]
use = egg:swift#versioned_writes
EOF
rm -f "$CONF/memcache.conf"   # would otherwise be consulted for memcache_servers

# Rings: one device, one replica, part power 8. Rebuilt only when the ports change.
for svc in account container object; do
  port_var="${svc^^}_PORT"
  if ! swift-ring-builder "$CONF/$svc.builder" 2>/dev/null | grep -q "127.0.0.1:${!port_var} "; then
    rm -f "$CONF/$svc.builder" "$CONF/$svc.ring.gz"
    swift-ring-builder "$CONF/$svc.builder" create 8 1 1 >&2
    swift-ring-builder "$CONF/$svc.builder" add r1z1-127.0.0.1:"${!port_var}"/d1 100 >&2
    swift-ring-builder "$CONF/$svc.builder" rebalance >&2
  fi
done
chown -R swift:swift "$CONF"

# --- start ---------------------------------------------------------------------------------
start() {  # name port command...
  local name=$1 port=$2; shift 2
  if listening "$port"; then return; fi
  log "starting $name on 127.0.0.1:$port (log: $LOGS/$name.log)"
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}
start memcached $MEMCACHED_PORT memcached -u memcache -l 127.0.0.1 -p $MEMCACHED_PORT -m 64
# -v keeps the servers' logs on stderr (there is no syslog here); they do not daemonize.
for svc in account container object proxy; do
  port_var="${svc^^}_PORT"
  start "$svc-server" "${!port_var}" env PYTHONPATH="$CONF/python" \
    "swift-$svc-server" "$CONF/$svc-server.conf" -v
done

for _ in $(seq 1 60); do
  if ready; then
    log "ready at $ENDPOINT"
    print_env
    exit 0
  fi
  sleep 1
done
log "ERROR: Swift did not answer at $ENDPOINT within 60 s (S3_SERVER_RESTART=1 restarts ours); logs:"
for f in "$LOGS"/*.log; do echo "== $f" >&2; tail -n 15 "$f" >&2; done
exit 1
