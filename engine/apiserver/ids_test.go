package apiserver

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestNewUIDSpellsTheFormat: newUID builds its UUID by hand; it must spell
// what the format it replaced did, or every seeded run's UIDs change.
func TestNewUIDSpellsTheFormat(t *testing.T) {
	draws, uids := rand.New(rand.NewPCG(7, 9)), rand.New(rand.NewPCG(7, 9))
	for range 10000 {
		a, b := draws.Uint64(), draws.Uint64()
		want := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
			uint32(a>>32), uint16(a>>16), uint16(a)&0x0fff, uint16(b>>48)&0x3fff|0x8000, b&0xffffffffffff)
		if got := newUID(uids); got != want {
			t.Fatalf("newUID = %s, want %s", got, want)
		}
	}
}
