package sink

import (
	"fmt"

	"github.com/oort-rules/oort/rules/topic"
)

// Redirect implementations for resendDestination: each returns a copy of the
// connector (sharing its client or bus) whose topic or URL is dest.

func publishTopic(dest *Dyn) error {
	if dest.IsStatic() && (dest.String() == "" || topic.HasWildcard(dest.String())) {
		return fmt.Errorf("%q is not a valid publish topic", dest.String())
	}
	return nil
}

func (c *mqttConn) Redirect(dest *Dyn) (Connector, error) {
	if err := publishTopic(dest); err != nil {
		return nil, err
	}
	cp := *c
	cp.topic = dest
	return &cp, nil
}

func (c *memoryConn) Redirect(dest *Dyn) (Connector, error) {
	if err := publishTopic(dest); err != nil {
		return nil, err
	}
	cp := *c
	cp.topic = dest
	return &cp, nil
}

func (c *restConn) Redirect(dest *Dyn) (Connector, error) {
	if dest.IsStatic() {
		if err := checkURL(dest.String()); err != nil {
			return nil, err
		}
	}
	cp := *c
	cp.url = dest
	return &cp, nil
}
