// Package sdkbus hands Oort's own ingest trigger the message-bus client that
// the SDK has already bootstrapped, together with the trigger settings.
//
// Why: the stock edgex-messagebus trigger runs every message on its own
// goroutine, so events reach rules out of order (edgex.md §3). A custom
// trigger keeps order but the SDK gives custom triggers neither the bus
// client nor the bus settings. Opening a second connection would need a second
// copy of the bus configuration (common config, secrets, TLS), which users
// would have to keep in sync. The SDK keeps the connected client and the merged
// configuration in its dependency container, which it does not export; this
// package reads that container by reflection. The SDK version is pinned in
// go.mod, and the end-to-end tests (app/e2e_*_test.go), which run the real
// service with this trigger, fail loudly if the layout ever changes.
package sdkbus

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	bootstrapContainer "github.com/edgexfoundry/go-mod-bootstrap/v4/bootstrap/container"
	"github.com/edgexfoundry/go-mod-bootstrap/v4/di"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
)

// configName is the DIC name of the SDK's merged service configuration.
const configName = "github.com/edgexfoundry/app-functions-sdk-go/v4/internal/common.ConfigurationStruct"

// Bus is the SDK's bus connection and the subscription it was configured with.
type Bus struct {
	Client          messaging.MessageClient
	BaseTopicPrefix string
	// SubscribeTopics are the full topics (base prefix applied) of Trigger.SubscribeTopics.
	SubscribeTopics []string
	Type            string // MessageBus.Type: mqtt, nats-core, nats-jetstream
}

// FromService extracts the bus from an SDK ApplicationService (after
// NewAppService returned; the client connects during bootstrap).
func FromService(svc any) (*Bus, error) {
	dic, err := container(svc)
	if err != nil {
		return nil, err
	}
	client := bootstrapContainer.MessagingClientFrom(dic.Get)
	if client == nil {
		return nil, errors.New("the SDK has no message-bus client (MessageBus.Disabled is true or the bus is not configured)")
	}
	cfg := reflect.ValueOf(dic.Get(configName))
	if !cfg.IsValid() || cfg.Kind() != reflect.Ptr || cfg.IsNil() {
		return nil, fmt.Errorf("the SDK configuration %s is not in its container", configName)
	}
	cfg = cfg.Elem()
	b := &Bus{Client: client}
	mb := cfg.FieldByName("MessageBus")
	b.Type = strings.ToLower(fieldString(mb, "Type"))
	if m := mb.Addr().MethodByName("GetBaseTopicPrefix"); m.IsValid() {
		b.BaseTopicPrefix = m.Call(nil)[0].String()
	}
	topics := fieldString(cfg.FieldByName("Trigger"), "SubscribeTopics")
	for _, t := range strings.Split(topics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			b.SubscribeTopics = append(b.SubscribeTopics, BuildTopic(b.BaseTopicPrefix, t))
		}
	}
	if len(b.SubscribeTopics) == 0 {
		return nil, errors.New("Trigger.SubscribeTopics is empty: set it (e.g. \"events/#\") in the service configuration")
	}
	return b, nil
}

// container reads the SDK service's unexported dependency container.
func container(svc any) (*di.Container, error) {
	v := reflect.ValueOf(svc)
	if v.Kind() != reflect.Ptr || v.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("expected the SDK service pointer, got %T", svc)
	}
	f := v.Elem().FieldByName("dic")
	if !f.IsValid() || f.Type() != reflect.TypeOf((*di.Container)(nil)) {
		return nil, fmt.Errorf("%T has no dependency container field: SDK layout changed", svc)
	}
	dic := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(*di.Container)
	if dic == nil {
		return nil, errors.New("the SDK service is not initialised")
	}
	return dic, nil
}

func fieldString(v reflect.Value, name string) string {
	if !v.IsValid() {
		return ""
	}
	f := v.FieldByName(name)
	if !f.IsValid() || f.Kind() != reflect.String {
		return ""
	}
	return f.String()
}

// BuildTopic joins the base prefix and a topic as the SDK does.
func BuildTopic(prefix, topic string) string {
	if prefix == "" || strings.HasPrefix(topic, prefix+"/") {
		return topic
	}
	return prefix + "/" + topic
}

// BaseTopicPrefix returns MessageBus.BaseTopicPrefix of the SDK service
// ("edgex" when it cannot be read).
func BaseTopicPrefix(svc any) string {
	dic, err := container(svc)
	if err != nil {
		return "edgex"
	}
	cfg := reflect.ValueOf(dic.Get(configName))
	if !cfg.IsValid() || cfg.Kind() != reflect.Ptr || cfg.IsNil() {
		return "edgex"
	}
	mb := cfg.Elem().FieldByName("MessageBus")
	if m := mb.Addr().MethodByName("GetBaseTopicPrefix"); m.IsValid() {
		if p := m.Call(nil)[0].String(); p != "" {
			return p
		}
	}
	return "edgex"
}
