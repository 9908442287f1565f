# The portal's image for docker-compose.yml. Builds in the SDK image, runs on the ASP.NET runtime image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Portal.Web -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
# Applies the migrations and the demo, then serves. For a real install drop seed-demo and run create-operator once.
ENTRYPOINT ["sh", "-c", "dotnet Portal.Web.dll seed-demo && exec dotnet Portal.Web.dll"]
