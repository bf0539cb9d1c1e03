#!/bin/sh
# npm run start:<service>, npm run migrate and npm run people:rotate-data-key. With NODE_ENV=production: node on the built JavaScript (npm run build),
# exec'd so that node replaces this shell and the orchestrator's SIGTERM reaches the service itself, and no tsx (a
# second node process relaying signals) stays resident. Otherwise: the TypeScript sources under tsx, as in development.
# Containers need neither npm nor this script: they run `node <entry>` (docs/operations.md).
set -eu
cd "$(dirname "$0")/.."
service=${1:-}
[ $# -gt 0 ] && shift
case "$service" in
  gateway) dir=gateway ;;
  people | requests | points | recognition) dir=subgraphs/$service ;;
  migrate | rotate-people-data-key) dir=scripts ;;
  *)
    echo "lianxin: unknown service \"$service\": name gateway, people, requests, points, recognition, migrate or rotate-people-data-key" >&2
    exit 2
    ;;
esac
if [ "$dir" = scripts ]; then
  source=scripts/$service.ts
  built=scripts/dist/$service.js
else
  source=$dir/src/main.ts
  built=$dir/dist/main.js
fi
if [ "${NODE_ENV:-}" = production ]; then
  if [ ! -f "$built" ]; then
    echo "lianxin: $built is missing: run npm run build first (NODE_ENV=production runs the built output)" >&2
    exit 1
  fi
  exec node "$built" "$@"
fi
exec node_modules/.bin/tsx --conditions=@lianxin/source "$source" "$@"
