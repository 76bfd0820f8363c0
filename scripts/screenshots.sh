#!/usr/bin/env bash
# Opt-in, not part of the test suite: start a throwaway Cairn server, seed it with the aws CLI, and write PNGs of the
# dashboard's main pages to docs/screenshots/ (or $1). Needs aws, node, /usr/bin/chromium (scripts/install-test-deps.sh)
# and Playwright's driver from the NuGet cache (Microsoft.Playwright, the version Directory.Packages.props pins).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-docs/screenshots}")"
for tool in aws node /usr/bin/chromium; do
    command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (scripts/install-test-deps.sh installs it)" >&2; exit 1; }
done

version="$(sed -n 's/.*PackageVersion Include="Microsoft.Playwright" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
driver="${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.playwright/$version/.playwright/package"
[[ -d "$driver" ]] || dotnet restore tests/Cairn.Dashboard.Tests -nologo -v quiet
[[ -d "$driver" ]] || { echo "screenshots: Playwright's driver is not at $driver" >&2; exit 1; }

dotnet build src/Cairn.Cli -nologo -v quiet
data="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export CAIRN_ROOT_ACCESS_KEY_ID="AKIA$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
export CAIRN_ROOT_SECRET_ACCESS_KEY="$(head -c 30 /dev/urandom | base64 | tr -d '/+=')"
src/Cairn.Cli/bin/Debug/net10.0/cairn serve --data "$data" --port "$port" >"$data/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT
endpoint="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$endpoint/_cairn/ping" >/dev/null && break; sleep 0.2; done

# The seeds' story: a build role that reads /app/* parameters, a CI user in a group, a customer managed policy.
aws_() { AWS_ACCESS_KEY_ID="$CAIRN_ROOT_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$CAIRN_ROOT_SECRET_ACCESS_KEY" AWS_DEFAULT_REGION=us-east-1 \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null aws --endpoint-url "$endpoint" --output json "$@" >/dev/null; }
account=000000000000
aws_ iam create-role --role-name codebuild-service-role --max-session-duration 7200 --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws_ iam put-role-policy --role-name codebuild-service-role --policy-name read-app-parameters --policy-document \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReadApp\",\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameters\",\"Resource\":\"arn:aws:ssm:us-east-1:$account:parameter/app/*\"}]}"
aws_ iam attach-role-policy --role-name codebuild-service-role --policy-arn arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess
aws_ iam create-policy --policy-name ci-deploy --path /ci/ --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:StartBuild","codebuild:BatchGetBuilds"],"Resource":"*"}]}'
aws_ iam create-group --group-name developers
aws_ iam create-user --user-name ci --tags Key=team,Value=platform
aws_ iam add-user-to-group --group-name developers --user-name ci
aws_ iam attach-user-policy --user-name ci --policy-arn "arn:aws:iam::$account:policy/ci/ci-deploy"
aws_ iam create-access-key --user-name ci
aws_ ssm put-parameter --name /app/registry-user --type String --value builder
aws_ ssm put-parameter --name /app/registry-password --type SecureString --value "$(head -c 18 /dev/urandom | base64)"
# A token stored as String: the secrets report's plaintext-secret error (a made-up token in GitHub's format).
aws_ ssm put-parameter --name /ci/github_token --type String --value "ghp_$(head -c 60 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 36)"

mkdir -p "$out"
CAIRN="$endpoint" OUT="$out" SECRET="$CAIRN_ROOT_SECRET_ACCESS_KEY" DRIVER="$driver" node - <<'JS'
const { chromium } = require(process.env.DRIVER);
const pages = [
  ['projects', '/projects'],
  ['parameters', '/parameters'],
  ['iam-users', '/iam/users'],
  ['iam-user', '/iam/users/ci'],
  ['iam-role', '/iam/roles/codebuild-service-role'],
  ['iam-policies', '/iam/policies?scope=Local'],
  ['why-denied', '/iam/why-denied?principal=' + encodeURIComponent('arn:aws:iam::000000000000:role/codebuild-service-role')
    + '&action=ssm:GetParameters&resource=' + encodeURIComponent('arn:aws:ssm:us-east-1:000000000000:parameter/ci/token')],
  ['audit', '/audit'],
  ['secrets-report', '/parameters/report'],
  ['iam-role-least-privilege', '/iam/roles/codebuild-service-role/least-privilege'],
];
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ baseURL: process.env.CAIRN, viewport: { width: 1280, height: 860 } });
  await page.goto('/signin');
  await page.getByLabel('User name').fill('root');
  await page.getByLabel('Password').fill(process.env.SECRET);
  await Promise.all([page.waitForURL('**/projects'), page.getByRole('button', { name: 'Sign in' }).click()]);
  for (const [name, path] of pages) {
    await page.goto(path);
    await page.screenshot({ path: `${process.env.OUT}/${name}.png`, fullPage: true });
    console.log(`${process.env.OUT}/${name}.png`);
  }
  await browser.close();
})().catch(error => { console.error(error); process.exit(1); });
JS
