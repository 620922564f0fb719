package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/edgexfoundry/app-functions-sdk-go/v4/pkg/interfaces"
	"github.com/edgexfoundry/go-mod-core-contracts/v4/clients/logger"

	"github.com/oort-rules/oort/app/config"
	"github.com/oort-rules/oort/functions/ingest"
	"github.com/oort-rules/oort/functions/trigger"
	"github.com/oort-rules/oort/rules/engine"
	"github.com/oort-rules/oort/rules/source"
)

// sourceFactories are the stream types read outside the service's trigger.
func sourceFactories(lc logger.LoggingClient) map[string]engine.SourceFactory {
	return map[string]engine.SourceFactory{"mqtt": source.NewMQTT(lc)}
}

// registerLegacyTriggers adds inputs for EdgeX 2.x/3.x Redis buses (edgex.md
// §7.3), selected with Trigger.Type.
func registerLegacyTriggers(svc interfaces.ApplicationService, re *config.RulesEngine, in *ingest.Ingest, lc logger.LoggingClient) error {
	err := svc.RegisterCustomTriggerFactory("oort-redis-pubsub", func(tc interfaces.TriggerConfig) (interfaces.Trigger, error) {
		c := re.Triggers.RedisPubSub
		port, err1 := strconv.Atoi(orDefault(c.Port, "6379"))
		db, err2 := strconv.Atoi(orDefault(c.DB, "0"))
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("RulesEngine.Triggers.RedisPubSub: Port and DB must be integers (%q, %q)", c.Port, c.DB)
		}
		cfg := trigger.RedisPubSubConfig{Host: orDefault(c.Host, "localhost"), Port: port, DB: db, Topics: splitList(c.Topics)}
		if c.SecretName != "" {
			sec, err := svc.SecretProvider().GetSecret(c.SecretName, "username", "password")
			if err != nil {
				return nil, fmt.Errorf("oort-redis-pubsub: reading secret %s: %w", c.SecretName, err)
			}
			cfg.Username, cfg.Password = sec["username"], sec["password"]
		}
		return trigger.NewRedisPubSubTrigger(cfg, in.HandleEvent, lc), nil
	})
	if err != nil {
		return fmt.Errorf("registering the oort-redis-pubsub trigger: %w", err)
	}
	return nil
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
