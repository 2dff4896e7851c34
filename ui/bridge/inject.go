package bridge

import tea "charm.land/bubbletea/v2"

// Injected returns a Cmd that reports WakeMsg once another goroutine has
// injected a hop into a simulated cluster — a real kubectl's request to
// kubeplay's API, a curl to a NodePort — so that the UI, which otherwise
// sleeps while nothing is queued, shows it (and, in free mode, delivers
// it). It returns nil once the driver is closed. A real-time cluster's
// Waiter covers this already.
func (d *Driver) Injected() tea.Cmd {
	wake, quit := d.C.Wake(), d.quit
	return func() tea.Msg {
		select {
		case <-wake:
			return WakeMsg{}
		case <-quit:
			return nil
		}
	}
}
