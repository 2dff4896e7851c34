package common

import "testing"

// Every label and help text must exist in both languages.
func TestEveryMessageHasKorean(t *testing.T) {
	for _, id := range IDs() {
		if !HasKorean(id) {
			t.Errorf("message %q has no Korean text", id)
		}
	}
	for id := range ko {
		if _, ok := en[id]; !ok {
			t.Errorf("Korean message %q has no English one", id)
		}
	}
}
