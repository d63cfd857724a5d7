#!/usr/bin/env bash
# The embedded default, with no DATABASE_URL or REDIS_URL: SQLite in a scratch folder,
# migrate, load the data, start the server, fetch the login page, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL REDIS_URL
export PORTAL_VAR_DIR
PORTAL_VAR_DIR=$(mktemp -d)
port=${SMOKE_PORT:-8765}
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py load_reference_data
$py manage.py seed_demo
$py manage.py runserver "127.0.0.1:$port" --noreload > "$PORTAL_VAR_DIR/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$PORTAL_VAR_DIR"' EXIT
for _ in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/accounts/login/" || true)
  [ "$code" = "200" ] && break
  sleep 0.5
done
echo "smoke: GET /accounts/login/ -> $code"
health=$(curl -s "http://127.0.0.1:$port/healthz" || true)
echo "smoke: GET /healthz -> $health"
[ "$code" = "200" ] || { cat "$PORTAL_VAR_DIR/server.log"; exit 1; }
css=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/static/vendor/bootstrap/bootstrap.min.css" || true)
echo "smoke: GET bootstrap.min.css -> $css (served locally, no CDN)"
[ "$css" = "200" ]
states=$($py manage.py shell --no-imports -c "from reports.models import MemberState; print(MemberState.objects.count())")
echo "smoke: $states Member States"
[ "$states" = "193" ]
