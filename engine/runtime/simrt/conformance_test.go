package simrt_test

import (
	"testing"

	"github.com/kubeplay/kubeplay/engine/runtime/runtimetest"
	"github.com/kubeplay/kubeplay/engine/runtime/simrt"
	"github.com/kubeplay/kubeplay/engine/sim"
)

func TestConformance(t *testing.T) {
	runtimetest.Run(t, runtimetest.Harness{
		New: func(t *testing.T) runtimetest.Instance {
			k := sim.NewKernel(1)
			rt := simrt.New(k, simrt.NewNetwork(k), simrt.NewStorage(), "node-1", 1)
			return runtimetest.Instance{Runtime: rt, Sleep: k.RunFor, Now: k.Now}
		},
		DemoImage:  "kubeplay/demo:v1",
		ShellImage: "busybox",
	})
}
