package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"

	"github.com/oort-rules/oort/app/config"
	"github.com/oort-rules/oort/functions/ingest"
	"github.com/oort-rules/oort/functions/metatable"
	"github.com/oort-rules/oort/functions/trigger"
	"github.com/oort-rules/oort/functions/wallclock"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/membus"
	"github.com/oort-rules/oort/rules/source"
	"github.com/oort-rules/oort/rules/table"
)

// sourceFactories are the stream and table types read outside the
// service's trigger.
func sourceFactories(lc logger.LoggingClient) map[string]engine.SourceFactory {
	return map[string]engine.SourceFactory{"mqtt": source.NewMQTT(lc), "file": source.NewFile(wallclock.Clock{}, lc)}
}

// tableRegistry builds the lookup-table kinds: memory, redis, sql, file and
// edgex (core-metadata devices, an Oort addition).
func tableRegistry(svc interfaces.ApplicationService, bus *membus.Bus) *table.Registry {
	r := table.NewRegistry()
	table.RegisterBuiltins(r, bus, wallclock.Clock{})
	r.Register("edgex", metatable.New(svc.DeviceClient(), svc.DeviceProfileClient(), metatable.DefaultRefresh, wallclock.Clock{}))
	return r
}

// registerLegacyTriggers adds inputs for older EdgeX buses (edgex.md §7.3),
// selected with Trigger.Type: Redis Pub/Sub (2.x/3.x), Redis Streams and
// ZeroMQ (1.x). Their settings live in RulesEngine.Triggers.
func registerLegacyTriggers(svc interfaces.ApplicationService, re *config.RulesEngine, in *ingest.Ingest, lc logger.LoggingClient) error {
	factories := map[string]func() (interfaces.Trigger, error){
		"oort-redis-pubsub": func() (interfaces.Trigger, error) {
			c := re.Triggers.RedisPubSub
			host, port, db, user, pass, err := redisConn(svc, c.Host, c.Port, c.DB, c.SecretName)
			if err != nil {
				return nil, fmt.Errorf("RulesEngine.Triggers.RedisPubSub: %w", err)
			}
			return trigger.NewRedisPubSubTrigger(trigger.RedisPubSubConfig{Host: host, Port: port, DB: db, Username: user,
				Password: pass, Topics: splitList(c.Topics)}, in.HandleEvent, lc), nil
		},
		"oort-redis-streams": func() (interfaces.Trigger, error) {
			c := re.Triggers.RedisStreams
			host, port, db, user, pass, err := redisConn(svc, c.Host, c.Port, c.DB, c.SecretName)
			if err != nil {
				return nil, fmt.Errorf("RulesEngine.Triggers.RedisStreams: %w", err)
			}
			return trigger.NewRedisStreamsTrigger(trigger.RedisStreamsConfig{Host: host, Port: port, DB: db, Username: user,
				Password: pass, Streams: splitList(c.Streams), StartID: c.StartID}, in.HandleEvent, lc), nil
		},
		"oort-zeromq": func() (interfaces.Trigger, error) {
			c := re.Triggers.ZeroMQ
			return trigger.NewZeroMQTrigger(trigger.ZeroMQConfig{Endpoint: c.Endpoint, Topics: splitList(c.Topics)}, in.HandleEvent, lc), nil
		},
	}
	for name, build := range factories {
		build := build
		if err := svc.RegisterCustomTriggerFactory(name, func(interfaces.TriggerConfig) (interfaces.Trigger, error) { return build() }); err != nil {
			return fmt.Errorf("registering the %s trigger: %w", name, err)
		}
	}
	return nil
}

// redisConn resolves a legacy trigger's Redis address and credentials (from
// the named secret, keys username/password, as secure EdgeX used).
func redisConn(svc interfaces.ApplicationService, host, port, db, secret string) (string, int, int, string, string, error) {
	p, err1 := strconv.Atoi(orDefault(port, "6379"))
	d, err2 := strconv.Atoi(orDefault(db, "0"))
	if err1 != nil || err2 != nil {
		return "", 0, 0, "", "", fmt.Errorf("Port and DB must be integers (%q, %q)", port, db)
	}
	var user, pass string
	if secret != "" {
		sec, err := svc.SecretProvider().GetSecret(secret, "username", "password")
		if err != nil {
			return "", 0, 0, "", "", fmt.Errorf("reading secret %s: %w", secret, err)
		}
		user, pass = sec["username"], sec["password"]
	}
	return orDefault(host, "localhost"), p, d, user, pass, nil
}
func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
