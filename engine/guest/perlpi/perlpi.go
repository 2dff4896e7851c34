// Package perlpi is the one perl program kubeplay plays, on the simulated
// runtime and in the Docker runtime's perl stand-in image: the Kubernetes
// documentation's example Job, which runs
// `perl -Mbignum=bpi -wle 'print bpi(2000)'` in image perl:5.34.0 to print
// π to 2000 digits. No perl is run: the digits are computed in Go (Machin's
// formula on big integers), the same digits perl prints.
package perlpi

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Repository is the image that plays it.
const Repository = "perl"

// Example is the documentation's command, which kubeplay's perl plays.
const Example = "perl -Mbignum=bpi -wle 'print bpi(2000)'"

// MaxDigits bounds what a pod may ask for, so that a typo of a zero
// too many does not stall the engine that computes it.
const MaxDigits = 100000

var bpiRE = regexp.MustCompile(`^\s*print\s+bpi\(\s*(\d+)\s*\)\s*;?\s*$`)

// Match reports whether argv is the pi example (perl -Mbignum=bpi with
// -wle or -le, or -e after -l, and `print bpi(N)`) and its N.
func Match(argv []string) (digits int, ok bool) {
	if len(argv) < 3 || (argv[0] != "perl" && !strings.HasSuffix(argv[0], "/perl")) {
		return 0, false
	}
	bignum, script := false, ""
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "-Mbignum=bpi" || a == "-Mbignum=bpi,bexp" || a == "-Mbigrat=bpi":
			bignum = true
		case strings.HasPrefix(a, "-") && strings.HasSuffix(a, "e") && i+1 < len(argv):
			script = argv[i+1]
			i++
		default:
			return 0, false
		}
	}
	m := bpiRE.FindStringSubmatch(script)
	if !bignum || m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 || n > MaxDigits {
		return 0, false
	}
	return n, true
}

// Pi is what Math::BigFloat's bpi(n) prints: π rounded to n significant
// digits ("3.14" for 3).
func Pi(n int) string {
	guard := 10
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n+guard)), nil)
	// π = 16·atan(1/5) − 4·atan(1/239)
	pi := new(big.Int).Mul(big.NewInt(16), atanInv(5, scale))
	pi.Sub(pi, new(big.Int).Mul(big.NewInt(4), atanInv(239, scale)))
	s := pi.String() // "31415…", n+guard+1 digits
	digits := []byte(s[:n])
	if s[n] >= '5' {
		for i := n - 1; i >= 0; i-- {
			if digits[i] < '9' {
				digits[i]++
				break
			}
			digits[i] = '0'
		}
	}
	if n == 1 {
		return string(digits)
	}
	return string(digits[:1]) + "." + string(digits[1:])
}

// atanInv is atan(1/x)·scale by its Taylor series.
func atanInv(x int64, scale *big.Int) *big.Int {
	sum := new(big.Int)
	xx := big.NewInt(x * x)
	term := new(big.Int).Div(scale, big.NewInt(x)) // scale / x^(2k+1)
	t := new(big.Int)
	for k := int64(0); term.Sign() != 0; k++ {
		t.Div(term, big.NewInt(2*k+1))
		if k%2 == 0 {
			sum.Add(sum, t)
		} else {
			sum.Sub(sum, t)
		}
		term.Div(term, xx)
	}
	return sum
}
