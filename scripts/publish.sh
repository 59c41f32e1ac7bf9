#!/usr/bin/env bash
# Publishes the custom handler into publish/app and writes host.json and every function.json
# into publish/, ready for `func start` or a zip deployment. With --service-bus, queue-triggered
# functions are bound to Service Bus queues (connection setting ServiceBusConnection).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
rm -rf publish
# ReadyToRun: precompiled code starts the app about a quarter faster (docs/benchmarks.md, cold start).
dotnet publish functions/MotCua.FunctionApp -c Release -o publish/app -r linux-x64 --self-contained false -p:PublishReadyToRun=true -nologo -v quiet
dotnet publish/app/MotCua.FunctionApp.dll generate-functions publish host.json "$@"
log "publish/ is ready: cd publish && func start"
