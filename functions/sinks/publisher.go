package sinks

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/edgexfoundry/go-mod-core-contracts/v4/common"
	"github.com/edgexfoundry/go-mod-messaging/v4/messaging"
	"github.com/edgexfoundry/go-mod-messaging/v4/pkg/types"
	"github.com/google/uuid"
)

// Publisher is the publishing half of the SDK's ApplicationService.
type Publisher interface {
	PublishWithTopic(topic string, data any, contentType string) error
}

// NewBusPublisher publishes on client exactly as the SDK's
// svc.PublishWithTopic does (app-functions-sdk-go v4.0.2
// internal/app/service.go): topic "<base>/<topic>", envelope apiVersion v3
// with a fresh correlation id, the payload embedded as a JSON object, or CBOR
// bytes for application/cbor.
func NewBusPublisher(client messaging.MessageClient, baseTopicPrefix string) Publisher {
	return &busPublisher{client: client, base: baseTopicPrefix}
}

type busPublisher struct {
	client messaging.MessageClient
	base   string
}

// ctxKey strings are what types.NewMessageEnvelope looks up; the SDK uses
// the same plain string keys.
func (p *busPublisher) PublishWithTopic(topic string, data any, contentType string) error {
	if p.client == nil {
		return errors.New("publish failed due to MessageBus disabled via configuration")
	}
	//lint:ignore SA1029 the SDK's NewMessageEnvelope reads these plain string keys
	ctx := context.WithValue(context.Background(), common.CorrelationHeader, uuid.NewString())
	//lint:ignore SA1029 the SDK's NewMessageEnvelope reads these plain string keys
	ctx = context.WithValue(ctx, common.ContentType, contentType)
	msg := types.NewMessageEnvelope(data, ctx)
	// NewMessageEnvelope only prints a CBOR encoding failure and keeps the
	// struct; publishing that would put JSON under a CBOR content type.
	if contentType == common.ContentTypeCBOR && os.Getenv(common.EnvMessageCborEncode) != common.ValueTrue {
		if _, ok := msg.Payload.([]byte); !ok && data != nil {
			return fmt.Errorf("encoding %T as CBOR for topic %q failed", data, topic)
		}
	}
	if err := p.client.Publish(msg, common.BuildTopic(p.base, topic)); err != nil {
		return fmt.Errorf("failed to publish data to MessageBus: %w", err)
	}
	return nil
}
