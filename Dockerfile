# maestro's image, for CodeBuild and GitLab CI: maestro, a pinned pack, a pinned buildx (for
# Dockerfile builds), and a Docker daemon that starts in CodeBuild's privileged mode. `dockerd-entrypoint.sh main.sh` (the bash maestro's
# buildspec line) keeps working.
#
# Build: docker build -t maestro .    (no Docker engine runs where the tests run: this file is
# linted by hadolint in .ci/run, and built by .github/workflows/release.yml)

# --- the static binary -------------------------------------------------------------------------
FROM rust:1.95-alpine3.22 AS build
# hadolint ignore=DL3018
RUN apk add --no-cache build-base cmake musl-dev perl
WORKDIR /src
# The workspace: the binary (src/), the pure core and the test helpers (crates/); cargo reads
# every target the manifests declare, tests and benches included.
COPY Cargo.toml Cargo.lock build.rs ./
COPY crates ./crates
COPY src ./src
COPY tests ./tests
COPY benches ./benches
# `maestro version`'s commit: the context has no .git (.dockerignore), so the release passes it.
ARG MAESTRO_BUILD_COMMIT=unknown
RUN cargo build --release --locked --bin maestro \
    && install -m 0755 target/release/maestro /usr/local/bin/maestro

# --- pack, verified against checksums pinned here (as in ci/github/install.sh) ----------------
# A changed release asset comes with a matching .sha256 next to it, so that file is not read.
FROM alpine:3.22 AS pack
ARG PACK_VERSION=0.39.1
ARG PACK_SHA256_amd64=77109791ec8ad73749bc9efc5ecd3905f49175a5071c50e4be59840041ee4b42
ARG PACK_SHA256_arm64=6ffe978d5fe59ecc17ed685f51da35b7d6a003aeaa3676e831e7aeeb0ddd09c8
ARG TARGETARCH=amd64
# hadolint ignore=DL3018
RUN apk add --no-cache curl
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN platform="linux"; expected="${PACK_SHA256_amd64}"; \
    if [ "$TARGETARCH" = "arm64" ]; then platform="linux-arm64"; expected="${PACK_SHA256_arm64}"; fi; \
    asset="pack-v${PACK_VERSION}-${platform}.tgz"; \
    base="https://github.com/buildpacks/pack/releases/download/v${PACK_VERSION}"; \
    curl --proto =https --proto-redir =https --tlsv1.2 -fsSLo "/tmp/${asset}" "${base}/${asset}"; \
    echo "${expected}  /tmp/${asset}" | sha256sum -c -; \
    tar -xzf "/tmp/${asset}" -C /usr/local/bin pack; \
    rm "/tmp/${asset}"

# --- buildx, the docker CLI plugin a Dockerfile build runs, pinned here as pack is ---------------
# (the checksums of the release's own binaries, as docker-library's docker image pins them).
FROM alpine:3.22 AS buildx
ARG BUILDX_VERSION=0.29.1
ARG BUILDX_SHA256_amd64=7d2d7d6d4680aa349614965aaa33ccec43f1a9a21e908a5ce4cb6adfa5ad5141
ARG BUILDX_SHA256_arm64=50e85c4e290b698908421161c1aee069bcc5d4a65b7b7201bfac3a176b223a7e
ARG TARGETARCH=amd64
# hadolint ignore=DL3018
RUN apk add --no-cache curl
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN arch="amd64"; expected="${BUILDX_SHA256_amd64}"; \
    if [ "$TARGETARCH" = "arm64" ]; then arch="arm64"; expected="${BUILDX_SHA256_arm64}"; fi; \
    asset="buildx-v${BUILDX_VERSION}.linux-${arch}"; \
    base="https://github.com/docker/buildx/releases/download/v${BUILDX_VERSION}"; \
    curl --proto =https --proto-redir =https --tlsv1.2 -fsSLo /tmp/docker-buildx "${base}/${asset}"; \
    echo "${expected}  /tmp/docker-buildx" | sha256sum -c -; \
    install -m 0755 /tmp/docker-buildx /usr/local/bin/docker-buildx; \
    rm /tmp/docker-buildx

# --- the runtime: Docker's daemon image, with maestro, pack and buildx --------------------------
FROM docker:28.5-dind
# The AWS CLI (v2, Alpine's aws-cli) and jq: users' own buildspec and job lines call them, as they
# did in the bash maestro's image.
# hadolint ignore=DL3018
RUN apk add --no-cache bash ca-certificates git aws-cli jq
COPY --from=build /usr/local/bin/maestro /usr/local/bin/maestro
COPY --from=pack /usr/local/bin/pack /usr/local/bin/pack
# Where the docker CLI looks for its plugins: this one replaces the base image's own.
COPY --from=buildx /usr/local/bin/docker-buildx /usr/local/libexec/docker/cli-plugins/docker-buildx
COPY ci/image/dockerd-entrypoint.sh ci/image/main.sh /usr/local/bin/
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
RUN chmod 0755 /usr/local/bin/dockerd-entrypoint.sh /usr/local/bin/main.sh \
    && maestro --version && pack --version && docker buildx version && jq --version \
    && aws --version | grep -q '^aws-cli/2\.'
ENTRYPOINT ["dockerd-entrypoint.sh"]
CMD ["main.sh"]
