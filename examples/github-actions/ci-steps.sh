#!/usr/bin/env bash
# The steps of examples/github-actions/tenant-emulator.yml as one shell script, so they can be run (and were run)
# outside GitHub: start the emulator with npx in the background, wait for it, eval its credentials, run a test.
#   bash examples/github-actions/ci-steps.sh        (from the repository root, after npm ci)
set -euo pipefail
PORT=${PORT:-18080}
LOG=$(mktemp)

# step "Start the tenant emulator"
npx tenant-emulator start --port "$PORT" --seed seeds/examples/ci-small.json --frozen >"$LOG" 2>&1 &
EMULATOR_PID=$!
trap 'kill $EMULATOR_PID 2>/dev/null || true; rm -f "$LOG"' EXIT

# step "Wait for it"
npx tenant-emulator wait --url "http://127.0.0.1:$PORT" --timeout 60s

# step "Credentials into the environment" (on GitHub: >> "$GITHUB_ENV" instead of eval)
eval "$(npx tenant-emulator credentials --url "http://127.0.0.1:$PORT" --format env)"

# step "Integration test": a client-credentials token for dev, then the ESV list; an ISC PAT token, then certifications
token=$(curl -sf -u "$AIC_DEV_CLIENT_ID:$AIC_DEV_CLIENT_SECRET" "$AIC_DEV_TOKEN_URL" -d grant_type=client_credentials -d 'scope=fr:idc:esv:read' |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
curl -sf "$AIC_DEV_URL/environment/variables" -H "Authorization: Bearer $token" | node -e '
  const r = JSON.parse(require("fs").readFileSync(0)); console.log(`dev ESVs: ${r.result.length}`); if (!Array.isArray(r.result)) process.exit(1)'
pat=$(env | sed -n 's/^\(ISC_PAT_[A-Z0-9_]*\)_CLIENT_ID=.*/\1/p' | head -1)
id_var="${pat}_CLIENT_ID"; secret_var="${pat}_CLIENT_SECRET"
itoken=$(curl -sf "$ISC_TOKEN_URL" -d grant_type=client_credentials -d "client_id=${!id_var}" -d "client_secret=${!secret_var}" |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
curl -sf "$ISC_URL/v3/certifications?reviewer-identity=me" -H "Authorization: Bearer $itoken" >/dev/null
echo "ci-steps: ok"
