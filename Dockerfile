# Cairn's image: the self-contained `cairn` (bash scripts/publish.sh -> artifacts/cairn) on any glibc base image.
#   bash scripts/publish.sh && docker build -t cairn .      (or --build-arg BASE_IMAGE=<any image with the libraries below>)
# Offline, scripts/docker-image.sh makes the base from this machine's own libraries instead of pulling one.
# The base needs glibc, libstdc++, libgcc_s and OpenSSL 3 (libssl.so.3: .NET's HMAC and AES-GCM on Linux).
# Default: Microsoft's base image for self-contained .NET apps, which has all of these.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0
FROM ${BASE_IMAGE}
COPY artifacts/cairn /usr/local/bin/cairn
# libe_sqlite3.so is extracted here on first start; /tmp works for any user.
ENV DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/.net
# A server at full speed within about a second of start instead of half speed for 4 s and more (docs/performance.md,
# "A fresh server"): tier up without the call-counting delay and without the instrumented tier.
ENV DOTNET_TC_CallCountingDelayMs=0 DOTNET_TieredPGO=0
VOLUME /data
EXPOSE 4566
ENTRYPOINT ["/usr/local/bin/cairn"]
CMD ["serve", "--data", "/data", "--host", "0.0.0.0", "--port", "4566"]
