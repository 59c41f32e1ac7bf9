#!/usr/bin/env bash
# Lints and builds infra/main.bicep with the bicep CLI from its NuGet package (installed into .tools/bicep).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
BICEP_VERSION=0.49.2
dir="$ROOT/.tools/bicep"
bicep="$dir/packages/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"
if [ ! -x "$bicep" ]; then
  mkdir -p "$dir"
  cat > "$dir/restore.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageReference Include="Azure.Bicep.CommandLine.linux-x64" Version="$BICEP_VERSION" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$dir/restore.csproj" --packages "$dir/packages" -v quiet >/dev/null
  chmod +x "$bicep"
fi
"$bicep" lint infra/main.bicep
"$bicep" build infra/main.bicep --stdout >/dev/null
log "infra/main.bicep lints and builds"
