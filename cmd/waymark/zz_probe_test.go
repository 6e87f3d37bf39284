package main

import (
	"encoding/json"
	"os"
	"syscall"
	"testing"
	"time"

	"waymark/sqldb/sqldbtest"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestProbeRegion(t *testing.T) {
	c0, t0 := cpu(), time.Now()
	newTestRegion(t, sqldbtest.Engines(t)[0], 40)
	t.Logf("region: cpu %v wall %v", cpu()-c0, time.Since(t0))
	c0, t0 = cpu(), time.Now()
	newTestRegion(t, sqldbtest.Engines(t)[0], 40)
	t.Logf("region2: cpu %v wall %v", cpu()-c0, time.Since(t0))
	src, _ := axeSource()
	c0 = cpu()
	for i := 0; i < 90; i++ {
		b, _ := jsonMarshal(src)
		_ = b
	}
	t.Logf("90 axe json: cpu %v", cpu()-c0)
	_ = os.Getpid
}

func jsonMarshal(s string) ([]byte, error) { return json.Marshal(s) }
