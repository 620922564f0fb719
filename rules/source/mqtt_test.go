package source

import (
	"fmt"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/google/uuid"

	"github.com/oort-rules/oort/rules/obs"
	"github.com/oort-rules/oort/rules/row"
)

// TestMQTTSourceOverMosquitto reads JSON payloads from the real broker, in
// publish order, with declared types applied and bad payloads as error rows.
func TestMQTTSourceOverMosquitto(t *testing.T) {
	topicName := "oort-test/src/" + uuid.NewString()[:8]
	def := tableDef(t, `CREATE STREAM s (id BIGINT, temp FLOAT) WITH (TYPE="mqtt")`)
	def.Kind = 0
	var mu sync.Mutex
	var got []*row.Row
	stop, err := NewMQTT(obs.NopLogger{})(def, map[string]any{"server": "tcp://127.0.0.1:1883", "datasource": topicName, "qos": "1"},
		func(r *row.Row) { mu.Lock(); got = append(got, r); mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	pub := paho.NewClient(paho.NewClientOptions().AddBroker("tcp://127.0.0.1:1883").SetClientID("oort-src-pub-" + uuid.NewString()[:8]))
	if tok := pub.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer pub.Disconnect(100)
	time.Sleep(200 * time.Millisecond) // the subscription is made on connect
	for i := 0; i < 50; i++ {
		pub.Publish(topicName, 1, false, fmt.Sprintf(`{"id":%d,"temp":%d,"extra":"x"}`, i, 20+i)).Wait()
	}
	pub.Publish(topicName, 1, false, `not json`).Wait()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 51 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 51 {
		t.Fatalf("received %d rows, want 51", len(got))
	}
	for i, r := range got[:50] {
		id, _ := r.Get("id")
		temp, _ := r.Get("temp")
		if id.Int() != int64(i) || temp.Float() != float64(20+i) || r.Topic != topicName {
			t.Fatalf("row %d: id %v temp %v (kind %s) topic %q", i, id, temp, temp.Kind(), r.Topic)
		}
	}
	if got[50].Err == nil {
		t.Fatal("a payload that is not JSON must become an error row")
	}
}
