package perlpi

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		argv []string
		n    int
		ok   bool
	}{
		{[]string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"}, 2000, true},
		{[]string{"/usr/bin/perl", "-Mbignum=bpi", "-le", "print bpi(10);"}, 10, true},
		{[]string{"perl", "-wle", "print bpi(2000)"}, 0, false},
		{[]string{"perl", "-Mbignum=bpi", "-wle", "print 1+1"}, 0, false},
		{[]string{"sh", "-c", "perl"}, 0, false},
	} {
		n, ok := Match(tt.argv)
		if n != tt.n || ok != tt.ok {
			t.Errorf("Match(%q) = %d, %v; want %d, %v", tt.argv, n, ok, tt.n, tt.ok)
		}
	}
}

func TestPi(t *testing.T) {
	// bpi rounds: π = 3.14159265358979323846…
	for n, want := range map[int]string{1: "3", 3: "3.14", 5: "3.1416", 10: "3.141592654", 21: "3.14159265358979323846"} {
		if got := Pi(n); got != want {
			t.Errorf("Pi(%d) = %q, want %q", n, got, want)
		}
	}
	p := Pi(2000)
	// The 2000 digits perl prints for the documentation's pi Job begin and
	// end so (https://kubernetes.io/docs/concepts/workloads/controllers/job/).
	if len(p) != 2001 || !strings.HasPrefix(p, "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679821480865132823066470938446095505822317253594081284811174502841027019385211055596446229489549303819644288109756659334461284756482337867831652712019091456485669234603486104543266482133936072602491412737245870066063155881748815209209628292540917153643678925903600113305305488204665213841469519415116094330572703657595919530921861173819326117931051185480744623799627495673518857527248912279381830119491") ||
		!strings.HasSuffix(p, "6459958133904780275901") {
		t.Errorf("Pi(2000) = %s…%s (%d chars)", p[:20], p[len(p)-20:], len(p))
	}
}
