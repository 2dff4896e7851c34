//go:build !unix

package shell

import "os"

// readerGone cannot tell without poll(2): writes still fail with an error.
func readerGone(*os.File) bool { return false }
