package realcluster

import "time"

// SetTraceOrder sets traceOrder for a test, until restore.
func SetTraceOrder(fn func(stage string, rv uint64, object string, at time.Time)) (restore func()) {
	traceOrder = fn
	return func() { traceOrder = nil }
}

// OrderWindow is how long the orderer holds a watch event.
const OrderWindow = orderWindow
