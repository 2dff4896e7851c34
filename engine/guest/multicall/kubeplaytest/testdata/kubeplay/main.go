// Command kubeplay is the in-container half of kubeplay alone (demo-app,
// pause, sh and the shell's applets): what tests put in an image, since it
// builds and links in a fraction of the full binary's time.
package main

import (
	"fmt"
	"os"

	"github.com/kubeplay/kubeplay/engine/guest/multicall"
)

func main() {
	code, ok := multicall.Main(os.Args, os.Stdin, os.Stdout, os.Stderr)
	if !ok {
		fmt.Fprintln(os.Stderr, "kubeplay (test build): only demo-app, pause, sh and the shell's commands")
		code = 2
	}
	os.Exit(code)
}
