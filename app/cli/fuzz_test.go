package cli

import "testing"

// FuzzDescribeDefinition: any server reply must render or fail cleanly.
func FuzzDescribeDefinition(f *testing.F) {
	f.Add([]byte(fullDefinition), false)
	f.Add([]byte(fullDefinition), true)
	f.Add([]byte(`{"Name":"s","StreamFields":null,"Options":{}}`), true)
	f.Fuzz(func(t *testing.T, body []byte, asJSON bool) {
		_, _ = describeDefinition(body, asJSON)
	})
}
