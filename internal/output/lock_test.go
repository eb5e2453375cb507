package output

import (
	"errors"
	"testing"
	"time"
)

func TestLockSerialisesBuilds(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(dir, false, nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock without waiting: %v, want ErrLocked", err)
	}
	waiting := make(chan struct{})
	got := make(chan error)
	go func() {
		u, err := Lock(dir, true, func() { close(waiting) })
		if err == nil {
			u()
		}
		got <- err
	}()
	<-waiting // the second build says it waits…
	select {
	case err := <-got:
		t.Fatalf("the second build did not wait: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	unlock() // …and goes on once the first is done
	if err := <-got; err != nil {
		t.Fatal(err)
	}
}
