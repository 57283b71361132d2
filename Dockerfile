# Rådsarkiv as a container: the `raadsarkiv` command with its default theme and Pagefind's binary
# (from the pagefind[bin] wheel); no browser. Documented in docs/ci.md ("Container").
#   docker build -t raadsarkiv .
#   cd mit-arkiv && docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" raadsarkiv build
FROM python:3.11-slim

# git: pages show when they last changed, read from the archive's history (a mounted folder
# belongs to another user, so git is told to trust it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory '*'

COPY pyproject.toml README.md /src/
COPY raadsarkiv /src/raadsarkiv
RUN pip install --no-cache-dir /src && rm -rf /src

WORKDIR /site
ENTRYPOINT ["raadsarkiv"]
CMD ["build"]
