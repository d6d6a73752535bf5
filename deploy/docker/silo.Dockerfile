# syntax=docker/dockerfile:1
# The silo image. Build from the repository root:
#   docker build -f deploy/docker/silo.Dockerfile -t shop-silo .
# The SDK image builds, the ASP.NET Core runtime image runs, as the non-root 'app' user (uid 1654) of that image.
# Nothing secret is in it: appsettings.Development.json (development keys), local keys and tests are excluded by
# silo.Dockerfile.dockerignore; keys and connection strings come from the environment or mounted files at run time.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Shop.Hosting/Shop.Hosting.csproj Shop.Hosting/
COPY Shop.Grains.Interfaces/Shop.Grains.Interfaces.csproj Shop.Grains.Interfaces/
COPY Shop.Grains/Shop.Grains.csproj Shop.Grains/
COPY Shop.WeChatPay/Shop.WeChatPay.csproj Shop.WeChatPay/
COPY Shop.Client/Shop.Client.csproj Shop.Client/
COPY Shop.Silo/Shop.Silo.csproj Shop.Silo/
RUN dotnet restore Shop.Silo/Shop.Silo.csproj
COPY Shop.Hosting/ Shop.Hosting/
COPY Shop.Grains.Interfaces/ Shop.Grains.Interfaces/
COPY Shop.Grains/ Shop.Grains/
COPY Shop.WeChatPay/ Shop.WeChatPay/
COPY Shop.Client/ Shop.Client/
COPY Shop.Silo/ Shop.Silo/
COPY deploy/sql/ deploy/sql/
COPY deploy/data/ deploy/data/
RUN dotnet publish Shop.Silo/Shop.Silo.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY --chmod=755 deploy/docker/healthcheck.sh /usr/local/bin/shop-healthcheck
ENV Urls=http://0.0.0.0:8080
EXPOSE 8080 11111 30000
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["shop-healthcheck", "/health/ready"]
ENTRYPOINT ["dotnet", "Shop.Silo.dll"]
