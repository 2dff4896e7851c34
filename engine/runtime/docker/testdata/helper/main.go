// Command helper is the one binary of the docker runtime's test image: the
// in-container modes of kubeplay (multicall: demo-app, pause, sh and the
// shell's commands by the name it is called by) plus hog, which eats
// memory until the kernel kills it, for the OOM test.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kubeplay/kubeplay/engine/guest/multicall"
)

func main() {
	if filepath.Base(os.Args[0]) == "hog" {
		hog()
	}
	code, handled := multicall.Main(os.Args, os.Stdin, os.Stdout, os.Stderr)
	if !handled {
		fmt.Fprintln(os.Stderr, "usage: helper demo-app|pause|sh, or called as hog or a shell command")
		code = 2
	}
	os.Exit(code)
}

// keep holds hog's memory so that it cannot be freed.
var keep [][]byte

func hog() {
	for {
		b := make([]byte, 8<<20)
		for i := range b {
			b[i] = 1 // touched, so it is resident
		}
		keep = append(keep, b)
		time.Sleep(time.Millisecond)
	}
}
