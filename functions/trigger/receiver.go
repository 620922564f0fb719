package trigger

import (
	"context"
	"sync"

	"github.com/edgexfoundry/go-mod-bootstrap/v4/bootstrap"
)

// startReceiver runs receive on its own goroutine (counted in wg) and
// returns the Deferred that stops it once: cancel receive's context, then
// release whatever blocks it (closing a socket or a client).
func startReceiver(wg *sync.WaitGroup, rctx context.Context, cancel context.CancelFunc, receive func(context.Context), release func()) bootstrap.Deferred {
	wg.Add(1)
	go func() {
		defer wg.Done()
		receive(rctx)
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			release()
		})
	}
}
