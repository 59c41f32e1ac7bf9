#!/usr/bin/env bash
# RabbitMQ 3.10 as the local AMQP 1.0 broker for the Service Bus transport: the Debian package,
# with the AMQP 1.0 plugin and the HTTP API (queues are declared through it), data in .local/rabbitmq.
#   rabbitmq.sh start     installs and starts it unless it already answers on 5672 and 15672
#   rabbitmq.sh restart   stops and starts the broker application (connections drop, queues survive)
#   rabbitmq.sh stop
set -euo pipefail
source "$(dirname "$0")/common.sh"
DIR="$ROOT/.local/rabbitmq"
NODE=motcua@localhost

listening() {
  for port in 5672 15672; do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1; done
}

ctl() { rabbitmqctl -q -n "$NODE" "$@"; }

start() {
  if listening; then log "RabbitMQ already listening on 5672 and 15672"; return; fi
  if (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    log "something else listens on 5672 without an HTTP API on 15672 (a RabbitMQ without rabbitmq_management?); stop it first"
    exit 1
  fi
  need_apt rabbitmq-server
  mkdir -p "$DIR/mnesia" "$DIR/log"
  echo '[rabbitmq_amqp1_0,rabbitmq_management].' >"$DIR/enabled_plugins"
  # Every quorum queue holds files open, and the 1024 handles that su's session gives the broker run
  # out after a few hundred queues: then it stops accepting connections. So as root the broker is
  # started without the Debian wrapper's su, with the shared cookie of the rabbitmq user's home.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  local server=(/usr/sbin/rabbitmq-server) home="$HOME"
  if [ "$(id -u)" -eq 0 ] && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && id rabbitmq >/dev/null 2>&1; then
    server=(/usr/lib/rabbitmq/bin/rabbitmq-server)
    home=$(getent passwd rabbitmq | cut -d: -f6)
  fi
  HOME="$home" \
  RABBITMQ_NODENAME="$NODE" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
  RABBITMQ_MNESIA_BASE="$DIR/mnesia" \
  RABBITMQ_LOG_BASE="$DIR/log" \
  RABBITMQ_FEATURE_FLAGS_FILE="$DIR/feature_flags" \
    setsid "${server[@]}" >"$DIR/server.log" 2>&1 < /dev/null &
  # await_startup fails at once until the node has registered with epmd, so ask again until it answers.
  local started=""
  for _ in $(seq 1 60); do
    if ctl await_startup --timeout 120 >/dev/null 2>&1; then started=1; break; fi
    sleep 1
  done
  [ -n "$started" ] || { log "RabbitMQ did not start; see $DIR/server.log"; exit 1; }
  for _ in $(seq 1 100); do listening && break; sleep 0.2; done
  log "RabbitMQ started ($NODE: AMQP 1.0 on 5672, HTTP API on 15672)"
}

case "${1:-start}" in
  start) start ;;
  restart) ctl stop_app && ctl start_app && ctl await_startup --timeout 120 ;;
  stop) ctl stop || true ;;
  *) echo "usage: $0 start|restart|stop" >&2; exit 2 ;;
esac
