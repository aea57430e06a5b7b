# syntax=docker/dockerfile:1
# briefbot: `briefbot serve` (Telegram, Discord, the HTTP API and web page) in a container.
#   docker compose up --build        (see docker-compose.yml and .env.example)
#   docker build -t briefbot . && docker run --rm -p 127.0.0.1:8080:8080 -e BRIEFBOT_HTTP_TOKEN=... briefbot

# ---- build -------------------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The registry and target caches survive between builds (BuildKit); the binary is copied out
# of the cached target folder because cache mounts are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin briefbot \
 && install -m 0755 target/release/briefbot /usr/local/bin/briefbot

# ---- runtime -----------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 briefbot \
 && useradd --system --uid 10001 --gid briefbot --home-dir /app --no-create-home --shell /usr/sbin/nologin briefbot
WORKDIR /app
COPY --from=build /usr/local/bin/briefbot /usr/local/bin/briefbot
COPY config/ /app/config/
COPY corpus/ /app/corpus/
# The index, manifest and entity table live in /app/data (a volume: it survives upgrades).
RUN mkdir -p /app/data && chown briefbot:briefbot /app/data
VOLUME /app/data
USER briefbot
# Listen on every interface inside the container; /v1/* then needs BRIEFBOT_HTTP_TOKEN.
ENV BRIEFBOT__HTTP__BIND=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 CMD ["briefbot", "health"]
# briefbot handles SIGTERM itself (PID 1): it finishes answers in flight and exits 0.
STOPSIGNAL SIGTERM
CMD ["briefbot", "serve"]
