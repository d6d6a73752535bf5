# syntax=docker/dockerfile:1
# The WeChat Pay simulator (local runs and tests only, never production) image. Build from the repository root:
#   docker build -f deploy/docker/simulator.Dockerfile -t shop-simulator .
# The SDK image builds, the ASP.NET Core runtime image runs, as the non-root 'app' user (uid 1654) of that image.
# Nothing secret is in it: appsettings.Development.json (development keys), local keys and tests are excluded by
# simulator.Dockerfile.dockerignore; keys and connection strings come from the environment or mounted files at run time.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Shop.Hosting/Shop.Hosting.csproj Shop.Hosting/
COPY Shop.Grains.Interfaces/Shop.Grains.Interfaces.csproj Shop.Grains.Interfaces/
COPY Shop.Grains/Shop.Grains.csproj Shop.Grains/
COPY Shop.WeChatPay/Shop.WeChatPay.csproj Shop.WeChatPay/
COPY Shop.Client/Shop.Client.csproj Shop.Client/
COPY Shop.WeChatPay.Simulator/Shop.WeChatPay.Simulator.csproj Shop.WeChatPay.Simulator/
RUN dotnet restore Shop.WeChatPay.Simulator/Shop.WeChatPay.Simulator.csproj
COPY Shop.Hosting/ Shop.Hosting/
COPY Shop.Grains.Interfaces/ Shop.Grains.Interfaces/
COPY Shop.Grains/ Shop.Grains/
COPY Shop.WeChatPay/ Shop.WeChatPay/
COPY Shop.Client/ Shop.Client/
COPY Shop.WeChatPay.Simulator/ Shop.WeChatPay.Simulator/
COPY deploy/sql/ deploy/sql/
COPY deploy/data/ deploy/data/
RUN dotnet publish Shop.WeChatPay.Simulator/Shop.WeChatPay.Simulator.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY --chmod=755 deploy/docker/healthcheck.sh /usr/local/bin/shop-healthcheck
ENV Urls=http://0.0.0.0:5090
EXPOSE 5090
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["shop-healthcheck", "/health/ready"]
ENTRYPOINT ["dotnet", "Shop.WeChatPay.Simulator.dll"]
