# syntax=docker/dockerfile:1
# Trama's container image: the one `trama` binary on Debian, as a non-root
# user, with the fonts the PDF reports are set in.
#
#   docker build -t trama .
#   docker run --rm -p 8080:8080 trama serve --demo
#   docker run -d -p 8080:8080 -v /srv/trama.toml:/etc/trama/trama.toml:ro \
#     -e TRAMA_CONFIG=/etc/trama/trama.toml trama
#
# See README "Deploying" for PostgreSQL, HTTPS and two servers.

FROM rust:1.95-bookworm AS build
WORKDIR /src
# The manifests first, so that a change to the code alone reuses the
# dependencies' layer.
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
RUN cargo build --release --locked --bin trama \
 && strip target/release/trama \
 && install -m 0755 target/release/trama /usr/local/bin/trama

FROM debian:bookworm-slim
# ca-certificates: SMTP over TLS and PostgreSQL with sslmode=verify-full;
# fonts-dejavu-core: the reports' font; curl: the health check. Not pinned:
# Debian's point releases replace the versions, and their security fixes
# are wanted.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 trama \
 && useradd --system --uid 10001 --gid trama --home-dir /var/lib/trama --create-home trama
COPY --from=build /usr/local/bin/trama /usr/local/bin/trama
# SQLite lives in the volume unless TRAMA_DATABASE_URL names PostgreSQL.
ENV TRAMA_DATA_DIR=/var/lib/trama \
    TRAMA_ADDR=0.0.0.0:8080 \
    TRAMA_LOG_FORMAT=json \
    LANG=es_CL.UTF-8
VOLUME ["/var/lib/trama"]
WORKDIR /var/lib/trama
# Numeric, so that the host and Kubernetes (runAsNonRoot) can check it.
USER 10001:10001
EXPOSE 8080
# /ready takes a write: a server whose database cannot keep answers is
# taken out of the load balancer, not just one that has stopped.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["curl", "--fail", "--silent", "--show-error", "--output", "/dev/null", "http://127.0.0.1:8080/ready"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/trama"]
CMD ["serve"]
