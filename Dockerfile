# Two-stage build: a static binary in a minimal image that runs as non-root
# on a read-only filesystem (only /var/lib/oort, a volume, is written).
FROM golang:1.26-alpine AS build
WORKDIR /src
RUN apk add --no-cache git make
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -tags include_nats_messaging,no_openziti \
    -ldflags "-s -w -X main.Version=${VERSION}" -o /out/oort ./app \
 && mkdir -p /out/res && cp -r res/seed /out/res/seed \
 && sed -e 's|DataDir: "./data"|DataDir: "/var/lib/oort"|' \
        res/configuration.yaml > /out/res/configuration.yaml

FROM alpine:3.22
RUN apk add --no-cache ca-certificates tzdata \
 && addgroup -g 2001 oort && adduser -D -H -u 2002 -G oort oort \
 && mkdir -p /var/lib/oort && chown 2002:2001 /var/lib/oort
COPY --from=build /out/oort /oort
COPY --from=build /out/res /res
USER 2002:2001
VOLUME /var/lib/oort
EXPOSE 59720
WORKDIR /
ENTRYPOINT ["/oort"]
CMD ["-cp=keeper.http://edgex-core-keeper:59890", "--registry"]
